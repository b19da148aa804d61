package dev.loomcache;

import java.util.List;
import java.util.Objects;

/**
 * An immutable snapshot of a cache's statistics. Counts only grow: {@link Cache#invalidateAll()}
 * does not reset them.
 *
 * <p>A read that finds no value in L1 counts one miss, whether it then loads, waits for another
 * caller's load, or (for {@link Cache#getIfPresent}) returns {@code null}. Among the misses of
 * {@code get}, each either ran a load ({@link #loadCount()}) or was served by another caller's load
 * ({@link #coalescedCount()}), or was answered by a tier ({@link TierStats#hitCount()}), unless it
 * was interrupted while waiting or rejected as re-entrant. Batch loader calls ({@code getAll},
 * batchers) are counted apart, as batches: one call, many keys.
 */
public final class CacheStats {
  private final long hitCount;
  private final long missCount;
  private final long loadSuccessCount;
  private final long loadFailureCount;
  private final long coalescedCount;
  private final long evictionCount;
  private final long putCount;
  private final long totalLoadTimeNanos;
  private final long batchCount;
  private final long batchFailureCount;
  private final long batchedKeyCount;
  private final long largestBatchSize;
  private final long totalBatchTimeNanos;
  private final long bypassCount;
  private final List<TierStats> tierStats;
  private final long refreshCount;
  private final long refreshFailureCount;
  private final long staleServedCount;
  private final long negativeHitCount;
  private final long removalListenerFailureCount;

  CacheStats(
      long hitCount,
      long missCount,
      long loadSuccessCount,
      long loadFailureCount,
      long coalescedCount,
      long evictionCount,
      long putCount,
      long totalLoadTimeNanos,
      long batchCount,
      long batchFailureCount,
      long batchedKeyCount,
      long largestBatchSize,
      long totalBatchTimeNanos,
      long bypassCount,
      List<TierStats> tierStats,
      long refreshCount,
      long refreshFailureCount,
      long staleServedCount,
      long negativeHitCount) {
    this.refreshCount = refreshCount;
    this.refreshFailureCount = refreshFailureCount;
    this.staleServedCount = staleServedCount;
    this.negativeHitCount = negativeHitCount;
    this.hitCount = hitCount;
    this.missCount = missCount;
    this.loadSuccessCount = loadSuccessCount;
    this.loadFailureCount = loadFailureCount;
    this.coalescedCount = coalescedCount;
    this.evictionCount = evictionCount;
    this.putCount = putCount;
    this.totalLoadTimeNanos = totalLoadTimeNanos;
    this.batchCount = batchCount;
    this.batchFailureCount = batchFailureCount;
    this.batchedKeyCount = batchedKeyCount;
    this.largestBatchSize = largestBatchSize;
    this.totalBatchTimeNanos = totalBatchTimeNanos;
    this.bypassCount = bypassCount;
    this.tierStats = List.copyOf(tierStats);
    this.removalListenerFailureCount = 0;
  }

  /** {@code base} with the count of removal-listener failures. */
  CacheStats(CacheStats base, long removalListenerFailureCount) {
    this.hitCount = base.hitCount;
    this.missCount = base.missCount;
    this.loadSuccessCount = base.loadSuccessCount;
    this.loadFailureCount = base.loadFailureCount;
    this.coalescedCount = base.coalescedCount;
    this.evictionCount = base.evictionCount;
    this.putCount = base.putCount;
    this.totalLoadTimeNanos = base.totalLoadTimeNanos;
    this.batchCount = base.batchCount;
    this.batchFailureCount = base.batchFailureCount;
    this.batchedKeyCount = base.batchedKeyCount;
    this.largestBatchSize = base.largestBatchSize;
    this.totalBatchTimeNanos = base.totalBatchTimeNanos;
    this.bypassCount = base.bypassCount;
    this.tierStats = base.tierStats;
    this.refreshCount = base.refreshCount;
    this.refreshFailureCount = base.refreshFailureCount;
    this.staleServedCount = base.staleServedCount;
    this.negativeHitCount = base.negativeHitCount;
    this.removalListenerFailureCount = removalListenerFailureCount;
  }

  /** Reads that found a value in L1. */
  public long hitCount() {
    return hitCount;
  }

  /** Reads that found no value in L1. */
  public long missCount() {
    return missCount;
  }

  /** Hits plus misses. */
  public long requestCount() {
    return hitCount + missCount;
  }

  /** Hits divided by requests, or {@code 0.0} when there were no requests. */
  public double hitRate() {
    long requests = requestCount();
    return requests == 0 ? 0.0 : (double) hitCount / requests;
  }

  /** Loader calls made, successful or not. */
  public long loadCount() {
    return loadSuccessCount + loadFailureCount;
  }

  /** Loader calls that returned (a {@code null} result counts as a success). */
  public long loadSuccessCount() {
    return loadSuccessCount;
  }

  /** Loader calls that threw. */
  public long loadFailureCount() {
    return loadFailureCount;
  }

  /** Callers that missed and were served by another caller's load instead of loading themselves. */
  public long coalescedCount() {
    return coalescedCount;
  }

  /** Entries removed by the size bound or by expiry (not by invalidation). */
  public long evictionCount() {
    return evictionCount;
  }

  /** Values stored in L1: {@code put} calls and loaded values that were kept. */
  public long putCount() {
    return putCount;
  }

  /** Nanoseconds spent in loaders, successful or not. */
  public long totalLoadTimeNanos() {
    return totalLoadTimeNanos;
  }

  /** Batch loader calls made (by {@code getAll} and batchers), successful or not. */
  public long batchCount() {
    return batchCount;
  }

  /** Batch loader calls that threw. */
  public long batchFailureCount() {
    return batchFailureCount;
  }

  /** Keys passed to batch loaders, over all batches. */
  public long batchedKeyCount() {
    return batchedKeyCount;
  }

  /** The most keys any one batch held. */
  public long largestBatchSize() {
    return largestBatchSize;
  }

  /** Keys per batch on average, or {@code 0.0} when no batch ran. */
  public double averageBatchSize() {
    return batchCount == 0 ? 0.0 : (double) batchedKeyCount / batchCount;
  }

  /** Nanoseconds spent in batch loaders. */
  public long totalBatchTimeNanos() {
    return totalBatchTimeNanos;
  }

  /**
   * Calls that a {@link CacheScope} applying to this cache bypassed ({@code get}, {@code
   * getIfPresent}, {@code getAll}); they count here instead of as hits or misses.
   */
  public long bypassCount() {
    return bypassCount;
  }

  /**
   * Background reloads that loaded a value: refresh-ahead, early refresh, and the reloads {@link
   * Cache#refresh} and {@link Cache#refreshAll} ran (one per key).
   */
  public long refreshCount() {
    return refreshCount;
  }

  /**
   * Background reloads (as {@link #refreshCount()} counts them) that failed; the stored value was
   * kept.
   */
  public long refreshFailureCount() {
    return refreshFailureCount;
  }

  /**
   * Callers that received a value kept past its TTL instead of a load's failure (stale-if-error).
   */
  public long staleServedCount() {
    return staleServedCount;
  }

  /** Hits on a remembered absence ({@code negativeTtl}); included in {@link #hitCount()}. */
  public long negativeHitCount() {
    return negativeHitCount;
  }

  /**
   * Per-tier hits, misses, errors and writes, in the order the tiers are read; empty without tiers.
   */
  public List<TierStats> tierStats() {
    return tierStats;
  }

  /** Calls of the {@link RemovalListener} that threw (each logged); zero without a listener. */
  public long removalListenerFailureCount() {
    return removalListenerFailureCount;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CacheStats other
        && hitCount == other.hitCount
        && missCount == other.missCount
        && loadSuccessCount == other.loadSuccessCount
        && loadFailureCount == other.loadFailureCount
        && coalescedCount == other.coalescedCount
        && evictionCount == other.evictionCount
        && putCount == other.putCount
        && totalLoadTimeNanos == other.totalLoadTimeNanos
        && batchCount == other.batchCount
        && batchFailureCount == other.batchFailureCount
        && batchedKeyCount == other.batchedKeyCount
        && largestBatchSize == other.largestBatchSize
        && totalBatchTimeNanos == other.totalBatchTimeNanos
        && bypassCount == other.bypassCount
        && tierStats.equals(other.tierStats)
        && refreshCount == other.refreshCount
        && refreshFailureCount == other.refreshFailureCount
        && staleServedCount == other.staleServedCount
        && negativeHitCount == other.negativeHitCount
        && removalListenerFailureCount == other.removalListenerFailureCount;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        hitCount,
        missCount,
        loadSuccessCount,
        loadFailureCount,
        coalescedCount,
        evictionCount,
        putCount,
        totalLoadTimeNanos,
        batchCount,
        batchFailureCount,
        batchedKeyCount,
        largestBatchSize,
        totalBatchTimeNanos,
        tierStats,
        bypassCount,
        refreshCount,
        refreshFailureCount,
        staleServedCount,
        negativeHitCount,
        removalListenerFailureCount);
  }

  @Override
  public String toString() {
    return "CacheStats{hitCount="
        + hitCount
        + ", missCount="
        + missCount
        + ", loadSuccessCount="
        + loadSuccessCount
        + ", loadFailureCount="
        + loadFailureCount
        + ", coalescedCount="
        + coalescedCount
        + ", evictionCount="
        + evictionCount
        + ", putCount="
        + putCount
        + ", totalLoadTimeNanos="
        + totalLoadTimeNanos
        + ", batchCount="
        + batchCount
        + ", batchFailureCount="
        + batchFailureCount
        + ", batchedKeyCount="
        + batchedKeyCount
        + ", largestBatchSize="
        + largestBatchSize
        + ", totalBatchTimeNanos="
        + totalBatchTimeNanos
        + ", bypassCount="
        + bypassCount
        + ", refreshCount="
        + refreshCount
        + ", refreshFailureCount="
        + refreshFailureCount
        + ", staleServedCount="
        + staleServedCount
        + ", negativeHitCount="
        + negativeHitCount
        + ", tierStats="
        + tierStats
        + ", removalListenerFailureCount="
        + removalListenerFailureCount
        + '}';
  }
}
