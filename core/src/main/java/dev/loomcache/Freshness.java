package dev.loomcache;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Freshness options for one call, overriding the builder's for the value that call stores:
 *
 * <pre>{@code
 * Price price = prices.get(id, () -> feed.price(id),
 *     Freshness.ttl(Duration.ofMinutes(5)).refreshAfter(Duration.ofMinutes(4))
 *         .staleIfError(Duration.ofMinutes(30)));
 * }</pre>
 *
 * <p>Start from {@link #defaults()} (the builder's options) or {@link #ttl(Duration)}; each method
 * returns a new {@code Freshness} with one option replaced, so instances are immutable values and
 * may be shared. The options mean what the builder's setters of the same names mean; they are
 * checked when given, and against the TTL in effect when the call is made.
 */
public final class Freshness {
  private static final Freshness DEFAULTS =
      new Freshness(null, null, null, null, null, null, null, null);

  private final @Nullable Duration ttl;
  private final @Nullable Duration refreshAfter;
  private final @Nullable Double earlyRefresh;
  private final @Nullable Duration staleIfError;
  private final @Nullable Duration negativeTtl;
  private final @Nullable Double ttlJitter;
  private final @Nullable Long expireAfterHits;
  private final @Nullable BiPredicate<?, Duration> cacheIf;

  private Freshness(
      @Nullable Duration ttl,
      @Nullable Duration refreshAfter,
      @Nullable Double earlyRefresh,
      @Nullable Duration staleIfError,
      @Nullable Duration negativeTtl,
      @Nullable Double ttlJitter,
      @Nullable Long expireAfterHits,
      @Nullable BiPredicate<?, Duration> cacheIf) {
    this.ttl = ttl;
    this.refreshAfter = refreshAfter;
    this.earlyRefresh = earlyRefresh;
    this.staleIfError = staleIfError;
    this.negativeTtl = negativeTtl;
    this.ttlJitter = ttlJitter;
    this.expireAfterHits = expireAfterHits;
    this.cacheIf = cacheIf;
  }

  /** The builder's options, unchanged. */
  public static Freshness defaults() {
    return DEFAULTS;
  }

  /**
   * The builder's options with this TTL: {@link Duration#ZERO} returns the value without storing
   * it, {@link Loomcache#NO_EXPIRY} never expires.
   *
   * @throws IllegalArgumentException if {@code ttl} is negative
   */
  public static Freshness ttl(Duration ttl) {
    requireNonNull(ttl, "ttl must not be null");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative, but was " + ttl);
    }
    return new Freshness(ttl, null, null, null, null, null, null, null);
  }

  /**
   * With refresh-ahead after {@code refreshAfter}, as {@link Loomcache#refreshAfter(Duration)}.
   *
   * @throws IllegalArgumentException if {@code refreshAfter} is not positive
   */
  public Freshness refreshAfter(Duration refreshAfter) {
    Options.positive(refreshAfter, "refreshAfter");
    return new Freshness(
        ttl,
        refreshAfter,
        earlyRefresh,
        staleIfError,
        negativeTtl,
        ttlJitter,
        expireAfterHits,
        cacheIf);
  }

  /**
   * With XFetch early refresh, as {@link Loomcache#earlyRefresh(double)}.
   *
   * @throws IllegalArgumentException if {@code beta} is negative or not finite
   */
  public Freshness earlyRefresh(double beta) {
    Options.beta(beta);
    return new Freshness(
        ttl, refreshAfter, beta, staleIfError, negativeTtl, ttlJitter, expireAfterHits, cacheIf);
  }

  /**
   * With stale-if-error for {@code grace}, as {@link Loomcache#staleIfError(Duration)}.
   *
   * @throws IllegalArgumentException if {@code grace} is not positive
   */
  public Freshness staleIfError(Duration grace) {
    Options.positive(grace, "staleIfError");
    return new Freshness(
        ttl, refreshAfter, earlyRefresh, grace, negativeTtl, ttlJitter, expireAfterHits, cacheIf);
  }

  /**
   * With a loader's {@code null} remembered for {@code negativeTtl}, as {@link
   * Loomcache#negativeTtl(Duration)}.
   *
   * @throws IllegalArgumentException if {@code negativeTtl} is not positive
   */
  public Freshness negativeTtl(Duration negativeTtl) {
    Options.positive(negativeTtl, "negativeTtl");
    return new Freshness(
        ttl,
        refreshAfter,
        earlyRefresh,
        staleIfError,
        negativeTtl,
        ttlJitter,
        expireAfterHits,
        cacheIf);
  }

  /**
   * With the stored TTL shortened by a random fraction up to {@code fraction}, as {@link
   * Loomcache#ttlJitter(double)}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= fraction < 1}
   */
  public Freshness ttlJitter(double fraction) {
    Options.jitter(fraction);
    return new Freshness(
        ttl,
        refreshAfter,
        earlyRefresh,
        staleIfError,
        negativeTtl,
        fraction,
        expireAfterHits,
        cacheIf);
  }

  /**
   * With the entry removed by its {@code hits}-th hit, as {@link Loomcache#expireAfterHits(long)}.
   *
   * @throws IllegalArgumentException if {@code hits} is less than 1
   */
  public Freshness expireAfterHits(long hits) {
    Options.hits(hits);
    return new Freshness(
        ttl, refreshAfter, earlyRefresh, staleIfError, negativeTtl, ttlJitter, hits, cacheIf);
  }

  /** With the loaded value stored only if {@code condition} accepts it and its load time. */
  public Freshness cacheIf(BiPredicate<?, Duration> condition) {
    requireNonNull(condition, "condition must not be null");
    return new Freshness(
        ttl,
        refreshAfter,
        earlyRefresh,
        staleIfError,
        negativeTtl,
        ttlJitter,
        expireAfterHits,
        condition);
  }

  @Nullable Duration ttl() {
    return ttl;
  }

  @Nullable Duration refreshAfter() {
    return refreshAfter;
  }

  @Nullable Double earlyRefresh() {
    return earlyRefresh;
  }

  @Nullable Duration staleIfError() {
    return staleIfError;
  }

  @Nullable Duration negativeTtl() {
    return negativeTtl;
  }

  @Nullable Double ttlJitter() {
    return ttlJitter;
  }

  @Nullable Long expireAfterHits() {
    return expireAfterHits;
  }

  @Nullable BiPredicate<?, Duration> cacheIf() {
    return cacheIf;
  }

  /** Whether this changes nothing but (perhaps) the TTL. */
  boolean onlyTtl() {
    return refreshAfter == null
        && earlyRefresh == null
        && staleIfError == null
        && negativeTtl == null
        && ttlJitter == null
        && expireAfterHits == null
        && cacheIf == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Freshness f
        && Objects.equals(ttl, f.ttl)
        && Objects.equals(refreshAfter, f.refreshAfter)
        && Objects.equals(earlyRefresh, f.earlyRefresh)
        && Objects.equals(staleIfError, f.staleIfError)
        && Objects.equals(negativeTtl, f.negativeTtl)
        && Objects.equals(ttlJitter, f.ttlJitter)
        && Objects.equals(expireAfterHits, f.expireAfterHits)
        && Objects.equals(cacheIf, f.cacheIf);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        ttl,
        refreshAfter,
        earlyRefresh,
        staleIfError,
        negativeTtl,
        ttlJitter,
        expireAfterHits,
        cacheIf);
  }

  @Override
  public String toString() {
    var text = new StringBuilder("Freshness{");
    append(text, "ttl", ttl);
    append(text, "refreshAfter", refreshAfter);
    append(text, "earlyRefresh", earlyRefresh);
    append(text, "staleIfError", staleIfError);
    append(text, "negativeTtl", negativeTtl);
    append(text, "ttlJitter", ttlJitter);
    append(text, "expireAfterHits", expireAfterHits);
    append(text, "cacheIf", cacheIf);
    return text.append(text.charAt(text.length() - 1) == '{' ? "defaults}" : "}").toString();
  }

  private static void append(StringBuilder text, String name, @Nullable Object value) {
    if (value != null) {
      text.append(text.charAt(text.length() - 1) == '{' ? "" : ", ")
          .append(name)
          .append('=')
          .append(value);
    }
  }

  /** Argument checks shared with the builder. */
  static final class Options {
    private Options() {}

    static void positive(Duration d, String name) {
      requireNonNull(d, () -> name + " must not be null");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, but was " + d);
      }
    }

    static void beta(double beta) {
      if (!(beta >= 0) || Double.isInfinite(beta)) {
        throw new IllegalArgumentException(
            "earlyRefresh (XFetch beta) must be finite and at least 0, but was " + beta);
      }
    }

    static void jitter(double fraction) {
      if (!(fraction >= 0 && fraction < 1)) {
        throw new IllegalArgumentException(
            "ttlJitter must be at least 0 and less than 1, but was " + fraction);
      }
    }

    static void hits(long hits) {
      if (hits < 1) {
        throw new IllegalArgumentException("expireAfterHits must be at least 1, but was " + hits);
      }
    }
  }
}
