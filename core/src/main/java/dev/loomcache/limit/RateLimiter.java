package dev.loomcache.limit;

import java.time.Duration;

/**
 * Decides, per key, whether a call may go ahead: at most a limit of calls per period, optionally
 * followed by a ban once a key goes over it.
 *
 * <pre>{@code
 * RateLimiter perUser = RateLimiter.fixedWindow(10, Duration.ofMinutes(1))
 *     .banFor(Duration.ofMinutes(10))
 *     .build();
 * if (!perUser.tryAcquire(userId)) {
 *   throw new TooManyRequests();
 * }
 * }</pre>
 *
 * <p>Two implementations share this interface: the in-process one built by {@link #fixedWindow} and
 * {@link #slidingWindow}, and {@code RedisRateLimiter} in {@code loomcache-redis}, which counts in
 * Redis so that every instance sharing it shares the limit. Implementations are thread-safe.
 *
 * <p>Neither method waits for an allowance: a denied call is answered at once. Keys are compared as
 * strings; a limiter's keys are independent of each other and of other limiters'.
 */
public interface RateLimiter extends AutoCloseable {

  /**
   * Returns a builder of an in-process limiter that allows {@code limit} calls per key in each
   * fixed window of {@code period}; a key's window starts at its first call after the previous
   * window ended.
   *
   * @throws IllegalArgumentException if {@code limit} is not positive or {@code period} is not
   *     positive
   * @throws NullPointerException if {@code period} is null
   */
  static RateLimiterBuilder fixedWindow(int limit, Duration period) {
    return new RateLimiterBuilder(RateLimiterBuilder.Algorithm.FIXED_WINDOW, limit, period);
  }

  /**
   * Returns a builder of an in-process limiter that allows about {@code limit} calls per key in any
   * {@code period}, estimated from two consecutive fixed windows (the previous window's count
   * weighted by how much of it the sliding period still covers, plus the current window's count).
   *
   * <p>The estimate assumes the previous window's calls were spread evenly. It is exact for even
   * traffic; in the worst case (every call of the previous window at its very end) the calls
   * allowed in one trailing period can reach, but never exceed, twice the limit; within one fixed
   * window never more than the limit are allowed.
   *
   * @throws IllegalArgumentException if {@code limit} is not positive or {@code period} is not
   *     positive
   * @throws NullPointerException if {@code period} is null
   */
  static RateLimiterBuilder slidingWindow(int limit, Duration period) {
    return new RateLimiterBuilder(RateLimiterBuilder.Algorithm.SLIDING_WINDOW, limit, period);
  }

  /**
   * Counts one call for {@code key} if its limit allows it, and says whether it did. The same
   * decision as {@link #acquire} without the details.
   *
   * <p>The in-process limiter never blocks; the Redis one parks the calling thread for one round
   * trip to Redis.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalStateException if the limiter is closed
   */
  default boolean tryAcquire(String key) {
    return acquire(key).allowed();
  }

  /**
   * Counts one call for {@code key} if its limit allows it, and returns the decision with the
   * allowance left and, when denied, when to try again. Atomic per key: of any number of concurrent
   * calls, exactly as many are allowed as the limit has room for. Despite its name it does not wait
   * for an allowance.
   *
   * <p>The in-process limiter never blocks; the Redis one parks the calling thread for one round
   * trip to Redis.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalStateException if the limiter is closed
   */
  RateLimitDecision acquire(String key);

  /** The number of calls allowed per key and period. */
  int limit();

  /** The length of a window. */
  Duration period();

  /** Releases what the limiter holds (its key store); later decisions throw. Idempotent. */
  @Override
  void close();
}
