package dev.loomcache.redis;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * A Redis command of the tier failed, timed out, or was skipped because the circuit breaker is
 * open. Thrown by {@link RedisTier}'s {@code CacheTier} methods only; the cache counts it as a tier
 * error and carries on with L1 and the loader, so it never reaches a caller of {@code Cache.get},
 * {@code put} or {@code invalidate}.
 */
public final class RedisTierException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** A failure with its cause (a Jedis exception, or an interrupt). */
  public RedisTierException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  private RedisTierException(String message) {
    super(message, null, false, false);
  }

  /**
   * A call skipped because Redis is considered down; without a stack trace, since it is thrown on
   * every call while the breaker is open and means nothing more than its message.
   */
  public static RedisTierException circuitOpen(String operation) {
    return new RedisTierException(
        "Redis circuit is open (Redis is not answering); skipped " + operation);
  }
}
