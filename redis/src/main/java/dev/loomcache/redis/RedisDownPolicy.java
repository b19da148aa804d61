package dev.loomcache.redis;

/**
 * What a {@link RedisRateLimiter} decides when Redis cannot be asked (down, unreachable, timed
 * out). Every such decision is counted ({@link RedisRateLimiter#redisFailureCount()} and the meter
 * {@code ratelimit.decisions} with result {@code redis_down_allowed} or {@code redis_down_denied}).
 */
public enum RedisDownPolicy {
  /**
   * Allow the call (the default): an outage of Redis does not become an outage of the service, at
   * the price of no limit while it lasts.
   */
  FAIL_OPEN,

  /**
   * Deny the call, with {@code retryAfter} one second (or the period, if shorter): what lies behind
   * the limit is protected even while Redis is down, at the price of refusing every call.
   */
  FAIL_CLOSED
}
