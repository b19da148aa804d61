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

  /** L1 clears because a sender's sequence showed a gap (its watermark passed unseen numbers). */
  public final LongAdder gapClears = new LongAdder();

  /** L1 clears because a sender came back with a new epoch. */
  public final LongAdder restartClears = new LongAdder();

  /** L1 clears because a sender's heartbeats stopped without a goodbye. */
  public final LongAdder silentSenderClears = new LongAdder();

  /** L1 clears because this instance's own subscription was lost and confirmed again. */
  public final LongAdder resubscribeClears = new LongAdder();

  /** Acknowledgements of other instances' {@code invalidateAll} requests this instance sent. */
  public final LongAdder acknowledgementsSent = new LongAdder();
}
