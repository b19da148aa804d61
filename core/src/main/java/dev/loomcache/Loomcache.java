package dev.loomcache;

import static java.util.Objects.requireNonNull;

import dev.loomcache.internal.L1Store;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
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
  /** A TTL meaning "never expires"; any duration too long to count in nanoseconds means the same. */
  public static final Duration NO_EXPIRY = ChronoUnit.FOREVER.getDuration();

  static final String DEFAULT_NAME = "default";
  static final long DEFAULT_MAXIMUM_SIZE = 10_000;

  private @Nullable String name;
  private long maximumSize = -1;
  private @Nullable Duration defaultTtl;
  private @Nullable Ticker ticker;
  private @Nullable MeterRegistry meterRegistry;

  private Loomcache() {}

  /** Returns a builder with every option at its default. */
  public static Loomcache<Object, Object> newBuilder() {
    return new Loomcache<>();
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
      throw new IllegalArgumentException("maximumSize must not be negative, but was " + maximumSize);
    }
    checkUnset("maximumSize", this.maximumSize < 0 ? null : this.maximumSize);
    this.maximumSize = maximumSize;
    return this;
  }

  /**
   * Sets how long stored values live when a call gives no TTL of its own; default
   * {@link #NO_EXPIRY}. A per-call TTL overrides it in either direction.
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
   * Binds the cache's meters to {@code registry} when it is built (see {@code README.md} for the
   * meter names); default: no meters.
   */
  public Loomcache<K, V> meterRegistry(MeterRegistry registry) {
    requireNonNull(registry, "registry must not be null");
    checkUnset("meterRegistry", this.meterRegistry);
    this.meterRegistry = registry;
    return this;
  }

  /** Builds a cache with this configuration; the builder may be used again afterwards. */
  @SuppressWarnings("unchecked")
  public <K1 extends K, V1 extends V> Cache<K1, V1> build() {
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
    return new LocalCachedFunction<A, R>(new LocalCache<>(this), fn);
  }

  String name() {
    return name == null ? DEFAULT_NAME : name;
  }

  long maximumSize() {
    return maximumSize < 0 ? DEFAULT_MAXIMUM_SIZE : maximumSize;
  }

  long defaultTtlNanos() {
    return defaultTtl == null ? L1Store.NEVER : LocalCache.toNanos(defaultTtl, "defaultTtl");
  }

  Ticker ticker() {
    return ticker == null ? Ticker.systemTicker() : ticker;
  }

  @Nullable MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  private static void checkUnset(String option, @Nullable Object current) {
    if (current != null) {
      throw new IllegalStateException(option + " was already set to " + current);
    }
  }
}
