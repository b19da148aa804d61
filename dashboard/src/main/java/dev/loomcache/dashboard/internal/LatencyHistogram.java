package dev.loomcache.dashboard.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free latency recorder for the live charts: thousands of virtual threads record into
 * log-scaled buckets (16 per power of two of microseconds, so a reported percentile is within about
 * 6% of the truth), and the sampler drains it once per interval. Memory is fixed whatever the load.
 */
public final class LatencyHistogram {
  private static final int SUB_BITS = 4;
  private static final int SUB_COUNT = 1 << SUB_BITS;
  private static final int MAX_EXPONENT = 40;
  private static final long MAX_MICROS = (1L << (MAX_EXPONENT + 1)) - 1;
  private static final int BUCKETS = SUB_COUNT + (MAX_EXPONENT - SUB_BITS + 1) * SUB_COUNT;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final AtomicLong maxNanos = new AtomicLong();

  /** Records one request that took {@code nanos}; never blocks. Negative values count as zero. */
  public void record(long nanos) {
    long clamped = Math.max(0, nanos);
    counts.incrementAndGet(index(clamped / 1_000));
    maxNanos.accumulateAndGet(clamped, Math::max);
  }

  /**
   * Returns the percentiles of what was recorded since the previous drain and starts afresh. A
   * request recorded while this runs lands in this interval or the next, never in neither.
   */
  public Percentiles drain() {
    long[] snapshot = new long[BUCKETS];
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      snapshot[i] = counts.getAndSet(i, 0);
      total += snapshot[i];
    }
    long max = maxNanos.getAndSet(0);
    if (total == 0) {
      return Percentiles.NONE;
    }
    return new Percentiles(
        total,
        valueAt(snapshot, Percentiles.rank(0.50, total), max),
        valueAt(snapshot, Percentiles.rank(0.95, total), max),
        valueAt(snapshot, Percentiles.rank(0.99, total), max),
        Percentiles.millis(max));
  }

  private static double valueAt(long[] snapshot, long rank, long maxNanos) {
    long seen = 0;
    for (int i = 0; i < snapshot.length; i++) {
      seen += snapshot[i];
      if (seen >= rank) {
        long middle = (lowerBound(i) + lowerBound(i + 1) - 1) / 2;
        // A bucket's midpoint can lie above the slowest request in it; never report more than that.
        return Percentiles.millis(Math.min(middle * 1_000, maxNanos));
      }
    }
    return Percentiles.millis(maxNanos);
  }

  static int index(long micros) {
    long value = Math.min(micros, MAX_MICROS);
    if (value < SUB_COUNT) {
      return (int) value;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(value);
    int sub = (int) ((value >>> (exponent - SUB_BITS)) & (SUB_COUNT - 1));
    return SUB_COUNT + (exponent - SUB_BITS) * SUB_COUNT + sub;
  }

  static long lowerBound(int index) {
    if (index < SUB_COUNT) {
      return index;
    }
    int exponent = (index - SUB_COUNT) / SUB_COUNT + SUB_BITS;
    int sub = (index - SUB_COUNT) % SUB_COUNT;
    return (long) (SUB_COUNT + sub) << (exponent - SUB_BITS);
  }
}
