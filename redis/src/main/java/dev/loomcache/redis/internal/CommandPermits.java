package dev.loomcache.redis.internal;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Bounds the commands in flight on one Jedis client to its pool size, queueing the rest on a fair
 * semaphore.
 *
 * <p>Why: with Jedis 8.0.2 (commons-pool2 2.12.1) on JDK 25, about a thousand virtual threads
 * borrowing from a pool of 8 at once hang for good: connections are opened and then never used
 * (reproduced outside Loomcache with plain {@code RedisClient.eval} calls). With at most as many
 * borrowers as connections, the same load completes. A semaphore is an AQS queue, which parks
 * virtual threads without pinning them and wakes them in order.
 */
public final class CommandPermits {
  private final Semaphore permits;

  /** At most {@code maxConcurrent} commands at a time. */
  public CommandPermits(int maxConcurrent) {
    this.permits = new Semaphore(maxConcurrent, true);
  }

  /**
   * Runs {@code command} once a permit is free; parks the calling thread until then (not
   * interruptibly: each command ahead of it is bounded by the client's socket timeout).
   */
  public <T> T call(Supplier<T> command) {
    permits.acquireUninterruptibly();
    try {
      return command.get();
    } finally {
      permits.release();
    }
  }
}
