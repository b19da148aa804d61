package dev.loomcache.redis;

import dev.loomcache.redis.internal.TierCounters;
import java.util.Arrays;

/**
 * A snapshot of a {@link RedisTier}'s own counters: the circuit breaker, write-behind, invalidation
 * messages, leases and repairs. Hits, misses, errors and writes are counted by the cache, per tier,
 * in {@code CacheStats.tierStats()}.
 */
public final class RedisTierStats {
  private final boolean breakerOpen;
  private final boolean subscribed;
  private final long[] counts;

  private static final int BREAKER_OPENS = 0;
  private static final int TIMEOUTS = 1;
  private static final int FAILURES = 2;
  private static final int SKIPPED = 3;
  private static final int QUEUED = 4;
  private static final int DROPPED = 5;
  private static final int WRITE_BEHIND_FAILURES = 6;
  private static final int PUBLISHED = 7;
  private static final int RECEIVED = 8;
  private static final int SUBSCRIPTIONS = 9;
  private static final int LEASES = 10;
  private static final int LEASE_WAITS = 11;
  private static final int LEASE_WAITS_SERVED = 12;
  private static final int REPAIRED_KEYS = 13;
  private static final int REPAIRED_CLEARS = 14;
  private static final int PENDING_REPAIRS = 15;
  private static final int GAP_CLEARS = 16;
  private static final int RESTART_CLEARS = 17;
  private static final int SILENT_CLEARS = 18;
  private static final int RESUBSCRIBE_CLEARS = 19;
  private static final int ACKS_SENT = 20;

  RedisTierStats(
      boolean breakerOpen,
      long breakerOpens,
      boolean subscribed,
      int queued,
      int pendingRepairs,
      TierCounters c) {
    this.breakerOpen = breakerOpen;
    this.subscribed = subscribed;
    this.counts =
        new long[] {
          breakerOpens,
          c.commandTimeouts.sum(),
          c.commandFailures.sum(),
          c.skippedCommands.sum(),
          queued,
          c.droppedWrites.sum(),
          c.writeBehindFailures.sum(),
          c.publishedInvalidations.sum(),
          c.receivedInvalidations.sum(),
          c.subscriptions.sum(),
          c.leasesAcquired.sum(),
          c.leaseWaits.sum(),
          c.leaseWaitsServed.sum(),
          c.repairedKeys.sum(),
          c.repairedClears.sum(),
          pendingRepairs,
          c.gapClears.sum(),
          c.restartClears.sum(),
          c.silentSenderClears.sum(),
          c.resubscribeClears.sum(),
          c.acknowledgementsSent.sum()
        };
  }

  /** Whether the circuit breaker is open: Redis is considered down and calls skip it. */
  public boolean breakerOpen() {
    return breakerOpen;
  }

  /** How many times the breaker has opened. */
  public long breakerOpenCount() {
    return counts[BREAKER_OPENS];
  }

  /** Commands that Redis did not answer within the command timeout. */
  public long commandTimeoutCount() {
    return counts[TIMEOUTS];
  }

  /** Commands that failed for another reason than an error reply (connection refused, reset...). */
  public long commandFailureCount() {
    return counts[FAILURES];
  }

  /** Calls that skipped Redis because the breaker was open. */
  public long skippedCommandCount() {
    return counts[SKIPPED];
  }

  /** Keys with a write or delete waiting in the write-behind queue now (0 in write-through). */
  public long writeBehindQueueSize() {
    return counts[QUEUED];
  }

  /**
   * Writes and deletes dropped because the write-behind queue was full (their keys are repaired).
   */
  public long droppedWriteCount() {
    return counts[DROPPED];
  }

  /** Queued writes and deletes that failed when applied (their keys are repaired). */
  public long writeBehindFailureCount() {
    return counts[WRITE_BEHIND_FAILURES];
  }

  /** Invalidation messages this instance published. */
  public long publishedInvalidationCount() {
    return counts[PUBLISHED];
  }

  /** Invalidation messages from other instances this instance received. */
  public long receivedInvalidationCount() {
    return counts[RECEIVED];
  }

  /** Whether the invalidation subscription is confirmed right now. */
  public boolean subscribed() {
    return subscribed;
  }

  /** Confirmed subscriptions, the first one included: more than one means reconnects. */
  public long subscriptionCount() {
    return counts[SUBSCRIPTIONS];
  }

  /** Leases this instance took (it then loaded the key). */
  public long leaseAcquiredCount() {
    return counts[LEASES];
  }

  /** Misses that found another instance's lease and waited. */
  public long leaseWaitCount() {
    return counts[LEASE_WAITS];
  }

  /** Waits that ended with the other instance's value (a load saved). */
  public long leaseWaitServedCount() {
    return counts[LEASE_WAITS_SERVED];
  }

  /** Keys deleted after a failed write or delete, once Redis answered again. */
  public long repairedKeyCount() {
    return counts[REPAIRED_KEYS];
  }

  /** Namespace clears done as a repair (a failed clear, or too many stale keys). */
  public long repairedClearCount() {
    return counts[REPAIRED_CLEARS];
  }

  /** Keys (and a namespace clear, counted as one) waiting for a repair now. */
  public long pendingRepairCount() {
    return counts[PENDING_REPAIRS];
  }

  /**
   * L1 clears because another instance's invalidations were found lost while this instance stayed
   * subscribed: a gap in its sequence numbers (its watermark passed numbers never received).
   */
  public long gapClearCount() {
    return counts[GAP_CLEARS];
  }

  /** L1 clears because another instance reappeared with a new epoch (it restarted). */
  public long restartClearCount() {
    return counts[RESTART_CLEARS];
  }

  /** L1 clears because another instance's heartbeats stopped without a goodbye. */
  public long silentSenderClearCount() {
    return counts[SILENT_CLEARS];
  }

  /**
   * L1 clears because this instance's own subscription was lost and confirmed again (or its first
   * subscription was confirmed only after the cache was built).
   */
  public long resubscribeClearCount() {
    return counts[RESUBSCRIBE_CLEARS];
  }

  /**
   * Every L1 clear caused by possibly lost invalidations: the sum of {@link #gapClearCount()},
   * {@link #restartClearCount()}, {@link #silentSenderClearCount()} and {@link
   * #resubscribeClearCount()}.
   */
  public long lostInvalidationClearCount() {
    return gapClearCount()
        + restartClearCount()
        + silentSenderClearCount()
        + resubscribeClearCount();
  }

  /** Acknowledgements of other instances' {@code invalidateAll()} this instance sent. */
  public long acknowledgementSentCount() {
    return counts[ACKS_SENT];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RedisTierStats other
        && breakerOpen == other.breakerOpen
        && subscribed == other.subscribed
        && Arrays.equals(counts, other.counts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(counts)
        + Boolean.hashCode(breakerOpen) * 2
        + Boolean.hashCode(subscribed);
  }

  @Override
  public String toString() {
    return "RedisTierStats{breakerOpen="
        + breakerOpen
        + ", breakerOpenCount="
        + breakerOpenCount()
        + ", commandTimeoutCount="
        + commandTimeoutCount()
        + ", commandFailureCount="
        + commandFailureCount()
        + ", skippedCommandCount="
        + skippedCommandCount()
        + ", writeBehindQueueSize="
        + writeBehindQueueSize()
        + ", droppedWriteCount="
        + droppedWriteCount()
        + ", writeBehindFailureCount="
        + writeBehindFailureCount()
        + ", publishedInvalidationCount="
        + publishedInvalidationCount()
        + ", receivedInvalidationCount="
        + receivedInvalidationCount()
        + ", subscribed="
        + subscribed
        + ", subscriptionCount="
        + subscriptionCount()
        + ", leaseAcquiredCount="
        + leaseAcquiredCount()
        + ", leaseWaitCount="
        + leaseWaitCount()
        + ", leaseWaitServedCount="
        + leaseWaitServedCount()
        + ", repairedKeyCount="
        + repairedKeyCount()
        + ", repairedClearCount="
        + repairedClearCount()
        + ", pendingRepairCount="
        + pendingRepairCount()
        + ", gapClearCount="
        + gapClearCount()
        + ", restartClearCount="
        + restartClearCount()
        + ", silentSenderClearCount="
        + silentSenderClearCount()
        + ", resubscribeClearCount="
        + resubscribeClearCount()
        + ", acknowledgementSentCount="
        + acknowledgementSentCount()
        + '}';
  }
}
