package dev.loomcache.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import dev.loomcache.Ticker;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * L1 storage: a bounded Caffeine cache holding the values themselves, in one of three layouts
 * chosen when the cache is built (the third, for {@code expireAfterAccess}, is the plain layout's
 * deadline wrappers over Caffeine's fixed access expiry on the same clock; see {@link L1Options}).
 *
 * <p>Design note. Any Caffeine expiry reads its ticker on every hit, and {@code System.nanoTime()}
 * costs more than the rest of a hit (27 ns on the project's machine). So:
 *
 * <ul>
 *   <li><b>No default TTL</b>: Caffeine with {@code maximumSize} only, holding raw values; a hit
 *       reads no clock at all. A per-call finite TTL stores a small {@link Timed} wrapper carrying
 *       its deadline, and sets {@link #timedStored} before publishing the first one, so the hit
 *       path tests the value's class only once a wrapper may exist. An expired wrapper reads as
 *       absent and is removed with {@code remove(key, wrapper)}; unread ones leave by size
 *       eviction, so memory stays bounded by {@code maximumSize}.
 *   <li><b>A default TTL</b>: Caffeine's per-entry variable expiry (prompt clean-up, per-call TTLs
 *       in both directions), with its ticker fed from a {@link CoarseClock}: one volatile read per
 *       hit.
 * </ul>
 *
 * <p>A fake ticker given to the builder replaces the coarse clock in both layouts and is exact.
 * Caffeine's own maintenance (eviction, expiry) runs on the given executor (its common-pool
 * default: running it on the caller doubled the cost of a hit). Every write goes through {@link
 * WritePath}, which orders it against the loads of the same key; this class never calls user code.
 *
 * <p>The hit path ({@code LocalCache.get}) calls {@link #reads()} and {@link #live} itself rather
 * than {@link #getIfPresent}, and L1 has no Caffeine statistics (evictions are counted by an
 * eviction listener): both keep the compiled hit small enough for the JIT to inline whole.
 */
public final class L1Store<K, V> {
  /**
   * TTLs this long (146 years) are stored without a deadline, so that {@code now - deadline} never
   * overflows whatever the ticker's origin.
   */
  private static final long EFFECTIVELY_NEVER = 1L << 62;

  /**
   * The Caffeine instance and its variable-expiry view, swapped as one by {@link #invalidateAll}: a
   * reader sees all of the old L1 or none of it (Caffeine's own clear removes one key at a time, so
   * a read of one key could see the clear while a later read of another did not).
   */
  private volatile Maps<K> maps;

  private final Caffeine<Object, Object> builder;
  private final boolean perEntry;

  /** One Caffeine instance and, in the variable-expiry layout, its per-entry expiry policy. */
  private static final class Maps<K> {
    final Cache<K, Object> cache;
    final Policy.@Nullable VarExpiration<K, Object> expiration;

    Maps(Cache<K, Object> cache, Policy.@Nullable VarExpiration<K, Object> expiration) {
      this.cache = cache;
      this.expiration = expiration;
    }
  }

  private final Ticker clock;
  private final boolean storesNothing;
  private final long maxLifetimeNanos; // Long.MAX_VALUE: no cap
  private final @Nullable RemovalDispatcher<K, V> removals;
  private final StatsCounter stats;

  /**
   * Set before the first {@link Timed} wrapper is published (plain layout only). A plain field: a
   * reader that sees a wrapper read it through Caffeine's map, which orders this write before it.
   */
  private boolean timedStored;

  /**
   * @param variableExpiry whether the cache has a default TTL (the variable-expiry layout)
   * @param clock the time source for deadlines: a {@link CoarseClock} or the builder's fake ticker
   */
  public L1Store(
      long maximumSize,
      boolean variableExpiry,
      Ticker clock,
      @Nullable Executor executor,
      StatsCounter stats) {
    this(L1Options.bySize(maximumSize), variableExpiry, clock, executor, stats, Ttl.NEVER);
  }

  /** As the five-argument constructor, with a cap on every entry's lifetime. */
  public L1Store(
      long maximumSize,
      boolean variableExpiry,
      Ticker clock,
      @Nullable Executor executor,
      StatsCounter stats,
      Ttl maxLifetime) {
    this(L1Options.bySize(maximumSize), variableExpiry, clock, executor, stats, maxLifetime);
  }

  /**
   * With {@link L1Options#expiresAfterAccess()}, L1 uses Caffeine's fixed access expiry on {@code
   * clock} and stores finite TTLs in deadline wrappers, as the plain layout does, whatever {@code
   * variableExpiry} says (Caffeine's variable expiry cannot be combined with it).
   *
   * @param maxLifetime the longest any entry stays, whatever its TTL (a shared tier's bound on
   *     local staleness, {@code CacheTier.maxLocalLifetime()}); {@link Ttl#NEVER} for none
   */
  public L1Store(
      L1Options<K, V> options,
      boolean variableExpiry,
      Ticker clock,
      @Nullable Executor executor,
      StatsCounter stats,
      Ttl maxLifetime) {
    this.maxLifetimeNanos = maxLifetime.nanos();
    // Caffeine evicts over-size entries asynchronously; a cache of size 0 must not hold any at all.
    this.storesNothing = options.bound() == 0;
    this.clock = clock;
    this.removals = options.removals();
    this.stats = stats;
    boolean perEntry = variableExpiry && !options.expiresAfterAccess();
    Caffeine<Object, Object> builder = Caffeine.newBuilder();
    options.configure(builder, stats);
    if (executor != null) {
      builder.executor(executor);
    }
    if (perEntry) {
      builder.expireAfter(new PerEntryExpiry<>());
    }
    if (perEntry || options.expiresAfterAccess()) {
      builder.ticker(clock::read);
    }
    this.builder = builder;
    this.perEntry = perEntry;
    this.maps = newMaps();
  }

  private Maps<K> newMaps() {
    Cache<K, Object> cache = builder.build();
    return new Maps<>(cache, perEntry ? cache.policy().expireVariably().orElseThrow() : null);
  }

  /**
   * Returns the live value for {@code key}, or null; lock-free, reads at most one volatile clock.
   */
  public @Nullable V getIfPresent(K key) {
    return live(key, reads().getIfPresent(key));
  }

  /**
   * The Caffeine instance that reads go to now. For the hit path, which reads it itself and passes
   * what it found to {@link #live}: a caller that goes through {@link #getIfPresent} instead adds a
   * method that the JIT compiles on its own (Caffeine's read inlined into it, too big to inline in
   * turn), and a hit measured a third slower for that one extra call.
   */
  public Cache<K, Object> reads() {
    return maps.cache;
  }

  /**
   * Whether a value read through {@link #reads()} may be a deadline wrapper (one was stored): if
   * not, what it returns is the value itself and {@link #live} has nothing to check.
   */
  public boolean mayHoldWrappers() {
    return timedStored;
  }

  /**
   * The live value in {@code stored}, what {@link #reads()} held for {@code key}: the value itself,
   * or null if absent or past a deadline wrapper's deadline (removing it).
   */
  @SuppressWarnings("unchecked")
  public @Nullable V live(K key, @Nullable Object stored) {
    if (timedStored && stored instanceof Timed timed) {
      return liveOrRemove(key, timed);
    }
    return (V) stored;
  }

  @SuppressWarnings("unchecked")
  private @Nullable V liveOrRemove(K key, Timed timed) {
    if (clock.read() - timed.deadline < 0) {
      return (V) timed.value;
    }
    if (maps.cache.asMap().remove(key, timed)) {
      expired(key, timed);
    }
    return null;
  }

  /** The user's value inside what L1 stores (a deadline wrapper or the value itself). */
  static @Nullable Object unwrap(Object stored) {
    Object inner = stored instanceof Timed timed ? timed.value : stored;
    // A freshness entry holds the value, or null for a remembered absence (not a user value).
    return inner instanceof FreshEntry entry ? entry.value() : inner;
  }

  /** Stores {@code value} for {@code ttl}; {@code ttl.stores()} must be true. */
  void put(K key, V value, Ttl ttl) {
    if (storesNothing) {
      return;
    }
    Object previous;
    long nanos = Math.min(ttl.nanos(), maxLifetimeNanos);
    Maps<K> current = maps;
    Cache<K, Object> cache = current.cache;
    var expiration = current.expiration;
    if (expiration != null) {
      previous = expiration.put(key, value, nanos, TimeUnit.NANOSECONDS);
    } else if (nanos >= EFFECTIVELY_NEVER) {
      previous = cache.asMap().put(key, value);
    } else {
      timedStored = true;
      previous = cache.asMap().put(key, new Timed(value, clock.read() + nanos));
    }
    if (previous != null) {
      report(key, previous, dev.loomcache.RemovalCause.REPLACED);
    }
  }

  /**
   * Removes {@code key} only if it still maps to {@code stored} (compared by identity, looking
   * through a deadline wrapper); for an entry that used up its hit budget.
   */
  public boolean removeIfSame(K key, Object stored) {
    boolean[] removed = new boolean[1];
    maps.cache
        .asMap()
        .computeIfPresent(
            key,
            (k, present) -> {
              Object value = present instanceof Timed timed ? timed.value : present;
              if (value == stored) {
                removed[0] = true;
                return null;
              }
              return present;
            });
    return removed[0];
  }

  void invalidate(K key) {
    Object previous = maps.cache.asMap().remove(key);
    if (previous != null) {
      report(key, previous, dev.loomcache.RemovalCause.EXPLICIT);
    }
  }

  void invalidateAll() {
    Maps<K> old = maps;
    maps = newMaps(); // from here every read finds L1 empty
    if (removals != null) {
      // Caffeine's clear reports nothing to us: report each entry the swap removed.
      for (Map.Entry<K, Object> entry : old.cache.asMap().entrySet()) {
        report(entry.getKey(), entry.getValue(), dev.loomcache.RemovalCause.EXPLICIT);
      }
    }
    old.cache.invalidateAll(); // a write that raced the swap into the old instance goes with it
  }

  /**
   * Reports a value that a write removed from L1: a deadline wrapper already past its deadline
   * expired (and counts as an eviction) rather than being replaced or removed. Caffeine reports its
   * own expired entries (its writes treat them as absent), so they never reach here.
   */
  @SuppressWarnings("unchecked")
  private void report(K key, Object previous, dev.loomcache.RemovalCause cause) {
    if (previous instanceof Timed timed && clock.read() - timed.deadline >= 0) {
      expired(key, timed);
      return;
    }
    RemovalDispatcher<K, V> sink = removals;
    Object value = unwrap(previous);
    if (sink != null && value != null) {
      sink.removed(key, (V) value, cause);
    }
  }

  /** A deadline wrapper past its deadline left L1: an expiry, counted and reported as one. */
  @SuppressWarnings("unchecked")
  private void expired(K key, Timed timed) {
    stats.recordEviction();
    RemovalDispatcher<K, V> sink = removals;
    Object value = unwrap(timed);
    if (sink != null && value != null) {
      sink.removed(key, (V) value, dev.loomcache.RemovalCause.EXPIRED);
    }
  }

  /**
   * The live entries of L1, values unwrapped, skipping expired deadline wrappers; weakly
   * consistent, as Caffeine's iterators. Counts nothing and slides no idle time.
   */
  @SuppressWarnings("unchecked")
  public Iterator<Map.Entry<K, V>> entries() {
    var raw = maps.cache.asMap().entrySet().iterator();
    return new Iterator<>() {
      private Map.@Nullable Entry<K, V> next;

      @Override
      public boolean hasNext() {
        while (next == null && raw.hasNext()) {
          var entry = raw.next();
          Object stored = entry.getValue();
          if (stored instanceof Timed timed && clock.read() - timed.deadline >= 0) {
            continue;
          }
          Object inner = stored instanceof Timed timed ? timed.value : stored;
          if (inner instanceof FreshEntry fresh && fresh.isStale(clock.read())) {
            continue; // kept only for stale-if-error: not a live entry
          }
          Object value = unwrap(stored);
          if (value == null) {
            continue; // a remembered absence
          }
          next = Map.entry(entry.getKey(), (V) value);
        }
        return next != null;
      }

      @Override
      public Map.Entry<K, V> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        var entry = Objects.requireNonNull(next);
        next = null;
        return entry;
      }
    };
  }

  /**
   * The keys held now (expired ones may be among them), weakly consistent: for a pass over L1 that
   * must not block writers ({@code invalidateMatching}).
   */
  Iterable<K> keys() {
    return maps.cache.asMap().keySet();
  }

  public long estimatedSize() {
    return maps.cache.estimatedSize();
  }

  /** Runs pending maintenance (evictions, expiry) now. */
  public void cleanUp() {
    maps.cache.cleanUp();
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
   * Every write passes its own duration through {@link Policy.VarExpiration}; this expiry only
   * keeps an entry's deadline unchanged when it is read.
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
