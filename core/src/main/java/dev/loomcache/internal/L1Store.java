package dev.loomcache.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.loomcache.Ticker;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * L1 storage: a bounded Caffeine cache holding the values themselves, in one of two layouts chosen
 * when the cache is built.
 *
 * <p>Design note. Any Caffeine expiry reads its ticker on every hit, and {@code System.nanoTime()}
 * costs more than the rest of a hit (27 ns on the project's machine). So:
 *
 * <ul>
 *   <li><b>No default TTL</b>: Caffeine with {@code maximumSize} only, holding raw values; a hit
 *       reads no clock at all. A per-call finite TTL stores a small {@link Timed} wrapper carrying
 *       its deadline, and sets {@link #timedStored} before publishing the first one, so the hit path
 *       tests the value's class only once a wrapper may exist. An expired wrapper reads as absent and
 *       is removed with {@code remove(key, wrapper)}; unread ones leave by size eviction, so memory
 *       stays bounded by {@code maximumSize}.
 *   <li><b>A default TTL</b>: Caffeine's per-entry variable expiry (prompt clean-up, per-call TTLs in
 *       both directions), with its ticker fed from a {@link CoarseClock}: one volatile read per hit.
 * </ul>
 *
 * <p>A fake ticker given to the builder replaces the coarse clock in both layouts and is exact.
 * Caffeine's own maintenance (eviction, expiry) runs on the given executor (its common-pool default:
 * running it on the caller doubled the cost of a hit). Every write goes through {@link WritePath},
 * which orders it against the loads of the same key; this class never calls user code.
 */
public final class L1Store<K, V> {
  /**
   * TTLs this long (146 years) are stored without a deadline, so that {@code now - deadline} never
   * overflows whatever the ticker's origin.
   */
  private static final long EFFECTIVELY_NEVER = 1L << 62;

  private final Cache<K, Object> cache;
  private final Policy.@Nullable VarExpiration<K, Object> expiration;
  private final Ticker clock;
  private final boolean storesNothing;

  /**
   * Set before the first {@link Timed} wrapper is published (plain layout only). A plain field: a
   * reader that sees a wrapper read it through Caffeine's map, which orders this write before it.
   */
  private boolean timedStored;

  /**
   * @param variableExpiry whether the cache has a default TTL (the variable-expiry layout)
   * @param clock the time source for deadlines: a {@link CoarseClock} or the builder's fake ticker
   */
  public L1Store(long maximumSize, boolean variableExpiry, Ticker clock, @Nullable Executor executor,
      StatsCounter stats) {
    // Caffeine evicts over-size entries asynchronously; a cache of size 0 must not hold any at all.
    this.storesNothing = maximumSize == 0;
    this.clock = clock;
    // Evictions are counted through Caffeine's statistics hook, which ignores hits and misses: an
    // eviction listener made every hit slower in the benchmarks.
    Caffeine<Object, Object> builder = Caffeine.newBuilder()
        .maximumSize(maximumSize)
        .recordStats(() -> new EvictionCounter(stats));
    if (executor != null) {
      builder.executor(executor);
    }
    if (variableExpiry) {
      builder.expireAfter(new PerEntryExpiry<>()).ticker(clock::read);
    }
    this.cache = builder.build();
    this.expiration = variableExpiry ? cache.policy().expireVariably().orElseThrow() : null;
  }

  /** Returns the live value for {@code key}, or null; lock-free, reads at most one volatile clock. */
  @SuppressWarnings("unchecked")
  public @Nullable V getIfPresent(K key) {
    Object value = cache.getIfPresent(key);
    if (timedStored && value instanceof Timed timed) {
      return liveOrRemove(key, timed);
    }
    return (V) value;
  }

  @SuppressWarnings("unchecked")
  private @Nullable V liveOrRemove(K key, Timed timed) {
    if (clock.read() - timed.deadline < 0) {
      return (V) timed.value;
    }
    cache.asMap().remove(key, timed);
    return null;
  }

  /** Stores {@code value} for {@code ttl}; {@code ttl.stores()} must be true. */
  void put(K key, V value, Ttl ttl) {
    if (storesNothing) {
      return;
    }
    if (expiration != null) {
      var unused = expiration.put(key, value, ttl.nanos(), TimeUnit.NANOSECONDS); // the old value
    } else if (ttl.nanos() >= EFFECTIVELY_NEVER) {
      cache.put(key, value);
    } else {
      timedStored = true;
      cache.put(key, new Timed(value, clock.read() + ttl.nanos()));
    }
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

  /** Caffeine's statistics sink, counting only evictions (size and expiry) into ours. */
  private record EvictionCounter(StatsCounter stats)
      implements com.github.benmanes.caffeine.cache.stats.StatsCounter {
    @Override
    public void recordHits(int count) {}

    @Override
    public void recordMisses(int count) {}

    @Override
    public void recordLoadSuccess(long loadTime) {}

    @Override
    public void recordLoadFailure(long loadTime) {}

    @Override
    public void recordEviction(int weight, RemovalCause cause) {
      stats.recordEviction();
    }

    @Override
    public CacheStats snapshot() {
      return CacheStats.empty();
    }
  }

  /** A value stored with a finite per-call TTL in the plain layout; compared by identity. */
  private static final class Timed {
    final Object value;
    final long deadline;

    Timed(Object value, long deadline) {
      this.value = value;
      this.deadline = deadline;
    }
  }

  /**
   * Every write passes its own duration through {@link Policy.VarExpiration}; this expiry only keeps
   * an entry's deadline unchanged when it is read.
   */
  private static final class PerEntryExpiry<K, V> implements Expiry<K, V> {
    @Override
    public long expireAfterCreate(K key, V value, long currentTime) {
      return Long.MAX_VALUE;
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
