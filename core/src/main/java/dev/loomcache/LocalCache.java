package dev.loomcache;

import static java.util.Objects.requireNonNull;

import dev.loomcache.internal.BatchDispatcher;
import dev.loomcache.internal.BulkLoads;
import dev.loomcache.internal.Bypass;
import dev.loomcache.internal.CoarseClock;
import dev.loomcache.internal.ExplicitRefreshes;
import dev.loomcache.internal.FanOut;
import dev.loomcache.internal.FlightTable;
import dev.loomcache.internal.FreshEntry;
import dev.loomcache.internal.FreshPolicy;
import dev.loomcache.internal.L1Options;
import dev.loomcache.internal.L1Store;
import dev.loomcache.internal.Loads;
import dev.loomcache.internal.RandomSource;
import dev.loomcache.internal.Refresher;
import dev.loomcache.internal.RemovalDispatcher;
import dev.loomcache.internal.StatsCounter;
import dev.loomcache.internal.Tagging;
import dev.loomcache.internal.Tiers;
import dev.loomcache.internal.Ttl;
import dev.loomcache.internal.WritePath;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.KeyGlob;
import dev.loomcache.spi.TierListener;
import dev.loomcache.spi.ValueCodec;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
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
  private final @Nullable RemovalDispatcher<K, V> removals;
  private final CacheMapView<K, V> mapView;
  private final LocalAsyncView<K, V> asyncView;
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;

  /** The builder's freshness options, or null: entries are then raw values. */
  private final @Nullable FreshPolicy freshness;

  private final Ticker clock;
  private final RandomSource random;
  private final Refresher<K, V> refresher;
  private final ExplicitRefreshes<K, V> explicitRefreshes;

  /**
   * Whether L1 may hold {@link FreshEntry} wrappers: set before the first is stored (by the
   * builder's options, or by the first call with {@link Freshness} options), so a cache without
   * freshness never tests a hit's class. A plain field, as {@code L1Store.timedStored}: a hit that
   * sees a wrapper read it through Caffeine's map, which orders this write before it.
   */
  private boolean wrapped;

  LocalCache(Loomcache<?, ?> builder) {
    this.name = builder.name();
    this.stats = new StatsCounter(builder.recordStats());
    // Deadlines in L1 come from a coarse clock, unless the builder was given a ticker (a fake one).
    this.coarseClock = builder.ticker() == Ticker.systemTicker();
    Ticker clock = coarseClock ? CoarseClock.acquire() : builder.ticker();
    this.clock = clock;
    this.random = builder.randomSource();
    this.freshness = builder.freshPolicy(clock);
    this.wrapped = freshness != null && freshness.wraps();
    this.defaultTtl =
        freshness == null ? builder.defaultTtl() : builder.defaultTtl().withFreshness(freshness);
    // A shared tier may bound how long its entries live in L1 (lost invalidations): that needs the
    // variable-expiry layout; caches without such a tier keep the layout their TTL chose.
    Ttl localCap = Tiers.maxLocalLifetime(builder.tiers());
    this.removals = removalDispatcher(builder);
    this.l1 =
        new L1Store<>(
            l1Options(builder, removals),
            !defaultTtl.isNever() || !localCap.isNever(),
            clock,
            builder.executor(),
            stats,
            localCap);
    this.tiers = tierStack(builder);
    this.flights = new FlightTable<>();
    this.writes = new WritePath<>(flights, l1, stats, tiers, tagging(builder));
    this.loads = new Loads<>(flights, l1, writes, tiers, stats, builder.ticker());
    this.refresher = new Refresher<>(loads, l1, name);
    this.explicitRefreshes = new ExplicitRefreshes<>(loads, l1, refresher, name);
    this.batchWindow = builder.batchWindow();
    this.maxBatchSize = builder.maxBatchSize();
    this.batchPermits = new Semaphore(builder.maxConcurrentBatches());
    this.bulk =
        new BulkLoads<>(this, loads, FanOut.get(), maxBatchSize, builder.maxConcurrentBatches());
    Bypass.anyActive(); // initializes the class here, not in the first (perhaps stampeding) get
    this.mapView = new CacheMapView<>(this);
    this.asyncView = new LocalAsyncView<>(this, name);
    tiers.subscribe(new RemoteInvalidations());
    var registry = builder.meterRegistry();
    if (registry != null) {
      new CacheMetrics(this, name, stats, l1, flights, tiers).bindTo(registry);
    }
  }

  @SuppressWarnings("unchecked")
  private static <K, V> @Nullable RemovalDispatcher<K, V> removalDispatcher(
      Loomcache<?, ?> builder) {
    var listener = (RemovalListener<? super K, ? super V>) builder.removalListener();
    return listener == null ? null : new RemovalDispatcher<>(listener, builder.name());
  }

  @SuppressWarnings("unchecked")
  private static <K, V> L1Options<K, V> l1Options(
      Loomcache<?, ?> builder, @Nullable RemovalDispatcher<K, V> removals) {
    Duration idle = builder.expireAfterAccess();
    return new L1Options<>(
        builder.maximumSize(),
        builder.maximumWeight(),
        (Weigher<? super K, ? super V>) builder.weigher(),
        idle == null ? 0 : Ttl.of(idle, "expireAfterAccess").nanos(),
        removals);
  }

  @SuppressWarnings("unchecked")
  private static <K, V> Tiers<K, V> tierStack(Loomcache<?, ?> builder) {
    if (builder.tiers().isEmpty()) {
      return Tiers.none();
    }
    // build() has checked that a cache with tiers has both codecs.
    return new Tiers<>(
        builder.tiers(),
        (KeyCodec<K>) requireNonNull(builder.keyCodec()),
        (ValueCodec<V>) requireNonNull(builder.valueCodec()),
        builder.ticker());
  }

  @SuppressWarnings("unchecked")
  private static <K, V> Tagging<K, V> tagging(Loomcache<?, ?> builder) {
    var tagger = builder.tagger();
    return tagger == null
        ? Tagging.none()
        : new Tagging<>(
            (java.util.function.BiFunction<? super K, ? super V, ? extends Collection<String>>)
                tagger,
            builder.maximumSize());
  }

  /** Matches keys as tiers store them, or by {@code toString()} without tiers. */
  private Predicate<K> matcher(KeyGlob glob) {
    return tiers.isEmpty()
        ? key -> glob.matches(key.toString())
        : key -> glob.matches(tiers.encode(key));
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

    @Override
    public void invalidatedTag(String tag) {
      if (writes.tagging().isEnabled()) {
        writes.invalidateTagsLocal(List.of(tag));
      } else {
        writes.invalidateAllLocal(); // another instance tags what this one cannot: to be safe
      }
    }

    @Override
    public void invalidatedMatching(KeyGlob glob) {
      writes.invalidateMatchingLocal(matcher(glob));
    }
  }

  /**
   * The hit path: a few field reads, Caffeine's own read and the hit counter, and nothing else, so
   * that the JIT can inline all of it into the caller (see {@link L1Store#reads()}); in a cache
   * with freshness options, a freshness entry with no deadline reached costs one clock read and one
   * comparison more. Anything else (a closed cache, a bypass scope, a deadline wrapper, an entry
   * due for refresh, a miss) goes to {@link #slowGet}.
   */
  @Override
  @SuppressWarnings("unchecked")
  public @Nullable V get(K key, Callable<? extends V> loader) {
    if (key != null && loader != null && !closed && !Bypass.anyActive()) {
      Object stored = l1.reads().getIfPresent(key);
      if (stored != null) {
        if (!wrapped) {
          if (!l1.mayHoldWrappers()) {
            stats.recordHit();
            return (V) stored;
          }
        } else if (stored instanceof FreshEntry entry && entry.isQuiet(clock.read())) {
          Object value = entry.value();
          if (value != null) {
            stats.recordHit();
            return (V) value;
          }
        }
      }
      return slowGet(key, loader, stored, true);
    }
    return slowGet(key, loader, null, false);
  }

  /**
   * {@link #get(Object, Callable)} off its hit path; {@code stored} is what L1 held if {@code read}
   * (the hit path read it), else L1 is read here.
   */
  private @Nullable V slowGet(
      K key, Callable<? extends V> loader, @Nullable Object stored, boolean read) {
    requireNonNull(key, "key must not be null");
    requireNonNull(loader, "loader must not be null");
    checkOpen();
    if (Bypass.anyActive()) {
      return scopedGet(key, loader, defaultTtl);
    }
    V value = l1.live(key, read ? stored : l1.reads().getIfPresent(key));
    if (value != null) {
      if (wrapped && value instanceof FreshEntry entry) {
        return freshGet(key, entry, loader, defaultTtl);
      }
      stats.recordHit();
      return value;
    }
    return miss(key, loader, defaultTtl);
  }

  /**
   * The hit path kept small, as {@link #get(Object, Callable)}'s; the rest is in the next method.
   */
  @Override
  public @Nullable V get(K key, Callable<? extends V> loader, Duration ttl) {
    if (key != null
        && loader != null
        && ttl != null
        && !ttl.isNegative()
        && !closed
        && !wrapped
        && !Bypass.anyActive()) {
      V value = l1.live(key, l1.reads().getIfPresent(key));
      if (value != null) {
        stats.recordHit();
        return value;
      }
    }
    return slowGet(key, loader, ttl);
  }

  private @Nullable V slowGet(K key, Callable<? extends V> loader, Duration ttl) {
    requireNonNull(key, "key must not be null");
    requireNonNull(loader, "loader must not be null");
    if (ttl == null || ttl.isNegative()) {
      Ttl.of(ttl, "ttl"); // throws the right exception
    }
    checkOpen();
    if (Bypass.anyActive()) {
      return scopedGet(key, loader, Ttl.of(ttl, "ttl"));
    }
    V value = l1.getIfPresent(key);
    if (value != null) {
      if (wrapped && value instanceof FreshEntry entry) {
        return freshGet(key, entry, loader, ttl);
      }
      stats.recordHit();
      return value;
    }
    return miss(key, loader, withDefaults(Ttl.of(ttl, "ttl")));
  }

  @Override
  public @Nullable V get(K key, Callable<? extends V> loader, Freshness options) {
    requireNonNull(key, "key must not be null");
    requireNonNull(loader, "loader must not be null");
    requireNonNull(options, "freshness must not be null");
    checkRefreshAfter(options);
    checkOpen();
    V value = l1.getIfPresent(key);
    if (value != null) {
      if (wrapped && value instanceof FreshEntry entry) {
        return freshGet(key, entry, loader, options);
      }
      stats.recordHit();
      return value;
    }
    return miss(key, loader, resolve(options));
  }

  /** A per-call TTL with the builder's freshness options. */
  private Ttl withDefaults(Ttl ttl) {
    return freshness == null || !ttl.stores() ? ttl : ttl.withFreshness(freshness);
  }

  /** The TTL and freshness policy of a call with {@code options}; marks L1 as wrapped if needed. */
  private Ttl resolve(Freshness options) {
    Ttl ttl = options.ttl() == null ? defaultTtl : withDefaults(Ttl.of(options.ttl(), "ttl"));
    if (options.onlyTtl() || !ttl.stores()) {
      return ttl;
    }
    FreshPolicy base =
        freshness != null ? freshness : new FreshPolicy(0, 0, 0, 0, 0, -1, null, clock, random);
    FreshPolicy policy =
        base.with(
            options.refreshAfter() == null
                ? null
                : Ttl.of(options.refreshAfter(), "refreshAfter").nanos(),
            options.earlyRefresh(),
            options.staleIfError() == null
                ? null
                : Ttl.of(options.staleIfError(), "staleIfError").nanos(),
            options.negativeTtl() == null
                ? null
                : Ttl.of(options.negativeTtl(), "negativeTtl").nanos(),
            options.ttlJitter(),
            options.expireAfterHits(),
            options.cacheIf());
    if (policy.wraps() && !wrapped) {
      wrapped = true; // before any wrapper of this call is stored
    }
    return ttl.withFreshness(policy);
  }

  /**
   * Rejects a per-call {@code refreshAfter} not shorter than the call's TTL; allocates nothing, so
   * that a hit with per-call options stays cheap (they are resolved on a miss or a refresh only).
   */
  private void checkRefreshAfter(Freshness options) {
    Duration refreshAfter = options.refreshAfter();
    if (refreshAfter == null) {
      return;
    }
    Duration ttl = options.ttl();
    long ttlNanos = ttl != null ? Ttl.of(ttl, "ttl").nanos() : defaultTtl.nanos();
    if (ttlNanos != Long.MAX_VALUE && ttlNanos > 0 && refreshAfter.toNanos() >= ttlNanos) {
      throw new IllegalArgumentException(
          "refreshAfter ("
              + refreshAfter
              + ") must be shorter than the TTL ("
              + Duration.ofNanos(ttlNanos)
              + "), or the entry expires first");
    }
  }

  /** The TTL of a call, from what it was given: a {@link Ttl}, a {@link Duration} or options. */
  private Ttl ttlOf(Object given) {
    return switch (given) {
      case Ttl ttl -> ttl;
      case Duration ttl -> withDefaults(Ttl.of(ttl, "ttl"));
      case Freshness options -> resolve(options);
      default -> throw new AssertionError(given);
    };
  }

  /**
   * A hit on a freshness entry: a stale one (past its TTL, kept for stale-if-error) or one whose
   * hit budget is spent is a miss; otherwise counts the hit, starts the entry's reload if it is due
   * and this hit won it, and returns the value (null for a remembered absence).
   */
  @SuppressWarnings("unchecked")
  private @Nullable V freshGet(K key, FreshEntry entry, Callable<? extends V> loader, Object ttl) {
    long now = clock.read();
    if (entry.isQuiet(now)) {
      Object value = entry.value();
      if (value != null) {
        stats.recordHit();
        return (V) value;
      }
    }
    Object value = hit(key, entry, now);
    if (value == MISS) {
      return miss(key, loader, ttlOf(ttl));
    }
    if (value != null && entry.wantsRefresh(now, random) && entry.tryStartRefresh()) {
      refresher.refresh(key, entry, loader, ttlOf(ttl));
    }
    return (V) value;
  }

  /** Stands for "no live value" in {@link #hit}. */
  private static final Object MISS = new Object();

  /**
   * Reads a freshness entry without loading or refreshing: {@link #MISS} if it is stale or its hit
   * budget is spent (the caller counts the miss); otherwise counts a hit (a negative one for an
   * absence), takes one from the hit budget (the last one removes the entry) and returns the value.
   */
  private @Nullable Object hit(K key, FreshEntry entry, long now) {
    if (entry.isStale(now)) {
      return MISS;
    }
    if (entry.hasHitBudget()) {
      int taken = entry.takeHit();
      if (taken < 0) {
        return MISS;
      }
      if (taken == 1) {
        if (tiers.isEmpty()) {
          l1.removeIfSame(key, entry);
        } else {
          writes.invalidate(key); // the tiers' copy must go too, or the next call would read it
        }
      }
    }
    Object value = entry.value();
    if (value == null) {
      stats.recordNegativeHit();
    } else {
      stats.recordHit();
    }
    return value;
  }

  private @Nullable V miss(K key, Callable<? extends V> loader, Ttl ttl) {
    stats.recordMiss();
    V value = loads.load(key, loader, ttl);
    if (wrapped && hasTiers()) {
      refreshIfDue(key, loader, ttl);
    }
    return value;
  }

  /**
   * Starts the reload of the entry a miss left in L1 if it is already due: a value promoted from a
   * tier keeps its writer's refresh point, which may have passed (another instance's write, or a
   * restart), and the call that promoted it is the first hit on it.
   */
  private void refreshIfDue(K key, Callable<? extends V> loader, Ttl ttl) {
    if (l1.getIfPresent(key) instanceof FreshEntry entry && entry.value() != null) {
      long now = clock.read();
      if (!entry.isQuiet(now)
          && !entry.isStale(now)
          && entry.wantsRefresh(now, random)
          && entry.tryStartRefresh()) {
        refresher.refresh(key, entry, loader, ttl);
      }
    }
  }

  /** A get while some thread is inside a {@link CacheScope}: applies this thread's, if any. */
  private @Nullable V scopedGet(K key, Callable<? extends V> loader, Ttl ttl) {
    int mode = Bypass.modeFor(name);
    if (mode != Bypass.NONE) {
      stats.recordBypass();
    }
    Ttl stored = Bypass.skipsStores(mode) ? Ttl.NOT_STORED : ttl;
    if (Bypass.skipsLookups(mode)) {
      return loads.loadFresh(key, loader, stored);
    }
    V value = l1.getIfPresent(key);
    if (value != null) {
      stats.recordHit();
      return value;
    }
    return miss(key, loader, stored);
  }

  /**
   * The hit path kept small, as {@link #get(Object, Callable)}'s; the rest is in the next method.
   */
  @Override
  @SuppressWarnings("unchecked")
  public @Nullable V getIfPresent(K key) {
    if (key != null && !closed && !wrapped && !Bypass.anyActive()) {
      Object stored = l1.reads().getIfPresent(key);
      if (stored != null && !l1.mayHoldWrappers()) {
        stats.recordHit();
        return (V) stored;
      }
    }
    return slowGetIfPresent(key);
  }

  private @Nullable V slowGetIfPresent(K key) {
    requireNonNull(key, "key must not be null");
    checkOpen();
    if (Bypass.anyActive() && Bypass.skipsLookups(Bypass.modeFor(name))) {
      stats.recordBypass();
      return null;
    }
    V value = lookUp(key);
    if (value == ABSENT) {
      return null;
    }
    return value != null ? value : loads.readThroughTiers(key, defaultTtl);
  }

  /** Reads L1, counting a hit or a miss; never loads or refreshes. */
  @Override
  public @Nullable V lookUp(K key) {
    return lookUp(key, null);
  }

  /**
   * Reads L1, counting a hit or a miss; never loads. A hit on an entry due for a refresh that wins
   * its reload is reported to {@code due}, if given.
   */
  @Override
  @SuppressWarnings("unchecked")
  public @Nullable V lookUp(K key, @Nullable BiConsumer<K, FreshEntry> due) {
    V value = l1.getIfPresent(key);
    if (value == null) {
      stats.recordMiss();
      return null;
    }
    if (wrapped && value instanceof FreshEntry entry) {
      long now = clock.read();
      Object live = hit(key, entry, now);
      if (live == MISS) {
        stats.recordMiss();
        return null;
      }
      if (live == null) {
        return (V) ABSENT;
      }
      if (due != null && entry.wantsRefresh(now, random) && entry.tryStartRefresh()) {
        due.accept(key, entry);
      }
      return (V) live;
    }
    stats.recordHit();
    return value;
  }

  @Override
  public void refreshQueued(
      List<K> keys,
      List<FreshEntry> entries,
      java.util.function.Consumer<BulkLoads.KeyFlights<K>> enqueue) {
    refresher.refreshQueued(keys, entries, enqueue);
  }

  @Override
  public Map<K, V> getAll(Collection<? extends K> keys, BatchLoader<K, V> loader) {
    if (Bypass.anyActive()) {
      int mode = Bypass.modeFor(name);
      if (mode != Bypass.NONE) {
        return scopedGetAll(keys, loader, mode);
      }
    }
    if (!wrapped) {
      return bulk.getAll(keys, loader, defaultTtl);
    }
    return bulk.getAll(
        keys,
        loader,
        defaultTtl,
        (due, entries) -> refresher.refreshAll(due, entries, loader, defaultTtl, maxBatchSize));
  }

  /** {@code getAll} inside a {@link CacheScope} that applies to this cache; see its contract. */
  private Map<K, V> scopedGetAll(Collection<? extends K> keys, BatchLoader<K, V> loader, int mode) {
    requireNonNull(keys, "keys must not be null");
    requireNonNull(loader, "loader must not be null");
    checkOpen();
    stats.recordBypass();
    if (!Bypass.skipsLookups(mode)) {
      return bulk.getAll(keys, loader, Ttl.NOT_STORED);
    }
    Set<K> unique = new LinkedHashSet<>();
    for (K key : keys) {
      unique.add(requireNonNull(key, "keys must not contain null"));
    }
    if (unique.isEmpty()) {
      return Map.of();
    }
    Map<K, V> loaded;
    try {
      loaded = loader.load(Collections.unmodifiableSet(unique));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new CacheLoadException("Batch loader failed for " + unique.size() + " keys", e);
    }
    var result = new LinkedHashMap<K, V>();
    if (loaded == null) {
      return result;
    }
    for (K key : unique) {
      V value = loaded.get(key);
      if (value != null) {
        result.put(key, value);
        if (!Bypass.skipsStores(mode)) {
          writes.put(key, value, defaultTtl);
        }
      }
    }
    return result;
  }

  @Override
  public CompletableFuture<@Nullable V> refresh(K key, Callable<? extends V> loader) {
    requireNonNull(key, "key must not be null");
    requireNonNull(loader, "loader must not be null");
    checkOpen();
    return explicitRefreshes.refresh(key, loader, defaultTtl);
  }

  @Override
  public CompletableFuture<Map<K, V>> refreshAll(
      Iterable<? extends K> keys, BatchLoader<K, V> loader) {
    requireNonNull(keys, "keys must not be null");
    requireNonNull(loader, "loader must not be null");
    var unique = new LinkedHashSet<K>();
    for (K key : keys) {
      unique.add(requireNonNull(key, "keys must not contain null"));
    }
    checkOpen();
    if (unique.isEmpty()) {
      return CompletableFuture.completedFuture(new LinkedHashMap<>());
    }
    return explicitRefreshes.refreshAll(List.copyOf(unique), loader, defaultTtl, maxBatchSize);
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
    var batcher =
        new BatchDispatcher<>(this, loads, loader, window, size, defaultTtl, batchPermits, name);
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
  public void invalidateTag(String tag) {
    requireNonNull(tag, "tag must not be null");
    checkOpen();
    writes.invalidateTags(List.of(tag));
  }

  @Override
  public void invalidateTags(Collection<String> tags) {
    requireNonNull(tags, "tags must not be null");
    for (String tag : tags) {
      requireNonNull(tag, "tags must not contain null");
    }
    checkOpen();
    if (!tags.isEmpty()) {
      writes.invalidateTags(List.copyOf(new java.util.LinkedHashSet<>(tags)));
    }
  }

  @Override
  public void invalidateMatching(String glob) {
    KeyGlob compiled = KeyGlob.of(glob);
    checkOpen();
    writes.invalidateMatching(compiled, matcher(compiled));
  }

  @Override
  public CacheStats stats() {
    checkOpen();
    CacheStats counted = countedStats();
    return removals == null ? counted : new CacheStats(counted, removals.failureCount());
  }

  private CacheStats countedStats() {
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
        now.bypasses(),
        tiers.counters().stream()
            .map(c ->
                new TierStats(
                    c.tier(), c.hitCount(), c.missCount(), c.errorCount(), c.writeCount()))
            .toList(),
        stats.refreshCount(),
        stats.refreshFailureCount(),
        stats.staleServedCount(),
        stats.negativeHitCount());
  }

  @Override
  public ConcurrentMap<K, V> asMap() {
    checkOpen();
    return mapView;
  }

  @Override
  public AsyncView<K, V> async() {
    checkOpen();
    return asyncView;
  }

  /** Reads L1 for the async view's fast path: counts a hit if found, and nothing if not. */
  @Nullable V l1Hit(K key) {
    V value = l1.getIfPresent(key);
    if (value != null) {
      stats.recordHit();
    }
    return value;
  }

  void recordMiss() {
    stats.recordMiss();
  }

  boolean hasTiers() {
    return !tiers.isEmpty();
  }

  /**
   * The value the map view's conditional writes compare against: L1's, after promoting a tier value
   * when L1 has none (so that it is L1's value too). Counts nothing unless it reads the tiers.
   */
  @Nullable V current(K key) {
    checkOpen();
    V value = l1.getIfPresent(key);
    if (value == null && !tiers.isEmpty() && getIfPresent(key) != null) {
      value = l1.getIfPresent(key);
    }
    return value;
  }

  /**
   * A compare-and-set of L1's value (by identity; null: absent or remove), with the default TTL.
   */
  boolean writeIfSame(K key, @Nullable V expected, @Nullable V value) {
    checkOpen();
    return writes.writeIfSame(key, expected, value, defaultTtl);
  }

  Iterator<Map.Entry<K, V>> l1Entries() {
    return l1.entries();
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
    refresher.close(); // interrupts the reloads in progress and joins their threads
    for (BatchDispatcher<K, V> batcher : batchers) {
      batcher.close();
    }
    asyncView.close();
    if (removals != null) {
      removals.close(); // delivers what is queued; the clear below is not reported
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
    return "Cache{name="
        + name
        + ", estimatedSize="
        + l1.estimatedSize()
        + ", closed="
        + closed
        + '}';
  }

  /** The number of background reloads running; for tests. */
  int refreshingCount() {
    return refresher.runningCount();
  }

  /** The number of callers parked on the load of {@code key}; for tests. */
  int parkedCount(K key) {
    return flights.parkedCount(key);
  }

  /** For tests: the number of loads in progress. */
  int inFlightCount() {
    return flights.inFlightCount();
  }

  /** The number of keys and of tags in the tag index; for tests. */
  int[] tagIndexSize() {
    return new int[] {writes.tagging().indexedKeyCount(), writes.tagging().indexedTagCount()};
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
