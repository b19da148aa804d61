package dev.loomcache;

import java.util.Objects;

/** A snapshot of one tier's counters, part of {@link CacheStats}. */
public final class TierStats {
  private final String tier;
  private final long hitCount;
  private final long missCount;
  private final long errorCount;
  private final long writeCount;

  TierStats(String tier, long hitCount, long missCount, long errorCount, long writeCount) {
    this.tier = tier;
    this.hitCount = hitCount;
    this.missCount = missCount;
    this.errorCount = errorCount;
    this.writeCount = writeCount;
  }

  /** The tier's name. */
  public String tier() {
    return tier;
  }

  /** L1 misses this tier answered with a live value. */
  public long hitCount() {
    return hitCount;
  }

  /** L1 misses this tier was asked about and had no live value for. */
  public long missCount() {
    return missCount;
  }

  /**
   * Failed reads, writes, deletes and clears, and values that failed to decode (tampered, corrupt).
   */
  public long errorCount() {
    return errorCount;
  }

  /** Values written to this tier. */
  public long writeCount() {
    return writeCount;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TierStats other
        && tier.equals(other.tier)
        && hitCount == other.hitCount
        && missCount == other.missCount
        && errorCount == other.errorCount
        && writeCount == other.writeCount;
  }

  @Override
  public int hashCode() {
    return Objects.hash(tier, hitCount, missCount, errorCount, writeCount);
  }

  @Override
  public String toString() {
    return "TierStats{tier="
        + tier
        + ", hitCount="
        + hitCount
        + ", missCount="
        + missCount
        + ", errorCount="
        + errorCount
        + ", writeCount="
        + writeCount
        + '}';
  }
}
