package dev.loomcache.jcache.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * A cache's JCache statistics, also its {@code CacheStatistics} MXBean. Counting is a few {@link
 * LongAdder} increments and costs nothing while statistics are disabled. Averages are in
 * microseconds, as the MXBean's contract says.
 *
 * <p>Counting follows the TCK: an expiry the cache notices counts as an eviction (JCache has no
 * other eviction to count: an unbounded cache never evicts), a conditional operation that finds the
 * entry counts a hit, and a write that stores nothing is not a put.
 */
final class Statistics implements CacheStatisticsMXBean {
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder removals = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder getNanos = new LongAdder();
  private final LongAdder putNanos = new LongAdder();
  private final LongAdder removeNanos = new LongAdder();
  private volatile boolean enabled;

  boolean isEnabled() {
    return enabled;
  }

  void enable(boolean enabled) {
    this.enabled = enabled;
  }

  void recordHits(long count) {
    if (enabled && count > 0) {
      hits.add(count);
    }
  }

  void recordMisses(long count) {
    if (enabled && count > 0) {
      misses.add(count);
    }
  }

  void recordPuts(long count) {
    if (enabled && count > 0) {
      puts.add(count);
    }
  }

  void recordRemovals(long count) {
    if (enabled && count > 0) {
      removals.add(count);
    }
  }

  void recordEvictions(long count) {
    if (enabled && count > 0) {
      evictions.add(count);
    }
  }

  void recordGetNanos(long nanos) {
    if (enabled) {
      getNanos.add(nanos);
    }
  }

  void recordPutNanos(long nanos) {
    if (enabled) {
      putNanos.add(nanos);
    }
  }

  void recordRemoveNanos(long nanos) {
    if (enabled) {
      removeNanos.add(nanos);
    }
  }

  @Override
  public void clear() {
    for (LongAdder adder :
        new LongAdder[] {
          hits, misses, puts, removals, evictions, getNanos, putNanos, removeNanos
        }) {
      adder.reset();
    }
  }

  @Override
  public long getCacheHits() {
    return hits.sum();
  }

  @Override
  public float getCacheHitPercentage() {
    long gets = getCacheGets();
    return gets == 0 ? 0f : 100f * getCacheHits() / gets;
  }

  @Override
  public long getCacheMisses() {
    return misses.sum();
  }

  @Override
  public float getCacheMissPercentage() {
    long gets = getCacheGets();
    return gets == 0 ? 0f : 100f * getCacheMisses() / gets;
  }

  @Override
  public long getCacheGets() {
    return hits.sum() + misses.sum();
  }

  @Override
  public long getCachePuts() {
    return puts.sum();
  }

  @Override
  public long getCacheRemovals() {
    return removals.sum();
  }

  @Override
  public long getCacheEvictions() {
    return evictions.sum();
  }

  @Override
  public float getAverageGetTime() {
    return averageMicros(getNanos.sum(), getCacheGets());
  }

  @Override
  public float getAveragePutTime() {
    return averageMicros(putNanos.sum(), getCachePuts());
  }

  @Override
  public float getAverageRemoveTime() {
    return averageMicros(removeNanos.sum(), getCacheRemovals());
  }

  private static float averageMicros(long totalNanos, long count) {
    return count == 0 ? 0f : (float) TimeUnit.NANOSECONDS.toMicros(totalNanos) / count;
  }
}
