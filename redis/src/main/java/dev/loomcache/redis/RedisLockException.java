package dev.loomcache.redis;

import java.io.Serial;

/**
 * Thrown by {@link RedisLocks} and {@link RedisLock.Held} when Redis cannot be reached or fails, or
 * when the waiting thread is interrupted (its interrupt status is then set again). Unchecked; the
 * cause is kept.
 */
public final class RedisLockException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * @param message what could not be done, with which lock
   * @param cause the Redis failure or the {@link InterruptedException}
   */
  public RedisLockException(String message, Throwable cause) {
    super(message, cause);
  }
}
