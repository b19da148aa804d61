package dev.loomcache.limit;

import static java.util.Objects.requireNonNull;

import dev.loomcache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Builds an in-process {@link RateLimiter}; start from {@link RateLimiter#fixedWindow} or {@link
 * RateLimiter#slidingWindow}. Each setter may be called once (a second call throws {@link
 * IllegalStateException} naming the value already set); arguments are checked at once. Not
 * thread-safe; the limiters it builds are.
 */
public final class RateLimiterBuilder {
  /** How windows are counted. */
  enum Algorithm {
    FIXED_WINDOW,
    SLIDING_WINDOW
  }

  /** The default bound on the number of keys remembered at once. */
  public static final long DEFAULT_MAXIMUM_KEYS = 100_000;

  private final Algorithm algorithm;
  private final int limit;
  private final Duration period;
  private @Nullable Duration ban;
  private @Nullable Ticker ticker;
  private long maximumKeys = -1;
  private @Nullable String name;
  private @Nullable MeterRegistry meterRegistry;

  RateLimiterBuilder(Algorithm algorithm, int limit, Duration period) {
    requireNonNull(period, "period must not be null");
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
    if (period.toNanos() >= Long.MAX_VALUE / 4) {
      throw new IllegalArgumentException("period is too long: " + period);
    }
    this.algorithm = algorithm;
    this.limit = limit;
    this.period = period;
  }

  /**
   * Bans a key for {@code ban} once it goes over its limit: the first denied call starts the ban,
   * and every call of the key during it is denied with {@code retryAfter} the rest of the ban.
   * Default: no ban (a denied key may go again when its window allows).
   *
   * @throws IllegalArgumentException if {@code ban} is not positive
   */
  public RateLimiterBuilder banFor(Duration ban) {
    requireNonNull(ban, "ban must not be null");
    if (ban.isNegative() || ban.isZero()) {
      throw new IllegalArgumentException("ban must be positive: " + ban);
    }
    checkUnset("banFor", this.ban);
    this.ban = ban;
    return this;
  }

  /**
   * Sets the time source; tests pass a fake one. Default: the system clock, read as {@code
   * System.nanoTime()} for periods under 100 ms, and otherwise as a shared clock that ticks every
   * millisecond (one volatile read per decision; a window may begin and end up to about a
   * millisecond late).
   */
  public RateLimiterBuilder ticker(Ticker ticker) {
    requireNonNull(ticker, "ticker must not be null");
    checkUnset("ticker", this.ticker);
    this.ticker = ticker;
    return this;
  }

  /**
   * Bounds the keys remembered at once (default {@value #DEFAULT_MAXIMUM_KEYS}). Idle keys are
   * forgotten when their window (and ban) is over whatever the bound; past the bound live keys are
   * forgotten early, in no particular order, and a forgotten key starts afresh, so size it above
   * the number of keys active in one period (two for a sliding window).
   *
   * @throws IllegalArgumentException if {@code maximumKeys} is not positive
   */
  public RateLimiterBuilder maximumKeys(long maximumKeys) {
    if (maximumKeys <= 0) {
      throw new IllegalArgumentException("maximumKeys must be positive: " + maximumKeys);
    }
    if (this.maximumKeys >= 0) {
      throw new IllegalStateException("maximumKeys was already set to " + this.maximumKeys);
    }
    this.maximumKeys = maximumKeys;
    return this;
  }

  /** Names the limiter: the {@code limiter} tag of its meters; default {@code "default"}. */
  public RateLimiterBuilder name(String name) {
    requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    checkUnset("name", this.name);
    this.name = name;
    return this;
  }

  /**
   * Counts every decision in {@code registry} as {@code ratelimit.decisions} with tags {@code
   * limiter} and {@code result} ({@code allowed}, {@code denied}, {@code banned}); default: no
   * meters.
   */
  public RateLimiterBuilder meterRegistry(MeterRegistry registry) {
    requireNonNull(registry, "registry must not be null");
    checkUnset("meterRegistry", this.meterRegistry);
    this.meterRegistry = registry;
    return this;
  }

  /** Builds the limiter; the builder may be used again, and each limiter counts on its own. */
  public RateLimiter build() {
    return new WindowedRateLimiter(
        algorithm == Algorithm.SLIDING_WINDOW,
        limit,
        period,
        ban,
        ticker,
        maximumKeys < 0 ? DEFAULT_MAXIMUM_KEYS : maximumKeys,
        name == null ? "default" : name,
        meterRegistry);
  }

  private static void checkUnset(String option, @Nullable Object current) {
    if (current != null) {
      throw new IllegalStateException(option + " was already set to " + current);
    }
  }
}
