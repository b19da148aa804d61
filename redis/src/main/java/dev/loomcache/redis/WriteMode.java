package dev.loomcache.redis;

/** When a store or an invalidation reaches Redis. */
public enum WriteMode {
  /**
   * On the calling thread, before {@code Cache.put}/{@code invalidate} returns (bounded by the
   * command timeout). Other instances see the change as soon as the call returns.
   */
  WRITE_THROUGH,

  /**
   * Queued and written by the tier's own virtual threads: the caller does not wait for Redis.
   * Writes of one key reach Redis in the order they were made (a later write of a key replaces its
   * pending one), the queue is bounded (overflow is counted and repaired), and it is flushed on
   * close.
   */
  WRITE_BEHIND
}
