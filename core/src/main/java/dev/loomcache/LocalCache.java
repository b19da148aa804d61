package dev.loomcache;

import static java.util.Objects.requireNonNull;

import dev.loomcache.internal.BatchDispatcher;
import dev.loomcache.internal.BulkLoads;
import dev.loomcache.internal.FanOut;
import dev.loomcache.internal.FlightTable;
import dev.loomcache.internal.L1Store;
import dev.loomcache.internal.StatsCounter;
import dev.loomcache.internal.TierStack;
import dev.loomcache.internal.WritePath;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.TierListener;
import dev.loomcache.spi.ValueCodec;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Cache} users hold: argument checks, the closed state and the hit path; misses and
 * writes go to the {@link FlightTable}.
 */
final class LocalCache<K, V> implements Cache<K, V>, BatchDispatcher.ReadPath<K, V> {
  private static final Duration LONGEST_FINITE_TTL = Duration.ofNanos(Long.MAX_VALUE - 1);

  private final String name;
  private final long defaultTtlNanos;
  private final L1Store<K, V> l1;
  private final FlightTable<K, V> flights;
  private final WritePath<K, V> writes;
  private final StatsCounter stats;
  private final @Nullable TierStack<K, V> tiers;
  private final BulkLoads<K, V> bulk;
  private final Duration batchWindow;
  private final int maxBatchSize;
  private final Semaphore batchPermits;
  private final Queue<BatchDispatcher<K, V>> batchers = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  LocalCache(Loomcache<?, ?> builder) {
    this.name = builder.name();
    this.defaultTtlNanos = builder.defaultTtlNanos();
    this.stats = new StatsCounter();
    this.l1 = new L1Store<>(builder.maximumSize(), builder.ticker(), stats);
    this.tiers = tierStack(builder);
    this.flights = new FlightTable<>(l1, stats, builder.ticker(), tiers);
    this.writes = new WritePath<>(flights, l1, stats, tiers);
    this.batchWindow = builder.batchWindow();
    this.maxBatchSize = builder.maxBatchSize();
    this.batchPermits = new Semaphore(builder.maxConcurrentBatches());
    this.bulk = new BulkLoads<>(this, flights, FanOut.get(), maxBatchSize,
        builder.maxConcurrentBatches());
    if (tiers != null) {
      tiers.subscribe(new RemoteInvalidations());
    }
    var registry = builder.meterRegistry();
    if (registry != null) {
      new CacheMetrics(this, name, stats, l1, flights, tiers).bindTo(registry);
    }
  }

  @SuppressWarnings("unchecked")
  private static <K, V> @Nullable TierStack<K, V> tierStack(Loomcache<?, ?> builder) {
    if (builder.tiers().isEmpty()) {
      return null;
    }
    return new TierStack<>(builder.tiers(), (KeyCodec<K>) builder.keyCodec(),
        (ValueCodec<V>) builder.valueCodec(), builder.ticker());
  }

  /** Drops L1 copies that another instance changed through a shared tier. */
  private final class RemoteInvalidations implements TierListener {
    @Override
    public void invalidated(String key) {
      K decoded = tiers.decodeKey(key);
      if (decoded == null) {
        writes.invalidateAllLocal(); // cannot tell which key: drop everything, to be safe
      } else {
        writes.invalidateLocal(decoded);
      }
    }

    @Override
    public void invalidatedAll() {
      writes.invalidateAllLocal();
    }
  }

  @Override
  public @Nullable V get(K key, Callable<? extends V> loader) {
    requireNonNull(key, "key must not be null");
    requireNonNull(loader, "loader must not be null");
    return read(key, loader, defaultTtlNanos);
  }

  @Override
  public @Nullable V get(K key, Callable<? extends V> loader, Duration ttl) {
    requireNonNull(key, "key must not be null");
    requireNonNull(loader, "loader must not be null");
    return read(key, loader, toNanos(ttl, "ttl"));
  }

  private @Nullable V read(K key, Callable<? extends V> loader, long ttlNanos) {
    checkOpen();
    V value = l1.getIfPresent(key);
    if (value != null) {
      stats.recordHit();
      return value;
    }
    stats.recordMiss();
    return flights.load(key, loader, ttlNanos);
  }

  @Override
  public @Nullable V getIfPresent(K key) {
    requireNonNull(key, "key must not be null");
    checkOpen();
    V value = lookUp(key);
    return value != null || tiers == null ? value : flights.readThroughTiers(key);
  }

  /** Reads L1, counting a hit or a miss; never loads. */
  @Override
  public @Nullable V lookUp(K key) {
    V value = l1.getIfPresent(key);
    if (value == null) {
      stats.recordMiss();
    } else {
      stats.recordHit();
    }
    return value;
  }

  @Override
  public Map<K, V> getAll(Collection<? extends K> keys, BatchLoader<K, V> loader) {
    return bulk.getAll(keys, loader, defaultTtlNanos);
  }

  @Override
  public Batcher<K, V> batcher(BatchLoader<K, V> loader) {
    return batcher(loader, BatchOptions.defaults());
  }

  @Override
  public Batcher<K, V> batcher(BatchLoader<K, V> loader, BatchOptions options) {
    requireNonNull(loader, "loader must not be null");
    requireNonNull(options, "options must not be null");
    checkOpen();
    Duration window = options.window() == null ? batchWindow : options.window();
    int size = options.maxBatchSize() == 0 ? maxBatchSize : options.maxBatchSize();
    var batcher = new BatchDispatcher<>(
        this, flights, loader, window, size, defaultTtlNanos, batchPermits, name);
    batchers.add(batcher);
    if (closed.get()) { // close() raced us: make sure this batcher is closed too
      batcher.close();
      checkOpen();
    }
    return batcher;
  }

  @Override
  public WarmupResult<K> warmup(Map<K, ? extends Callable<? extends V>> loaders) {
    var outcome = bulk.warmup(loaders, defaultTtlNanos);
    return new WarmupResult<>(outcome.loaded, outcome.skipped, outcome.failed);
  }

  @Override
  public void put(K key, V value) {
    requireNonNull(key, "key must not be null");
    requireNonNull(value, "value must not be null");
    checkOpen();
    writes.put(key, value, defaultTtlNanos);
  }

  @Override
  public void put(K key, V value, Duration ttl) {
    requireNonNull(key, "key must not be null");
    requireNonNull(value, "value must not be null");
    long ttlNanos = toNanos(ttl, "ttl");
    checkOpen();
    if (ttlNanos > 0) {
      writes.put(key, value, ttlNanos);
    }
  }

  @Override
  public void invalidate(K key) {
    requireNonNull(key, "key must not be null");
    checkOpen();
    writes.invalidate(key);
  }

  @Override
  public void invalidateAll(Collection<? extends K> keys) {
    requireNonNull(keys, "keys must not be null");
    for (K key : keys) {
      requireNonNull(key, "keys must not contain null");
    }
    checkOpen();
    for (K key : keys) {
      writes.invalidate(key);
    }
  }

  @Override
  public void invalidateAll() {
    checkOpen();
    writes.invalidateAll();
  }

  @Override
  public CacheStats stats() {
    checkOpen();
    return new CacheStats(
        stats.hitCount(),
        stats.missCount(),
        stats.loadSuccessCount(),
        stats.loadFailureCount(),
        stats.coalescedCount(),
        stats.evictionCount(),
        stats.putCount(),
        stats.totalLoadTimeNanos(),
        stats.batchCount(),
        stats.batchFailureCount(),
        stats.batchedKeyCount(),
        stats.largestBatchSize(),
        stats.totalBatchTimeNanos(),
        tiers == null ? List.of() : tiers.counters().stream()
            .map(c -> new TierStats(c.tier(), c.hitCount(), c.missCount(), c.errorCount(),
                c.writeCount()))
            .toList());
  }

  @Override
  public long estimatedSize() {
    checkOpen();
    return l1.estimatedSize();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (BatchDispatcher<K, V> batcher : batchers) {
      batcher.close();
    }
    // Loads still running finish and hand their values to their waiters; storing them is harmless
    // because nothing can read this cache any more. The tiers keep their data: only L1 is dropped.
    writes.invalidateAllLocal();
    if (tiers != null) {
      tiers.close();
    }
  }

  @Override
  public String toString() {
    return "Cache{name=" + name + ", estimatedSize=" + l1.estimatedSize() + ", closed=" + closed.get() + '}';
  }

  /** The number of callers parked on the load of {@code key}; for tests. */
  int parkedCount(K key) {
    return flights.parkedCount(key);
  }

  /** Runs pending L1 maintenance now (evictions, expiry); for tests and benchmarks. */
  void cleanUp() {
    l1.cleanUp();
  }

  @Override
  public void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("Cache '" + name + "' is closed");
    }
  }

  /**
   * Converts a TTL to nanoseconds: {@link L1Store#NEVER} for durations too long to count, 0 for
   * {@link Duration#ZERO}.
   */
  static long toNanos(Duration ttl, String parameter) {
    requireNonNull(ttl, () -> parameter + " must not be null");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException(parameter + " must not be negative, but was " + ttl);
    }
    return ttl.compareTo(LONGEST_FINITE_TTL) > 0 ? L1Store.NEVER : ttl.toNanos();
  }
}
