package dev.loomcache.benchmarks;

import java.util.Arrays;

/** Percentiles of a set of measured durations, in nanoseconds; an immutable sorted copy. */
public final class Latencies {
  private final long[] sorted;

  private Latencies(long[] sorted) {
    this.sorted = sorted;
  }

  /**
   * Returns the percentiles of the first {@code count} values of {@code nanos}.
   *
   * @throws IllegalArgumentException if {@code count} is not positive or exceeds the array
   */
  public static Latencies of(long[] nanos, int count) {
    if (count < 1 || count > nanos.length) {
      throw new IllegalArgumentException(
          "count must be in [1, " + nanos.length + "], but was " + count);
    }
    long[] copy = Arrays.copyOf(nanos, count);
    Arrays.sort(copy);
    return new Latencies(copy);
  }

  /** Returns the percentiles of every value of {@code nanos}. */
  public static Latencies of(long[] nanos) {
    return of(nanos, nanos.length);
  }

  /** The number of values. */
  public int count() {
    return sorted.length;
  }

  /**
   * Returns the nearest-rank percentile: the smallest value that at least {@code percent}% of the
   * values do not exceed.
   *
   * @throws IllegalArgumentException if {@code percent} is outside (0, 100]
   */
  public long percentile(double percent) {
    if (!(percent > 0 && percent <= 100)) {
      throw new IllegalArgumentException("percent must be in (0, 100], but was " + percent);
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  /** The largest value. */
  public long max() {
    return sorted[sorted.length - 1];
  }

  /** The median of {@code values} (the mean of the middle two for an even count). */
  public static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("values must not be empty");
    }
    double[] copy = values.clone();
    Arrays.sort(copy);
    int middle = copy.length / 2;
    return copy.length % 2 == 1 ? copy[middle] : (copy[middle - 1] + copy[middle]) / 2;
  }

  /** Nanoseconds as milliseconds. */
  public static double millis(long nanos) {
    return nanos / 1e6;
  }

  /** Nanoseconds as microseconds. */
  public static double micros(long nanos) {
    return nanos / 1e3;
  }
}
