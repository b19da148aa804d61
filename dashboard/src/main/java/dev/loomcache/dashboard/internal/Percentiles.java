package dev.loomcache.dashboard.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latency percentiles of a set of requests, in milliseconds (nearest-rank: p95 is the smallest
 * latency that at least 95% of the requests did not exceed).
 *
 * @param count how many requests were measured
 * @param p50Millis the median
 * @param p95Millis the 95th percentile
 * @param p99Millis the 99th percentile
 * @param maxMillis the slowest
 */
public record Percentiles(
    long count, double p50Millis, double p95Millis, double p99Millis, double maxMillis) {

  /** No requests measured. */
  public static final Percentiles NONE = new Percentiles(0, 0, 0, 0, 0);

  /** Exact percentiles of {@code nanos} (which this method sorts in place). */
  public static Percentiles ofNanos(long[] nanos) {
    if (nanos.length == 0) {
      return NONE;
    }
    Arrays.sort(nanos);
    return new Percentiles(
        nanos.length,
        millis(nanos[rank(0.50, nanos.length) - 1]),
        millis(nanos[rank(0.95, nanos.length) - 1]),
        millis(nanos[rank(0.99, nanos.length) - 1]),
        millis(nanos[nanos.length - 1]));
  }

  /** The 1-based nearest rank of quantile {@code q} among {@code count} sorted values. */
  static int rank(double q, long count) {
    return (int) Math.max(1, Math.ceil(q * count));
  }

  static double millis(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }

  /** The percentiles as JSON-ready fields. */
  public Map<String, Object> toJson() {
    var json = new LinkedHashMap<String, Object>();
    json.put("count", count);
    json.put("p50", p50Millis);
    json.put("p95", p95Millis);
    json.put("p99", p99Millis);
    json.put("max", maxMillis);
    return json;
  }
}
