package dev.loomcache.internal;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * The cache's counters: striped adders, cheap to increment from many threads at once; the hit
 * counter, which runs on every hit, is an {@link OwnedCounter} (no atomic instruction per hit).
 */
public final class StatsCounter {
  private final OwnedCounter hits = new OwnedCounter();
  private final LongAdder misses = new LongAdder();
  private final LongAdder loadSuccesses = new LongAdder();
  private final LongAdder loadFailures = new LongAdder();
  private final LongAdder coalesced = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder loadTimeNanos = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder batchFailures = new LongAdder();
  private final LongAdder batchedKeys = new LongAdder();
  private final LongAdder batchTimeNanos = new LongAdder();
  private final LongAdder bypasses = new LongAdder();
  private final LongAccumulator largestBatch = new LongAccumulator(Math::max, 0);
  private final LongAdder refreshes = new LongAdder();
  private final LongAdder refreshFailures = new LongAdder();
  private final LongAdder staleServed = new LongAdder();
  private final LongAdder negativeHits = new LongAdder();
  private volatile LongConsumer batchSizeSink = size -> {};
  private final boolean countReads;

  /** Counters that count everything. */
  public StatsCounter() {
    this(true);
  }

  /**
   * @param countReads whether hits, misses and coalesced callers are counted (the builder's {@code
   *     recordStats})
   */
  public StatsCounter(boolean countReads) {
    this.countReads = countReads;
  }

  public void recordHit() {
    if (countReads) {
      hits.increment();
    }
  }

  /** A hit on a remembered absence; counted as a hit too. */
  public void recordNegativeHit() {
    negativeHits.increment();
    hits.increment();
  }

  void recordRefresh(boolean succeeded) {
    (succeeded ? refreshes : refreshFailures).increment();
  }

  void recordStaleServed() {
    staleServed.increment();
  }

  public long refreshCount() {
    return refreshes.sum();
  }

  public long refreshFailureCount() {
    return refreshFailures.sum();
  }

  public long staleServedCount() {
    return staleServed.sum();
  }

  public long negativeHitCount() {
    return negativeHits.sum();
  }

  public void recordMiss() {
    if (countReads) {
      misses.increment();
    }
  }

  /** A call that a {@code CacheScope} bypassed. */
  public void recordBypass() {
    bypasses.increment();
  }

  public long bypassCount() {
    return bypasses.sum();
  }

  void recordLoadSuccess(long nanos) {
    loadSuccesses.increment();
    loadTimeNanos.add(nanos);
  }

  void recordLoadFailure(long nanos) {
    loadFailures.increment();
    loadTimeNanos.add(nanos);
  }

  void recordCoalesced() {
    if (countReads) {
      coalesced.increment();
    }
  }

  void recordEviction() {
    evictions.increment();
  }

  void recordPut() {
    puts.increment();
  }

  void recordBatch(int size, long nanos, boolean failed) {
    batches.increment();
    if (failed) {
      batchFailures.increment();
    }
    batchedKeys.add(size);
    batchTimeNanos.add(nanos);
    largestBatch.accumulate(size);
    batchSizeSink.accept(size);
  }

  /** Also reports each batch's size to {@code sink} (a Micrometer distribution summary). */
  public void reportBatchSizesTo(LongConsumer sink) {
    this.batchSizeSink = sink;
  }

  public long hitCount() {
    return hits.sum();
  }

  public long missCount() {
    return misses.sum();
  }

  public long loadSuccessCount() {
    return loadSuccesses.sum();
  }

  public long loadFailureCount() {
    return loadFailures.sum();
  }

  public long coalescedCount() {
    return coalesced.sum();
  }

  public long evictionCount() {
    return evictions.sum();
  }

  public long putCount() {
    return puts.sum();
  }

  public long totalLoadTimeNanos() {
    return loadTimeNanos.sum();
  }

  public long batchCount() {
    return batches.sum();
  }

  public long batchFailureCount() {
    return batchFailures.sum();
  }

  public long batchedKeyCount() {
    return batchedKeys.sum();
  }

  public long totalBatchTimeNanos() {
    return batchTimeNanos.sum();
  }

  public long largestBatchSize() {
    return largestBatch.get();
  }

  /**
   * Reads every counter once, in one place, so a statistics snapshot is built from one read of
   * each. Counters are updated concurrently: two figures of one snapshot need not come from the
   * same instant.
   */
  public Snapshot snapshot() {
    return new Snapshot(
        hitCount(),
        missCount(),
        loadSuccessCount(),
        loadFailureCount(),
        coalescedCount(),
        evictionCount(),
        putCount(),
        totalLoadTimeNanos(),
        batchCount(),
        batchFailureCount(),
        batchedKeyCount(),
        largestBatchSize(),
        totalBatchTimeNanos(),
        bypassCount());
  }

  /** The counters at one reading. */
  public record Snapshot(
      long hits,
      long misses,
      long loadSuccesses,
      long loadFailures,
      long coalesced,
      long evictions,
      long puts,
      long loadTimeNanos,
      long batches,
      long batchFailures,
      long batchedKeys,
      long largestBatch,
      long batchTimeNanos,
      long bypasses) {}
}
