package dev.loomcache.redis.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * The tier's own counters, beyond the hits/misses/errors/writes that core counts per tier; read by
 * {@code RedisTierStats} and the meters. Each field is named for what it counts.
 */
public final class TierCounters {
  public final LongAdder commandTimeouts = new LongAdder();
  public final LongAdder commandFailures = new LongAdder();
  public final LongAdder skippedCommands = new LongAdder();
  public final LongAdder droppedWrites = new LongAdder();
  public final LongAdder writeBehindFailures = new LongAdder();
  public final LongAdder publishedInvalidations = new LongAdder();
  public final LongAdder receivedInvalidations = new LongAdder();
  public final LongAdder subscriptions = new LongAdder();
  public final LongAdder leasesAcquired = new LongAdder();
  public final LongAdder leaseWaits = new LongAdder();
  public final LongAdder leaseWaitsServed = new LongAdder();
  public final LongAdder repairedKeys = new LongAdder();
  public final LongAdder repairedClears = new LongAdder();
}
