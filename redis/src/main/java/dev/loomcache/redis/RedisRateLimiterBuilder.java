package dev.loomcache.redis;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds a {@link RedisRateLimiter}: one of {@link #fixedWindow} or {@link #slidingWindow} is
 * required. Each setter may be called once (a second call throws {@link IllegalStateException}
 * naming the value already set); arguments are checked at once. Not thread-safe.
 */
public final class RedisRateLimiterBuilder {
  private final UnifiedJedis client;
  private @Nullable String window;
  private boolean sliding;
  private int limit;
  private @Nullable Duration period;
  private @Nullable Duration ban;
  private @Nullable String keyPrefix;
  private @Nullable RedisDownPolicy whenDown;
  private @Nullable String name;
  private @Nullable MeterRegistry meterRegistry;
  private int maxConcurrentCommands;

  RedisRateLimiterBuilder(UnifiedJedis client) {
    this.client = client;
  }

  /**
   * {@code limit} calls per key in each fixed window of {@code period} (whole milliseconds), the
   * window starting at the key's first call.
   *
   * @throws IllegalArgumentException if {@code limit} or {@code period} is not positive
   * @throws IllegalStateException if a window was already chosen
   */
  public RedisRateLimiterBuilder fixedWindow(int limit, Duration period) {
    return window(false, limit, period);
  }

  /**
   * About {@code limit} calls per key in any {@code period} (whole milliseconds), by the two-window
   * estimate described at {@link dev.loomcache.limit.RateLimiter#slidingWindow}.
   *
   * @throws IllegalArgumentException if {@code limit} or {@code period} is not positive
   * @throws IllegalStateException if a window was already chosen
   */
  public RedisRateLimiterBuilder slidingWindow(int limit, Duration period) {
    return window(true, limit, period);
  }

  private RedisRateLimiterBuilder window(boolean sliding, int limit, Duration period) {
    requireNonNull(period, "period must not be null");
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    if (period.toMillis() <= 0) {
      throw new IllegalArgumentException("period must be at least one millisecond: " + period);
    }
    checkUnset("window", window);
    this.window = (sliding ? "slidingWindow(" : "fixedWindow(") + limit + ", " + period + ")";
    this.sliding = sliding;
    this.limit = limit;
    this.period = period;
    return this;
  }

  /**
   * Bans a key for {@code ban} (whole milliseconds) from its first denied call; default: no ban.
   *
   * @throws IllegalArgumentException if {@code ban} is shorter than a millisecond
   */
  public RedisRateLimiterBuilder banFor(Duration ban) {
    requireNonNull(ban, "ban must not be null");
    if (ban.toMillis() <= 0) {
      throw new IllegalArgumentException("ban must be at least one millisecond: " + ban);
    }
    checkUnset("banFor", this.ban);
    this.ban = ban;
    return this;
  }

  /**
   * The prefix of this limiter's Redis keys (default {@code "ratelimit:"}); limiters with the same
   * prefix share their keys' counts, so give each limit its own prefix.
   */
  public RedisRateLimiterBuilder keyPrefix(String keyPrefix) {
    requireNonNull(keyPrefix, "keyPrefix must not be null");
    checkUnset("keyPrefix", this.keyPrefix);
    this.keyPrefix = keyPrefix;
    return this;
  }

  /** What to decide when Redis cannot be asked; default {@link RedisDownPolicy#FAIL_OPEN}. */
  public RedisRateLimiterBuilder whenRedisDown(RedisDownPolicy policy) {
    requireNonNull(policy, "policy must not be null");
    checkUnset("whenRedisDown", this.whenDown);
    this.whenDown = policy;
    return this;
  }

  /** Names the limiter: the {@code limiter} tag of its meters; default {@code "default"}. */
  public RedisRateLimiterBuilder name(String name) {
    requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    checkUnset("name", this.name);
    this.name = name;
    return this;
  }

  /**
   * Counts decisions in {@code registry} as {@code ratelimit.decisions}, tags {@code limiter} and
   * {@code result} ({@code allowed}, {@code denied}, {@code banned}, {@code redis_down_allowed},
   * {@code redis_down_denied}); default: no meters.
   */
  public RedisRateLimiterBuilder meterRegistry(MeterRegistry registry) {
    requireNonNull(registry, "registry must not be null");
    checkUnset("meterRegistry", this.meterRegistry);
    this.meterRegistry = registry;
    return this;
  }

  /**
   * How many decisions may talk to Redis at once (default 8); set it to the client's pool size.
   * More callers queue in order before borrowing a connection: many virtual threads waiting inside
   * the connection pool itself can hang it.
   *
   * @throws IllegalArgumentException if {@code maxConcurrentCommands} is not positive
   */
  public RedisRateLimiterBuilder maxConcurrentCommands(int maxConcurrentCommands) {
    if (maxConcurrentCommands <= 0) {
      throw new IllegalArgumentException(
          "maxConcurrentCommands must be positive: " + maxConcurrentCommands);
    }
    if (this.maxConcurrentCommands > 0) {
      throw new IllegalStateException(
          "maxConcurrentCommands was already set to " + this.maxConcurrentCommands);
    }
    this.maxConcurrentCommands = maxConcurrentCommands;
    return this;
  }

  /**
   * Builds the limiter. Talks to Redis only when deciding.
   *
   * @throws IllegalStateException if no window was chosen
   */
  public RedisRateLimiter build() {
    if (period == null) {
      throw new IllegalStateException(
          "Choose a window: fixedWindow(limit, period) or" + " slidingWindow(limit, period)");
    }
    return new RedisRateLimiter(
        client,
        sliding,
        limit,
        period,
        ban,
        keyPrefix == null ? "ratelimit:" : keyPrefix,
        whenDown == null ? RedisDownPolicy.FAIL_OPEN : whenDown,
        name == null ? "default" : name,
        meterRegistry,
        maxConcurrentCommands == 0 ? 8 : maxConcurrentCommands);
  }

  private static void checkUnset(String option, @Nullable Object current) {
    if (current != null) {
      throw new IllegalStateException(option + " was already set to " + current);
    }
  }
}
