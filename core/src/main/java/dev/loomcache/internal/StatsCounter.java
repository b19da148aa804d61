package dev.loomcache.internal;

import java.util.concurrent.atomic.LongAdder;

/** The cache's counters: striped adders, cheap to increment from many threads at once. */
public final class StatsCounter {
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder loadSuccesses = new LongAdder();
  private final LongAdder loadFailures = new LongAdder();
  private final LongAdder coalesced = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder loadTimeNanos = new LongAdder();

  public void recordHit() {
    hits.increment();
  }

  public void recordMiss() {
    misses.increment();
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
    coalesced.increment();
  }

  void recordEviction() {
    evictions.increment();
  }

  void recordPut() {
    puts.increment();
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
}
