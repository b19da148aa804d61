package dev.loomcache;

import static java.util.Objects.requireNonNull;

import dev.loomcache.internal.CacheSpec;
import dev.loomcache.internal.DurationText;
import dev.loomcache.internal.FreshPolicy;
import dev.loomcache.internal.RandomSource;
import dev.loomcache.internal.Ttl;
import dev.loomcache.spi.CacheTier;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@link Cache} instances; the entry point of the library.
 *
 * <pre>{@code
 * Cache<String, User> users = Loomcache.newBuilder()
 *     .name("users")
 *     .maximumSize(10_000)
 *     .defaultTtl(Duration.ofMinutes(5))
 *     .build();
 * User user = users.get("u1", () -> database.loadUser("u1"));
 * }</pre>
 *
 * <p>Each setter may be called once; a second call throws {@link IllegalStateException} naming the
 * value already set. Arguments are checked when given. A builder is not thread-safe; the caches it
 * builds are. Generic types follow Caffeine: {@link #build()} takes its key and value types from
 * the assignment target.
 *
 * @param <K> the key type of the caches built
 * @param <V> the value type of the caches built
 */
public final class Loomcache<K, V> {
  /**
   * A TTL meaning "never expires"; any duration too long to count in nanoseconds means the same.
   */
  public static final Duration NO_EXPIRY = ChronoUnit.FOREVER.getDuration();

  static final String DEFAULT_NAME = "default";
  static final long DEFAULT_MAXIMUM_SIZE = 10_000;
  static final Duration DEFAULT_BATCH_WINDOW = Duration.ofMillis(5);
  static final int DEFAULT_MAX_BATCH_SIZE = 100;
  static final int DEFAULT_MAX_CONCURRENT_BATCHES = 16;

  private @Nullable String name;
  private long maximumSize = -1;
  private long maximumWeight = -1;
  private @Nullable Weigher<?, ?> weigher;
  private @Nullable RemovalListener<?, ?> removalListener;
  private @Nullable Duration expireAfterAccess;
  private @Nullable Duration defaultTtl;
  private @Nullable Ticker ticker;
  private @Nullable MeterRegistry meterRegistry;
  private @Nullable Executor executor;
  private @Nullable Boolean recordStats;
  private @Nullable Duration batchWindow;
  private int maxBatchSize;
  private int maxConcurrentBatches;
  private @Nullable KeyCodec<?> keyCodec;
  private @Nullable ValueCodec<?> valueCodec;
  private final List<CacheTier> tiers = new ArrayList<>();
  private @Nullable BiFunction<?, ?, ? extends @Nullable Collection<String>> tagger;
  private @Nullable Duration refreshAfter;
  private @Nullable Double earlyRefresh;
  private @Nullable Duration staleIfError;
  private @Nullable Duration negativeTtl;
  private @Nullable Double ttlJitter;
  private @Nullable Long expireAfterHits;
  private @Nullable BiPredicate<?, Duration> cacheIf;
  private @Nullable RandomSource randomSource;

  private Loomcache() {}

  /** Returns a builder with every option at its default. */
  public static Loomcache<Object, Object> newBuilder() {
    return new Loomcache<>();
  }

  /**
   * Returns a builder configured from {@code spec}, comma-separated {@code key=value} entries in
   * the style of Caffeine's {@code CaffeineSpec}, with keys named after the builder's setters:
   *
   * <pre>{@code
   * Cache<String, String> users =
   *     Loomcache.from("name=users,maximumSize=10000,defaultTtl=5m,batchWindow=5ms").build();
   * }</pre>
   *
   * <p>Keys: {@code name}, {@code maximumSize}, {@code maximumWeight} (then set a {@link
   * #weigher(Weigher)} on the returned builder), {@code defaultTtl}, {@code expireAfterAccess},
   * {@code batchWindow}, {@code maxBatchSize}, {@code maxConcurrentBatches}, {@code recordStats},
   * and the freshness options {@code refreshAfter}, {@code earlyRefresh}, {@code staleIfError},
   * {@code negativeTtl}, {@code ttlJitter}, {@code expireAfterHits}. Durations are written {@code
   * 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or in ISO-8601 ({@code PT30S}).
   * Whitespace around keys and values is ignored; blank text gives a builder with every option at
   * its default. Options set by the spec count as set: calling their setter again throws {@link
   * IllegalStateException}, as for any setter.
   *
   * @throws NullPointerException if {@code spec} is null
   * @throws IllegalArgumentException for an unknown, repeated or blank key, an entry without {@code
   *     =}, or a value the option does not accept; the message names the key and lists the valid
   *     ones
   */
  public static Loomcache<Object, Object> from(String spec) {
    return CacheSpec.PARSER.apply(spec, newBuilder());
  }

  /**
   * Sets the cache's name, used as the {@code cache} tag of its metrics and in messages; default
   * {@code "default"}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public Loomcache<K, V> name(String name) {
    requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    checkUnset("name", this.name);
    this.name = name;
    return this;
  }

  /**
   * Sets the maximum number of entries in L1; default 10,000. Past it, entries are evicted by
   * Caffeine's W-TinyLFU policy. Zero stores nothing.
   *
   * @throws IllegalArgumentException if {@code maximumSize} is negative
   */
  public Loomcache<K, V> maximumSize(long maximumSize) {
    if (maximumSize < 0) {
      throw new IllegalArgumentException(
          "maximumSize must not be negative, but was " + maximumSize);
    }
    checkUnset("maximumSize", this.maximumSize < 0 ? null : this.maximumSize);
    this.maximumSize = maximumSize;
    return this;
  }

  /**
   * Bounds L1 by the total weight of its entries instead of their number, as given by the {@link
   * #weigher(Weigher)} (required with it). Past the bound, entries are evicted by Caffeine's
   * W-TinyLFU policy, eventually (maintenance runs after the write, not inside it). Zero stores
   * nothing. Cannot be combined with {@link #maximumSize(long)}; {@link #build()} checks.
   *
   * @throws IllegalArgumentException if {@code maximumWeight} is negative
   */
  public Loomcache<K, V> maximumWeight(long maximumWeight) {
    if (maximumWeight < 0) {
      throw new IllegalArgumentException(
          "maximumWeight must not be negative, but was " + maximumWeight);
    }
    checkUnset("maximumWeight", this.maximumWeight < 0 ? null : this.maximumWeight);
    this.maximumWeight = maximumWeight;
    return this;
  }

  /**
   * Sets how an entry's weight is computed, for {@link #maximumWeight(long)} (required with it).
   * The weigher sees the value as stored by the user, is called once per L1 write, and runs inside
   * that write: it must be fast and must not call the cache. A negative weight fails the write with
   * {@link IllegalArgumentException}. Narrows the builder's types, like Caffeine's: write the
   * lambda's parameter types, {@code weigher((String key, byte[] value) -> value.length)}.
   */
  @SuppressWarnings("unchecked")
  public <K1 extends K, V1 extends V> Loomcache<K1, V1> weigher(
      Weigher<? super K1, ? super V1> weigher) {
    requireNonNull(weigher, "weigher must not be null");
    checkUnset("weigher", this.weigher);
    this.weigher = weigher;
    return (Loomcache<K1, V1>) this;
  }

  /**
   * Sets a listener told about every entry leaving L1, once, with its {@link RemovalCause}. It runs
   * on a virtual thread of the cache, outside every lock and never on the hit path; a listener that
   * throws is logged and counted, never propagated. Default: none (and then nothing at all is done
   * for removals). Narrows the builder's types, like {@link #weigher(Weigher)}.
   *
   * <p>There is no synchronous {@code evictionListener}: Caffeine calls one inside its own lock on
   * the entry, where a listener that writes the same key would deadlock.
   */
  @SuppressWarnings("unchecked")
  public <K1 extends K, V1 extends V> Loomcache<K1, V1> removalListener(
      RemovalListener<? super K1, ? super V1> listener) {
    requireNonNull(listener, "listener must not be null");
    checkUnset("removalListener", this.removalListener);
    this.removalListener = listener;
    return (Loomcache<K1, V1>) this;
  }

  /**
   * Makes entries expire once they have not been read for {@code idle} (sliding expiry: every
   * {@code get}, {@code getIfPresent} or map-view read of a key restarts its idle time). Combines
   * with TTLs: an entry leaves at whichever comes first. A hit reads the coarse clock (one volatile
   * read), never {@code System.nanoTime()}; a fake {@link #ticker(Ticker)} is exact. Default: off,
   * and caches without it keep their layout.
   *
   * @throws IllegalArgumentException if {@code idle} is zero or negative
   */
  public Loomcache<K, V> expireAfterAccess(Duration idle) {
    requireNonNull(idle, "idle must not be null");
    if (idle.isNegative() || idle.isZero()) {
      throw new IllegalArgumentException("expireAfterAccess must be positive, but was " + idle);
    }
    checkUnset("expireAfterAccess", this.expireAfterAccess);
    this.expireAfterAccess = idle;
    return this;
  }

  /**
   * Sets how long stored values live when a call gives no TTL of its own; default {@link
   * #NO_EXPIRY}. A per-call TTL overrides it in either direction.
   *
   * @throws IllegalArgumentException if {@code ttl} is zero or negative
   */
  public Loomcache<K, V> defaultTtl(Duration ttl) {
    requireNonNull(ttl, "ttl must not be null");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("defaultTtl must be positive, but was " + ttl);
    }
    checkUnset("defaultTtl", this.defaultTtl);
    this.defaultTtl = ttl;
    return this;
  }

  /** Sets the time source for expiry and load timing; default {@link Ticker#systemTicker()}. */
  public Loomcache<K, V> ticker(Ticker ticker) {
    requireNonNull(ticker, "ticker must not be null");
    checkUnset("ticker", this.ticker);
    this.ticker = ticker;
    return this;
  }

  /**
   * Sets the executor that runs L1 maintenance (evictions and expiry bookkeeping, which never call
   * user code); default {@link java.util.concurrent.ForkJoinPool#commonPool()}. A direct executor
   * ({@code Runnable::run}) makes maintenance deterministic for tests, at about twice the cost of a
   * hit.
   */
  public Loomcache<K, V> executor(Executor executor) {
    requireNonNull(executor, "executor must not be null");
    checkUnset("executor", this.executor);
    this.executor = executor;
    return this;
  }

  /**
   * Whether hits, misses and coalesced callers are counted; default {@code true}. Counting a hit is
   * the one piece of bookkeeping on the hit path (a striped counter increment, about a quarter of a
   * hit's cost here); with {@code false}, {@link CacheStats#hitCount()}, {@link
   * CacheStats#missCount()}, {@link CacheStats#coalescedCount()} and their meters stay 0, and
   * everything else (loads, load times, evictions, batches, tier stats) is still counted. As
   * Caffeine's {@code recordStats()}, in the other direction.
   */
  public Loomcache<K, V> recordStats(boolean recordStats) {
    checkUnset("recordStats", this.recordStats);
    this.recordStats = recordStats;
    return this;
  }

  /**
   * Binds the cache's meters to {@code registry} when it is built (see {@code README.md} for the
   * meter names); default: no meters.
   */
  public Loomcache<K, V> meterRegistry(MeterRegistry registry) {
    requireNonNull(registry, "registry must not be null");
    checkUnset("meterRegistry", this.meterRegistry);
    this.meterRegistry = registry;
    return this;
  }

  /**
   * Sets how long a batcher's window stays open after its first key is queued; default 5 ms. Zero
   * dispatches every queued key at once (batching only what arrives together).
   *
   * @throws IllegalArgumentException if {@code window} is negative
   */
  public Loomcache<K, V> batchWindow(Duration window) {
    requireNonNull(window, "window must not be null");
    if (window.isNegative()) {
      throw new IllegalArgumentException("batchWindow must not be negative, but was " + window);
    }
    checkUnset("batchWindow", this.batchWindow);
    this.batchWindow = window;
    return this;
  }

  /**
   * Sets the most keys one batch loader call receives, for batchers and {@code getAll}; default
   * 100. A batcher's window closes as soon as it holds this many keys.
   *
   * @throws IllegalArgumentException if {@code maxBatchSize} is less than 1
   */
  public Loomcache<K, V> maxBatchSize(int maxBatchSize) {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException(
          "maxBatchSize must be at least 1, but was " + maxBatchSize);
    }
    checkUnset("maxBatchSize", this.maxBatchSize == 0 ? null : this.maxBatchSize);
    this.maxBatchSize = maxBatchSize;
    return this;
  }

  /**
   * Sets the most batch loader calls running at once (over all batchers of the cache, and within
   * one {@code getAll}), and the most loaders one {@code warmup} runs at once; default 16.
   *
   * @throws IllegalArgumentException if {@code maxConcurrentBatches} is less than 1
   */
  public Loomcache<K, V> maxConcurrentBatches(int maxConcurrentBatches) {
    if (maxConcurrentBatches < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentBatches must be at least 1, but was " + maxConcurrentBatches);
    }
    checkUnset(
        "maxConcurrentBatches", this.maxConcurrentBatches == 0 ? null : this.maxConcurrentBatches);
    this.maxConcurrentBatches = maxConcurrentBatches;
    return this;
  }

  /**
   * Sets refresh-ahead (stale-while-revalidate): a hit on an entry stored more than {@code
   * refreshAfter} ago returns the stored value at once, and the first such hit starts one
   * background reload of the key, on a virtual thread owned by the cache, with that call's loader
   * (a batcher's or {@code getAll}'s keys with their batch loader, batched). The reload is a load
   * like any other: a {@code get} that misses meanwhile waits for it, and an {@code invalidate} or
   * {@code put} meanwhile wins (the reload stores nothing). A failed reload keeps the stored value
   * and is counted; a later hit may try again. {@code getIfPresent} never starts a reload. Default:
   * off.
   *
   * @throws IllegalArgumentException if {@code refreshAfter} is not positive (and, when the cache
   *     is built, if it is not shorter than the {@code defaultTtl})
   */
  public Loomcache<K, V> refreshAfter(Duration refreshAfter) {
    Freshness.Options.positive(refreshAfter, "refreshAfter");
    checkUnset("refreshAfter", this.refreshAfter);
    this.refreshAfter = refreshAfter;
    return this;
  }

  /**
   * Sets probabilistic early refresh (XFetch, Vattani et al., VLDB 2015): a hit on an entry with
   * expiry {@code e}, whose load took {@code Δ}, starts a background reload (as for {@link
   * #refreshAfter}) when {@code now − Δ·beta·ln(U) ≥ e}, {@code U} uniform in (0, 1]. Larger values
   * refresh earlier; 0 (the default) is off. Needs a {@code defaultTtl}.
   *
   * @throws IllegalArgumentException if {@code beta} is negative or not finite
   */
  public Loomcache<K, V> earlyRefresh(double beta) {
    Freshness.Options.beta(beta);
    checkUnset("earlyRefresh", this.earlyRefresh);
    this.earlyRefresh = beta;
    return this;
  }

  /**
   * Keeps an entry {@code grace} past its TTL: a {@code get} then loads as for a miss (one load,
   * the others wait), and if the loader throws, that caller and every waiter receive the kept value
   * instead of the failure (counted in {@link CacheStats#staleServedCount()}). {@code getIfPresent}
   * never returns a kept value. With {@link #refreshAfter}, a failed refresh keeps the value until
   * its TTL plus {@code grace}. Default: off.
   *
   * @throws IllegalArgumentException if {@code grace} is not positive
   */
  public Loomcache<K, V> staleIfError(Duration grace) {
    Freshness.Options.positive(grace, "staleIfError");
    checkUnset("staleIfError", this.staleIfError);
    this.staleIfError = grace;
    return this;
  }

  /**
   * Remembers a loader's {@code null} (and a key a batch loader leaves out) as "absent" for {@code
   * negativeTtl}: a {@code get} within it returns {@code null} without calling its loader, counted
   * as a hit ({@link CacheStats#negativeHitCount()}). {@code put} and {@code invalidate} replace or
   * remove it like any entry. Absences are also written to the tiers that keep freshness deadlines
   * (Chronicle, Redis), and stay in L1 only otherwise. Default: a {@code null} is never remembered.
   *
   * @throws IllegalArgumentException if {@code negativeTtl} is not positive
   */
  public Loomcache<K, V> negativeTtl(Duration negativeTtl) {
    Freshness.Options.positive(negativeTtl, "negativeTtl");
    checkUnset("negativeTtl", this.negativeTtl);
    this.negativeTtl = negativeTtl;
    return this;
  }

  /**
   * Shortens every stored finite TTL {@code t} to {@code t·(1 − fraction·U)}, {@code U} uniform in
   * (0, 1], so that keys stored together do not expire together; {@link #NO_EXPIRY} stays. Default
   * 0 (off).
   *
   * @throws IllegalArgumentException unless {@code 0 <= fraction < 1}
   */
  public Loomcache<K, V> ttlJitter(double fraction) {
    Freshness.Options.jitter(fraction);
    checkUnset("ttlJitter", this.ttlJitter);
    this.ttlJitter = fraction;
    return this;
  }

  /**
   * Removes an entry at its {@code hits}-th hit: that hit returns the value, the next call loads.
   * Default: no hit budget.
   *
   * @throws IllegalArgumentException if {@code hits} is less than 1
   */
  public Loomcache<K, V> expireAfterHits(long hits) {
    Freshness.Options.hits(hits);
    checkUnset("expireAfterHits", this.expireAfterHits);
    this.expireAfterHits = hits;
    return this;
  }

  /**
   * Stores a loaded value only if {@code condition} accepts it with the load's duration; otherwise
   * the value is returned to the caller and its waiters but not stored. Not asked for {@code put}.
   * The condition runs on the loading thread, outside every lock; it must not throw.
   */
  public Loomcache<K, V> cacheIf(BiPredicate<? super V, Duration> condition) {
    requireNonNull(condition, "condition must not be null");
    checkUnset("cacheIf", this.cacheIf);
    this.cacheIf = condition;
    return this;
  }

  /** For tests: the source of {@code U} for XFetch and jitter. */
  Loomcache<K, V> randomSource(RandomSource random) {
    requireNonNull(random, "random must not be null");
    checkUnset("randomSource", this.randomSource);
    this.randomSource = random;
    return this;
  }

  /**
   * Sets how keys become the stable strings that tiers store them under; needed only with tiers.
   * Narrows the builder's key type.
   */
  @SuppressWarnings("unchecked")
  public <K1 extends K> Loomcache<K1, V> keyCodec(KeyCodec<K1> codec) {
    requireNonNull(codec, "codec must not be null");
    checkUnset("keyCodec", this.keyCodec);
    this.keyCodec = codec;
    return (Loomcache<K1, V>) this;
  }

  /**
   * Sets how values become the bytes that tiers store; needed only with tiers. Fixed for the cache:
   * stored bytes never choose their decoder. Narrows the builder's value type.
   */
  @SuppressWarnings("unchecked")
  public <V1 extends V> Loomcache<K, V1> valueCodec(ValueCodec<V1> codec) {
    requireNonNull(codec, "codec must not be null");
    checkUnset("valueCodec", this.valueCodec);
    this.valueCodec = codec;
    return (Loomcache<K, V1>) this;
  }

  /**
   * Adds a tier below L1. Tiers are read in the order they are added, on an L1 miss and before the
   * loader; every store and invalidation goes to all of them. May be called once per tier; the
   * cache closes its tiers when it is closed.
   *
   * @throws IllegalStateException if this tier (or another with the same name) was already added
   */
  public Loomcache<K, V> tier(CacheTier tier) {
    requireNonNull(tier, "tier must not be null");
    for (CacheTier added : tiers) {
      if (added == tier || added.name().equals(tier.name())) {
        throw new IllegalStateException("tier '" + tier.name() + "' was already added");
      }
    }
    tiers.add(tier);
    return this;
  }

  /**
   * Sets how stored entries are tagged, for {@link Cache#invalidateTag}: the cache calls {@code
   * tagger} with the key and value of every entry it stores (a put, a load, a value promoted from a
   * tier) and remembers the tags it returns; {@code null} or an empty collection means no tags. The
   * tagger runs on the storing thread, outside every lock of the cache, and must be a pure function
   * of the key and the value (instances sharing a tier must agree). Its exception reaches the
   * caller of {@code put}; a load whose tagger fails returns the value but stores nothing. Tags are
   * kept with the entry by tiers that support them (Redis, Chronicle).
   *
   * <pre>{@code
   * Cache<String, Order> orders = Loomcache.newBuilder()
   *     .tags((String id, Order order) -> List.of("user:" + order.userId()))
   *     .build();
   * orders.invalidateTag("user:42");
   * }</pre>
   *
   * @throws IllegalStateException if a tagger was already set
   */
  @SuppressWarnings("unchecked")
  public <K1 extends K, V1 extends V> Loomcache<K1, V1> tags(
      BiFunction<? super K1, ? super V1, ? extends @Nullable Collection<String>> tagger) {
    requireNonNull(tagger, "tagger must not be null");
    checkUnset("tags", this.tagger == null ? null : "a tagger");
    this.tagger = tagger;
    return (Loomcache<K1, V1>) this;
  }

  /** Builds a cache with this configuration; the builder may be used again afterwards. */
  @SuppressWarnings("unchecked")
  public <K1 extends K, V1 extends V> Cache<K1, V1> build() {
    checkFreshness();
    checkBounds();
    if (!tiers.isEmpty() && (keyCodec == null || valueCodec == null)) {
      throw new IllegalStateException(
          "A cache with tiers needs a keyCodec and a valueCodec; missing "
              + (keyCodec == null ? (valueCodec == null ? "both" : "keyCodec") : "valueCodec"));
    }
    return (Cache<K1, V1>) new LocalCache<K, V>(this);
  }

  /**
   * Builds a function that caches the results of {@code fn} per argument, in a cache with this
   * configuration; the builder may be used again afterwards.
   *
   * <pre>{@code
   * CachedFunction<Long, User> findUser =
   *     Loomcache.newBuilder().maximumSize(128).buildFunction(repository::loadUser);
   * }</pre>
   *
   * <p>Concurrent calls with equal arguments run {@code fn} once; see {@link CachedFunction} for
   * how arguments become keys.
   *
   * @throws NullPointerException if {@code fn} is null
   */
  public <A extends @Nullable K, R extends @Nullable V> CachedFunction<A, R> buildFunction(
      CacheableFunction<? super A, ? extends R> fn) {
    requireNonNull(fn, "fn must not be null");
    checkFreshness();
    checkBounds();
    return new LocalCachedFunction<A, R>(new LocalCache<>(this), fn);
  }

  /** The cross-field rules of the L1 bound, as in Caffeine. */
  private void checkBounds() {
    if (maximumWeight >= 0 && maximumSize >= 0) {
      throw new IllegalStateException(
          "maximumSize ("
              + maximumSize
              + ") and maximumWeight ("
              + maximumWeight
              + ") cannot be combined: bound L1 by entry count or by weight, not both");
    }
    if (maximumWeight >= 0 && weigher == null) {
      throw new IllegalStateException(
          "maximumWeight ("
              + maximumWeight
              + ") needs a weigher:"
              + " add .weigher((key, value) -> weight)");
    }
    if (weigher != null && maximumWeight < 0) {
      throw new IllegalStateException(
          "a weigher needs maximumWeight: add .maximumWeight(bound),"
              + " or remove the weigher to bound L1 by maximumSize");
    }
  }

  String name() {
    return name == null ? DEFAULT_NAME : name;
  }

  private void checkFreshness() {
    if (refreshAfter != null && defaultTtl != null && refreshAfter.compareTo(defaultTtl) >= 0) {
      throw new IllegalArgumentException(
          "refreshAfter ("
              + refreshAfter
              + ") must be shorter than defaultTtl ("
              + defaultTtl
              + "), or the entry expires first");
    }
    if (earlyRefresh != null && earlyRefresh > 0 && defaultTtl == null) {
      throw new IllegalStateException(
          "earlyRefresh needs a defaultTtl: XFetch refreshes ahead of"
              + " an expiry, and without a defaultTtl entries never expire");
    }
  }

  /**
   * The freshness options as a policy on {@code clock}, or null if none is set (entries are then
   * raw values).
   */
  @Nullable FreshPolicy freshPolicy(Ticker clock) {
    if (refreshAfter == null
        && earlyRefresh == null
        && staleIfError == null
        && negativeTtl == null
        && ttlJitter == null
        && expireAfterHits == null
        && cacheIf == null) {
      return null;
    }
    return new FreshPolicy(
        refreshAfter == null ? 0 : Ttl.of(refreshAfter, "refreshAfter").nanos(),
        earlyRefresh == null ? 0 : earlyRefresh,
        staleIfError == null ? 0 : Ttl.of(staleIfError, "staleIfError").nanos(),
        negativeTtl == null ? 0 : Ttl.of(negativeTtl, "negativeTtl").nanos(),
        ttlJitter == null ? 0 : ttlJitter,
        expireAfterHits == null ? -1 : expireAfterHits,
        cacheIf,
        clock,
        randomSource());
  }

  RandomSource randomSource() {
    return randomSource == null ? RandomSource.DEFAULT : randomSource;
  }

  /** The weight bound, or -1 when L1 is bounded by {@link #maximumSize()}. */
  long maximumWeight() {
    return maximumWeight;
  }

  @Nullable Weigher<?, ?> weigher() {
    return weigher;
  }

  @Nullable RemovalListener<?, ?> removalListener() {
    return removalListener;
  }

  @Nullable Duration expireAfterAccess() {
    return expireAfterAccess;
  }

  long maximumSize() {
    return maximumSize < 0 ? DEFAULT_MAXIMUM_SIZE : maximumSize;
  }

  Ttl defaultTtl() {
    return defaultTtl == null ? Ttl.NEVER : Ttl.of(defaultTtl, "defaultTtl");
  }

  @Nullable Executor executor() {
    return executor;
  }

  boolean recordStats() {
    return recordStats == null || recordStats;
  }

  Ticker ticker() {
    return ticker == null ? Ticker.systemTicker() : ticker;
  }

  @Nullable MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  Duration batchWindow() {
    return batchWindow == null ? DEFAULT_BATCH_WINDOW : batchWindow;
  }

  int maxBatchSize() {
    return maxBatchSize == 0 ? DEFAULT_MAX_BATCH_SIZE : maxBatchSize;
  }

  List<CacheTier> tiers() {
    return List.copyOf(tiers);
  }

  @Nullable KeyCodec<?> keyCodec() {
    return keyCodec;
  }

  @Nullable ValueCodec<?> valueCodec() {
    return valueCodec;
  }

  @Nullable BiFunction<?, ?, ? extends @Nullable Collection<String>> tagger() {
    return tagger;
  }

  int maxConcurrentBatches() {
    return maxConcurrentBatches == 0 ? DEFAULT_MAX_CONCURRENT_BATCHES : maxConcurrentBatches;
  }

  /**
   * Returns the options set so far: those with a text form as a spec that {@link #from(String)}
   * reads back, then the others by name.
   */
  @Override
  public String toString() {
    var spec = new StringJoiner(",");
    if (name != null) {
      spec.add("name=" + name);
    }
    if (maximumSize >= 0) {
      spec.add("maximumSize=" + maximumSize);
    }
    if (maximumWeight >= 0) {
      spec.add("maximumWeight=" + maximumWeight);
    }
    if (defaultTtl != null) {
      spec.add("defaultTtl=" + DurationText.format(defaultTtl));
    }
    if (expireAfterAccess != null) {
      spec.add("expireAfterAccess=" + DurationText.format(expireAfterAccess));
    }
    if (batchWindow != null) {
      spec.add("batchWindow=" + DurationText.format(batchWindow));
    }
    if (maxBatchSize != 0) {
      spec.add("maxBatchSize=" + maxBatchSize);
    }
    if (maxConcurrentBatches != 0) {
      spec.add("maxConcurrentBatches=" + maxConcurrentBatches);
    }
    if (recordStats != null) {
      spec.add("recordStats=" + recordStats);
    }
    if (refreshAfter != null) {
      spec.add("refreshAfter=" + DurationText.format(refreshAfter));
    }
    if (earlyRefresh != null) {
      spec.add("earlyRefresh=" + earlyRefresh);
    }
    if (staleIfError != null) {
      spec.add("staleIfError=" + DurationText.format(staleIfError));
    }
    if (negativeTtl != null) {
      spec.add("negativeTtl=" + DurationText.format(negativeTtl));
    }
    if (ttlJitter != null) {
      spec.add("ttlJitter=" + ttlJitter);
    }
    if (expireAfterHits != null) {
      spec.add("expireAfterHits=" + expireAfterHits);
    }
    var others = new StringJoiner(", ", "; ", "").setEmptyValue("");
    if (ticker != null) {
      others.add("ticker");
    }
    if (weigher != null) {
      others.add("weigher");
    }
    if (removalListener != null) {
      others.add("removalListener");
    }
    if (meterRegistry != null) {
      others.add("meterRegistry");
    }
    if (executor != null) {
      others.add("executor");
    }
    if (cacheIf != null) {
      others.add("cacheIf");
    }
    if (keyCodec != null) {
      others.add("keyCodec");
    }
    if (valueCodec != null) {
      others.add("valueCodec");
    }
    if (tagger != null) {
      others.add("tags");
    }
    if (!tiers.isEmpty()) {
      others.add("tiers=" + tiers.stream().map(CacheTier::name).toList());
    }
    return "Loomcache{" + spec + others + "}";
  }

  private static void checkUnset(String option, @Nullable Object current) {
    if (current != null) {
      throw new IllegalStateException(option + " was already set to " + current);
    }
  }
}
