package dev.loomcache.limit;

import static java.util.Objects.requireNonNull;

import java.io.Serial;
import java.time.Duration;

/**
 * Thrown by a {@link dev.loomcache.CachingProxy} method annotated {@link RateLimited} when its
 * limit denies the call; the target was not called. Unchecked.
 */
public final class RateLimitExceededException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private final String key;
  private final transient Duration retryAfter;

  /**
   * @param message what was limited, for logs
   * @param key the rate-limit key the call was counted under
   * @param retryAfter how long to wait before trying again
   */
  public RateLimitExceededException(String message, String key, Duration retryAfter) {
    super(message);
    this.key = requireNonNull(key, "key must not be null");
    this.retryAfter = requireNonNull(retryAfter, "retryAfter must not be null");
  }

  /** The rate-limit key the denied call was counted under. */
  public String key() {
    return key;
  }

  /**
   * How long to wait before a call can be allowed again ({@link RateLimitDecision#retryAfter()}).
   */
  public Duration retryAfter() {
    return retryAfter;
  }
}
