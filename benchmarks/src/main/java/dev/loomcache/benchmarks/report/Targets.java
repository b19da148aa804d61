package dev.loomcache.benchmarks.report;

import static dev.loomcache.benchmarks.report.Report.BATCHING;
import static dev.loomcache.benchmarks.report.Report.BATCH_LATENCY;
import static dev.loomcache.benchmarks.report.Report.COLLATERAL;
import static dev.loomcache.benchmarks.report.Report.HIT_PATH;
import static dev.loomcache.benchmarks.report.Report.MEMORY;
import static dev.loomcache.benchmarks.report.Report.PINNING;
import static dev.loomcache.benchmarks.report.Report.STAMPEDE;
import static dev.loomcache.benchmarks.report.Report.count;
import static dev.loomcache.benchmarks.report.Report.fmt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import org.jspecify.annotations.Nullable;

/**
 * The performance targets of {@code DESIGN.md}, checked against one run. A target whose figures are
 * missing (the benchmark failed or was not run) is reported as not measured, never as met.
 */
public final class Targets {
  static final double HIT_RATIO = 0.9;
  static final double STAMPEDE_WALL_MILLIS = 25;
  static final double COLLATERAL_P99_MICROS = 100;
  static final double BATCH_KEYS_PER_SECOND = 5e6;
  static final double BATCH_ADDED_MILLIS = 1;
  static final double MEMORY_BYTES_PER_ENTRY = 185;

  private Targets() {}

  /** One target: what DESIGN.md asks, what was measured, if it was met (null: not measured). */
  public record Check(String benchmark, String target, String measured, @Nullable Boolean met) {
    /** "met", "missed" or "not measured". */
    public String verdict() {
      return met == null ? "not measured" : met ? "met" : "missed";
    }

    Map<String, Object> toJson() {
      var json = new LinkedHashMap<String, Object>();
      json.put("benchmark", benchmark);
      json.put("target", target);
      json.put("measured", measured);
      json.put("verdict", verdict());
      return json;
    }
  }

  /** Checks every target against {@code results}. */
  public static List<Check> check(Results results) {
    var checks = new ArrayList<Check>();
    for (int threads : new int[] {1, 2}) {
      String figure = "threads" + threads + ".opsPerSecond";
      double ours = results.figure(HIT_PATH, "loomcache_get", figure);
      double theirs = results.figure(HIT_PATH, Report.HIT_BASELINE, figure);
      double ratio = ours / theirs;
      checks.add(new Check("hit path, " + threads + (threads == 1 ? " thread" : " threads"),
          "≥ " + HIT_RATIO + "× Caffeine get throughput",
          fmt(ratio) + "× (" + fmt(ours / 1e6) + " vs " + fmt(theirs / 1e6) + " M ops/s)",
          verdict(ratio, r -> r >= HIT_RATIO)));
    }
    double callsMin = results.figure(STAMPEDE, "LOOMCACHE", "loaderCallsMin");
    double callsMax = results.figure(STAMPEDE, "LOOMCACHE", "loaderCallsMax");
    double keys = results.figure(STAMPEDE, "LOOMCACHE", "keys");
    checks.add(new Check("stampede", "loader calls = distinct keys (" + count(keys) + ")",
        callsMin == callsMax ? count(callsMin) : count(callsMin) + "–" + count(callsMax),
        Double.isNaN(callsMin) || Double.isNaN(keys)
            ? null
            : callsMin == keys && callsMax == keys));
    double wall = results.figure(STAMPEDE, "LOOMCACHE", "wallMillis");
    checks.add(new Check("stampede",
        "wall ≤ " + count(STAMPEDE_WALL_MILLIS) + " ms (1.25× the loader)",
        fmt(wall) + " ms (median of rounds)", verdict(wall, w -> w <= STAMPEDE_WALL_MILLIS)));
    double p99 = results.figure(COLLATERAL, "LOOMCACHE", "fastOpP99Micros");
    checks.add(new Check("collateral blocking",
        "fast-op p99 ≤ " + count(COLLATERAL_P99_MICROS) + " µs",
        fmt(p99) + " µs", verdict(p99, v -> v <= COLLATERAL_P99_MICROS)));
    double other = results.figure(PINNING, "LOOMCACHE", "pinnedOther");
    double classLoading = results.figure(PINNING, "LOOMCACHE", "pinnedClassLoading");
    double warm = results.figure(PINNING, "LOOMCACHE", "pinnedWarm");
    checks.add(new Check("pinning", "0 jdk.VirtualThreadPinned outside class loading",
        count(other) + " outside class loading in a cold JVM (" + count(classLoading)
            + " during class loading), " + count(warm) + " in a warm one",
        verdict(other + warm, v -> v == 0)));
    double keysPerSecond = results.figure(BATCHING, "loomcache_batcher_getAll", "keysPerSecond");
    checks.add(new Check("batching", "≥ 5 M keys/s (batches of 100)",
        fmt(keysPerSecond / 1e6) + " M keys/s (Batcher.getAll)",
        verdict(keysPerSecond, v -> v >= BATCH_KEYS_PER_SECOND)));
    double added = results.figure(BATCH_LATENCY, "LOOMCACHE", "loneAddedP50Millis");
    double addedP99 = results.figure(BATCH_LATENCY, "LOOMCACHE", "loneAddedP99Millis");
    checks.add(new Check("batching",
        "added latency ≤ window + " + count(BATCH_ADDED_MILLIS) + " ms",
        "window + " + fmt(added) + " ms at p50, + " + fmt(addedP99) + " ms at p99 (lone key)",
        verdict(added, v -> v <= BATCH_ADDED_MILLIS)));
    double bytes = results.figure(MEMORY, "LOOMCACHE", "totalBytesPerEntry");
    checks.add(new Check("memory", "≤ " + count(MEMORY_BYTES_PER_ENTRY) + " B/entry (1M entries)",
        fmt(bytes) + " B/entry", verdict(bytes, v -> v <= MEMORY_BYTES_PER_ENTRY)));
    return checks;
  }

  private static @Nullable Boolean verdict(
      double value, DoublePredicate ok) {
    return Double.isNaN(value) ? null : ok.test(value);
  }
}
