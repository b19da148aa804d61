package dev.loomcache.redis;

import java.io.Serial;

/**
 * Thrown by {@link RedisLocks#lock} when the lock was not acquired within its {@code maxWait}.
 * Unchecked.
 */
public final class LockTimeoutException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * @param message which lock, and how long the caller waited
   */
  public LockTimeoutException(String message) {
    super(message);
  }
}
