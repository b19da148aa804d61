package dev.loomcache.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import dev.loomcache.Ticker;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * L1 storage: a bounded Caffeine cache holding the values themselves (no wrapper per entry), each
 * with its own expiry.
 *
 * <p>Design note. Caffeine gives W-TinyLFU eviction and timer-wheel expiry; we use only its
 * lock-free read, its plain writes and its variable expiry, never its {@code compute}-based loading.
 * Every write goes through {@link FlightTable}, which orders it against the loads of the same key.
 * Caffeine's own maintenance (eviction, expiry) runs on its default executor: running it on the
 * caller (a direct executor) doubled the cost of a hit in the benchmarks. When entries need more than one deadline (refresh-ahead, stale-if-error), this is the class
 * that grows an entry wrapper.
 */
public final class L1Store<K, V> {
  /** The TTL, in nanoseconds, meaning "never expires". */
  public static final long NEVER = Long.MAX_VALUE;

  private final Cache<K, V> cache;
  private final Policy.VarExpiration<K, V> expiration;
  private final boolean storesNothing;

  public L1Store(long maximumSize, Ticker ticker, StatsCounter stats) {
    // Caffeine evicts over-size entries asynchronously; a cache of size 0 must not hold any at all.
    this.storesNothing = maximumSize == 0;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maximumSize)
            .expireAfter(new PerEntryExpiry<K, V>())
            // Read on every hit (variable expiry): avoid an indirection for the system ticker.
            .ticker(ticker == Ticker.systemTicker()
                ? com.github.benmanes.caffeine.cache.Ticker.systemTicker()
                : ticker::read)
            .evictionListener(
                (@Nullable K key, @Nullable V value, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                  if (cause.wasEvicted()) {
                    stats.recordEviction();
                  }
                })
            .build();
    this.expiration = cache.policy().expireVariably().orElseThrow();
  }

  /** Returns the live value for {@code key}, or null; lock-free. */
  public @Nullable V getIfPresent(K key) {
    return cache.getIfPresent(key);
  }

  /** Stores {@code value} for {@code ttlNanos} ({@link #NEVER}: no expiry); {@code ttlNanos > 0}. */
  void put(K key, V value, long ttlNanos) {
    if (storesNothing) {
      return;
    }
    expiration.put(key, value, ttlNanos, TimeUnit.NANOSECONDS);
  }

  void invalidate(K key) {
    cache.invalidate(key);
  }

  void invalidateAll() {
    cache.invalidateAll();
  }

  public long estimatedSize() {
    return cache.estimatedSize();
  }

  /** Runs pending maintenance (evictions, expiry) now. */
  public void cleanUp() {
    cache.cleanUp();
  }

  /**
   * Every write passes its own duration through {@link Policy.VarExpiration}; this expiry only keeps
   * an entry's deadline unchanged when it is read.
   */
  private static final class PerEntryExpiry<K, V> implements Expiry<K, V> {
    @Override
    public long expireAfterCreate(K key, V value, long currentTime) {
      return NEVER;
    }

    @Override
    public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration) {
      return currentDuration;
    }

    @Override
    public long expireAfterRead(K key, V value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
