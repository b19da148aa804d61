package dev.loomcache;

import static java.util.Objects.requireNonNull;

import dev.loomcache.internal.BatchDispatcher;
import dev.loomcache.internal.BulkLoads;
import dev.loomcache.internal.CoarseClock;
import dev.loomcache.internal.FanOut;
import dev.loomcache.internal.FlightTable;
import dev.loomcache.internal.L1Store;
import dev.loomcache.internal.Loads;
import dev.loomcache.internal.StatsCounter;
import dev.loomcache.internal.Tiers;
import dev.loomcache.internal.Ttl;
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
 * The {@link Cache} users hold: argument checks, the closed state and the hit path; misses go to
 * {@link Loads}, writes to {@link WritePath}.
 *
 * <p>Design note. The hit methods are kept tiny (closed check, one L1 read, one counter, return) so
 * that they inline into the caller; everything else is in {@link #miss}. A per-call TTL is only
 * checked on a hit and converted to a {@link Ttl} on a miss, so a hit allocates nothing.
 */
final class LocalCache<K, V> implements Cache<K, V>, BatchDispatcher.ReadPath<K, V> {
  private final String name;
  private final Ttl defaultTtl;
  private final L1Store<K, V> l1;
  private final FlightTable<K> flights;
  private final Loads<K, V> loads;
  private final WritePath<K, V> writes;
  private final StatsCounter stats;
  private final Tiers<K, V> tiers;
  private final boolean coarseClock;
  private final BulkLoads<K, V> bulk;
  private final Duration batchWindow;
  private final int maxBatchSize;
  private final Semaphore batchPermits;
  private final Queue<BatchDispatcher<K, V>> batchers = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;

  LocalCache(Loomcache<?, ?> builder) {
    this.name = builder.name();
    this.defaultTtl = builder.defaultTtl();
    this.stats = new StatsCounter();
    // Deadlines in L1 come from a coarse clock, unless the builder was given a ticker (a fake one).
    this.coarseClock = builder.ticker() == Ticker.systemTicker();
    Ticker clock = coarseClock ? CoarseClock.acquire() : builder.ticker();
    this.l1 = new L1Store<>(builder.maximumSize(), !defaultTtl.isNever(), clock,
        builder.executor(), stats);
    this.tiers = tierStack(builder);
    this.flights = new FlightTable<>();
    this.writes = new WritePath<>(flights, l1, stats, tiers);
    this.loads = new Loads<>(flights, l1, writes, tiers, stats, builder.ticker());
    this.batchWindow = builder.batchWindow();
    this.maxBatchSize = builder.maxBatchSize();
    this.batchPermits = new Semaphore(builder.maxConcurrentBatches());
    this.bulk = new BulkLoads<>(this, loads, FanOut.get(), maxBatchSize,
        builder.maxConcurrentBatches());
    tiers.subscribe(new RemoteInvalidations());
    var registry = builder.meterRegistry();
    if (registry != null) {
      new CacheMetrics(this, name, stats, l1, flights, tiers).bindTo(registry);
    }
  }

  @SuppressWarnings("unchecked")
  private static <K, V> Tiers<K, V> tierStack(Loomcache<?, ?> builder) {
    if (builder.tiers().isEmpty()) {
      return Tiers.none();
    }
    // build() has checked that a cache with tiers has both codecs.
    return new Tiers<>(builder.tiers(), (KeyCodec<K>) requireNonNull(builder.keyCodec()),
        (ValueCodec<V>) requireNonNull(builder.valueCodec()), builder.ticker());
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
    checkOpen();
    V value = l1.getIfPresent(key);
    if (value != null) {
      stats.recordHit();
      return value;
    }
    return miss(key, loader, defaultTtl);
  }

  @Override
  public @Nullable V get(K key, Callable<? extends V> loader, Duration ttl) {
    requireNonNull(key, "key must not be null");
    requireNonNull(loader, "loader must not be null");
    if (ttl == null || ttl.isNegative()) {
      Ttl.of(ttl, "ttl"); // throws the right exception
    }
    checkOpen();
    V value = l1.getIfPresent(key);
    if (value != null) {
      stats.recordHit();
      return value;
    }
    return miss(key, loader, Ttl.of(ttl, "ttl"));
  }

  private @Nullable V miss(K key, Callable<? extends V> loader, Ttl ttl) {
    stats.recordMiss();
    return loads.load(key, loader, ttl);
  }

  @Override
  public @Nullable V getIfPresent(K key) {
    requireNonNull(key, "key must not be null");
    checkOpen();
    V value = lookUp(key);
    return value != null ? value : loads.readThroughTiers(key);
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
    return bulk.getAll(keys, loader, defaultTtl);
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
        this, loads, loader, window, size, defaultTtl, batchPermits, name);
    batchers.add(batcher);
    if (closed) { // close() raced us: make sure this batcher is closed too
      batcher.close();
      checkOpen();
    }
    return batcher;
  }

  @Override
  public WarmupResult<K> warmup(Map<K, ? extends Callable<? extends V>> loaders) {
    var outcome = bulk.warmup(loaders, defaultTtl);
    return new WarmupResult<>(outcome.loaded, outcome.skipped, outcome.failed);
  }

  @Override
  public void put(K key, V value) {
    requireNonNull(key, "key must not be null");
    requireNonNull(value, "value must not be null");
    checkOpen();
    writes.put(key, value, defaultTtl);
  }

  @Override
  public void put(K key, V value, Duration ttl) {
    requireNonNull(key, "key must not be null");
    requireNonNull(value, "value must not be null");
    Ttl stored = Ttl.of(ttl, "ttl");
    checkOpen();
    if (stored.stores()) {
      writes.put(key, value, stored);
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
    StatsCounter.Snapshot now = stats.snapshot();
    return new CacheStats(
        now.hits(),
        now.misses(),
        now.loadSuccesses(),
        now.loadFailures(),
        now.coalesced(),
        now.evictions(),
        now.puts(),
        now.loadTimeNanos(),
        now.batches(),
        now.batchFailures(),
        now.batchedKeys(),
        now.largestBatch(),
        now.batchTimeNanos(),
        tiers.counters().stream()
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
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    closed = true;
    for (BatchDispatcher<K, V> batcher : batchers) {
      batcher.close();
    }
    // Loads still running finish and hand their values to their waiters; storing them is harmless
    // because nothing can read this cache any more. The tiers keep their data: only L1 is dropped.
    writes.invalidateAllLocal();
    tiers.close();
    if (coarseClock) {
      CoarseClock.release();
    }
  }

  @Override
  public String toString() {
    return "Cache{name=" + name + ", estimatedSize=" + l1.estimatedSize() + ", closed=" + closed + '}';
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
    if (closed) {
      throw closedException();
    }
  }

  private IllegalStateException closedException() {
    return new IllegalStateException("Cache '" + name + "' is closed");
  }
}
