package dev.loomcache.benchmarks.report;

import static dev.loomcache.benchmarks.report.Report.BATCHING;
import static dev.loomcache.benchmarks.report.Report.BATCH_LATENCY;
import static dev.loomcache.benchmarks.report.Report.COLLATERAL;
import static dev.loomcache.benchmarks.report.Report.HIT_PATH;
import static dev.loomcache.benchmarks.report.Report.HOT_KEY_EXPIRY;
import static dev.loomcache.benchmarks.report.Report.HOT_KEY_REFRESH_AHEAD;
import static dev.loomcache.benchmarks.report.Report.MEMORY;
import static dev.loomcache.benchmarks.report.Report.PINNING;
import static dev.loomcache.benchmarks.report.Report.RATE_LIMIT;
import static dev.loomcache.benchmarks.report.Report.REDIS_LIMITS;
import static dev.loomcache.benchmarks.report.Report.REDIS_LIMITS_BASELINE;
import static dev.loomcache.benchmarks.report.Report.SPRING_HIT_PATH;
import static dev.loomcache.benchmarks.report.Report.SPRING_STAMPEDE;
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
 * The performance targets of {@code DESIGN.md} (and, for Spring, of issue 17), checked against one
 * run. A target whose figures are missing (the benchmark failed or was not run) is reported as not
 * measured, never as met.
 */
public final class Targets {
  static final double HIT_RATIO = 0.9;
  static final double TTL_HIT_RATIO = 2.0;

  /**
   * Refresh-ahead hit path: at least 0.9x Caffeine refreshAfterWrite, and at most 10% slower than
   * without it.
   */
  static final double REFRESH_HIT_RATIO = 0.9;

  /** expireAfterAccess: Caffeine reads System.nanoTime() per hit, we read the coarse clock. */
  static final double ACCESS_HIT_RATIO = 1.5;

  static final double STAMPEDE_LOAD_MILLIS = 20;
  static final double STAMPEDE_FLOOR_SLACK_MILLIS = 10;
  static final double STAMPEDE_P99_SLACK_MILLIS = 15;
  static final double BATCH_VS_CAFFEINE = 1.0;
  static final double COLLATERAL_P99_MICROS = 100;
  static final double BATCH_KEYS_PER_SECOND = 5e6;
  static final double BATCH_ADDED_MILLIS = 1;
  static final double MEMORY_BYTES_PER_ENTRY = 165;
  static final double SPRING_HIT_RATIO = 1.0;

  /** Hot-key expiry with refresh-ahead: caller p99 at most this many times the hit p99. */
  static final double HOT_KEY_P99_RATIO = 2.0;

  /** Issue 16: in-process decisions per second on one thread. */
  static final double RATE_LIMIT_DECISIONS_PER_SECOND = 20e6;

  /** Issue 16: a Redis decision's p50 over a raw Jedis EVALSHA's. */
  static final double REDIS_DECISION_RATIO = 1.2;

  /** Issue 16: round trips of an uncontended lock acquire plus release. */
  static final double LOCK_ROUND_TRIPS = 2;

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
      String label = threads + (threads == 1 ? " thread" : " threads");
      checks.add(
          hitRatio(
              results,
              "hit path, no TTL, " + label,
              "loomcache_get",
              Report.HIT_BASELINE,
              "Caffeine get",
              HIT_RATIO,
              figure));
      checks.add(
          hitRatio(
              results,
              "hit path, no TTL, " + label + " (statistics off on both sides)",
              "loomcache_noStats_get",
              Report.HIT_BASELINE,
              "Caffeine get",
              HIT_RATIO,
              figure));
      checks.add(
          hitRatio(
              results,
              "hit path, no TTL, " + label + " (statistics on both sides)",
              "loomcache_get",
              "caffeine_stats_get",
              "Caffeine get with recordStats",
              HIT_RATIO,
              figure));
      checks.add(
          hitRatio(
              results,
              "hit path, default TTL, " + label,
              "loomcache_defaultTtl_get",
              "caffeine_expireAfterWrite_get",
              "Caffeine expireAfterWrite + recordStats",
              TTL_HIT_RATIO,
              figure));
      checks.add(
          hitRatio(
              results,
              "hit path, per-call TTLs, " + label,
              "loomcache_perCallTtl_get",
              "caffeine_expireAfterWrite_get",
              "Caffeine expireAfterWrite + recordStats",
              TTL_HIT_RATIO,
              figure));
      checks.add(
          hitRatio(
              results,
              "hit path, refreshAfter, " + label,
              "loomcache_refreshAfter_get",
              "caffeine_refreshAfterWrite_get",
              "Caffeine refreshAfterWrite + expireAfterWrite + maximumSize",
              REFRESH_HIT_RATIO,
              figure));
      checks.add(
          hitRatio(
              results,
              "hit path, refreshAfter vs no freshness, " + label,
              "loomcache_refreshAfter_get",
              "loomcache_defaultTtl_get",
              "Loomcache with the same default TTL and no freshness option",
              REFRESH_HIT_RATIO,
              figure));
      checks.add(
          hitRatio(
              results,
              "hit path, expireAfterAccess, " + label,
              "loomcache_expireAfterAccess_get",
              "caffeine_expireAfterAccess_get",
              "Caffeine expireAfterAccess + recordStats",
              ACCESS_HIT_RATIO,
              figure));
    }
    double callsMin = results.figure(STAMPEDE, "LOOMCACHE", "loaderCallsMin");
    double callsMax = results.figure(STAMPEDE, "LOOMCACHE", "loaderCallsMax");
    double keys = results.figure(STAMPEDE, "LOOMCACHE", "keys");
    checks.add(
        new Check(
            "stampede",
            "loader calls = distinct keys (" + count(keys) + ")",
            callsMin == callsMax ? count(callsMin) : count(callsMin) + "–" + count(callsMax),
            Double.isNaN(callsMin) || Double.isNaN(keys)
                ? null
                : callsMin == keys && callsMax == keys));
    double wall = results.figure(STAMPEDE, "LOOMCACHE", "wallMillis");
    double bestRival =
        Math.min(
            results.figure(STAMPEDE, "CAFFEINE_ASYNC", "wallMillis"),
            results.figure(STAMPEDE, "GUAVA", "wallMillis"));
    checks.add(
        new Check(
            "stampede",
            "wall ≤ the best rival (Caffeine async, Guava)",
            fmt(wall) + " ms vs " + fmt(bestRival) + " ms (medians of rounds)",
            Double.isNaN(bestRival) ? null : verdict(wall, w -> w <= bestRival)));
    double floor = results.figure(STAMPEDE, "NONE", "wallMillis");
    double bound = STAMPEDE_LOAD_MILLIS + floor + STAMPEDE_FLOOR_SLACK_MILLIS;
    checks.add(
        new Check(
            "stampede",
            "wall ≤ loader ("
                + count(STAMPEDE_LOAD_MILLIS)
                + " ms) + harness floor + "
                + count(STAMPEDE_FLOOR_SLACK_MILLIS)
                + " ms",
            fmt(wall) + " ms vs " + fmt(bound) + " ms (floor: no cache, " + fmt(floor) + " ms)",
            Double.isNaN(floor) ? null : verdict(wall, w -> w <= bound)));
    double callerP99 = results.figure(STAMPEDE, "LOOMCACHE", "p99WaitMillis");
    checks.add(
        new Check(
            "stampede",
            "caller p99 ≤ loader + " + count(STAMPEDE_P99_SLACK_MILLIS) + " ms",
            fmt(callerP99) + " ms",
            verdict(callerP99, v -> v <= STAMPEDE_LOAD_MILLIS + STAMPEDE_P99_SLACK_MILLIS)));
    double p99 = results.figure(COLLATERAL, "LOOMCACHE", "fastOpP99Micros");
    checks.add(
        new Check(
            "collateral blocking",
            "fast-op p99 ≤ " + count(COLLATERAL_P99_MICROS) + " µs",
            fmt(p99) + " µs",
            verdict(p99, v -> v <= COLLATERAL_P99_MICROS)));
    double other = results.figure(PINNING, "LOOMCACHE", "pinnedOther");
    double classLoading = results.figure(PINNING, "LOOMCACHE", "pinnedClassLoading");
    double warm = results.figure(PINNING, "LOOMCACHE", "pinnedWarm");
    checks.add(
        new Check(
            "pinning",
            "0 jdk.VirtualThreadPinned outside class loading",
            count(other)
                + " outside class loading in a cold JVM ("
                + count(classLoading)
                + " during class loading), "
                + count(warm)
                + " in a warm one",
            verdict(other + warm, v -> v == 0)));
    double keysPerSecond = results.figure(BATCHING, "loomcache_batcher_getAll", "keysPerSecond");
    checks.add(
        new Check(
            "batching",
            "≥ 5 M keys/s (batches of 100)",
            fmt(keysPerSecond / 1e6) + " M keys/s (Batcher.getAll)",
            verdict(keysPerSecond, v -> v >= BATCH_KEYS_PER_SECOND)));
    double caffeineBulk = results.figure(BATCHING, "caffeine_getAll", "keysPerSecond");
    checks.add(
        new Check(
            "batching",
            "≥ " + BATCH_VS_CAFFEINE + "× Caffeine's own bulk getAll",
            fmt(keysPerSecond / caffeineBulk)
                + "× ("
                + fmt(keysPerSecond / 1e6)
                + " vs "
                + fmt(caffeineBulk / 1e6)
                + " M keys/s)",
            Double.isNaN(caffeineBulk)
                ? null
                : verdict(keysPerSecond / caffeineBulk, r -> r >= BATCH_VS_CAFFEINE)));
    double added = results.figure(BATCH_LATENCY, "LOOMCACHE", "loneAddedP50Millis");
    double addedP99 = results.figure(BATCH_LATENCY, "LOOMCACHE", "loneAddedP99Millis");
    checks.add(
        new Check(
            "batching",
            "added latency ≤ window + " + count(BATCH_ADDED_MILLIS) + " ms",
            "window + " + fmt(added) + " ms at p50, + " + fmt(addedP99) + " ms at p99 (lone key)",
            verdict(added, v -> v <= BATCH_ADDED_MILLIS)));
    double bytes = results.figure(MEMORY, "LOOMCACHE", "totalBytesPerEntry");
    checks.add(
        new Check(
            "memory",
            "≤ " + count(MEMORY_BYTES_PER_ENTRY) + " B/entry (1M entries)",
            fmt(bytes) + " B/entry",
            verdict(bytes, v -> v <= MEMORY_BYTES_PER_ENTRY)));
    for (int threads : new int[] {1, 2}) {
      String figure = "threads" + threads + ".nsPerOp";
      String label = threads + (threads == 1 ? " thread" : " threads");
      checks.add(
          springHitRatio(
              results,
              "Spring @Cacheable hit, " + label,
              Report.SPRING_LOOMCACHE_HIT,
              Report.SPRING_CAFFEINE_HIT,
              figure));
      checks.add(
          springHitRatio(
              results,
              "Spring @Cacheable(sync = true) hit, " + label,
              Report.SPRING_LOOMCACHE_SYNC_HIT,
              Report.SPRING_CAFFEINE_SYNC_HIT,
              figure));
    }
    double methodMin = results.figure(SPRING_STAMPEDE, "LOOMCACHE", "methodCallsMin");
    double methodMax = results.figure(SPRING_STAMPEDE, "LOOMCACHE", "methodCallsMax");
    double springKeys = results.figure(SPRING_STAMPEDE, "LOOMCACHE", "keys");
    double springWall = results.figure(SPRING_STAMPEDE, "LOOMCACHE", "wallMillis");
    double caffeineWall = results.figure(SPRING_STAMPEDE, Report.SPRING_BASELINE, "wallMillis");
    checks.add(
        new Check(
            "Spring @Cacheable(sync = true) stampede",
            "method calls = distinct keys (" + count(springKeys) + ")",
            (methodMin == methodMax ? count(methodMin) : count(methodMin) + "–" + count(methodMax))
                + "; wall "
                + fmt(springWall)
                + " ms vs "
                + fmt(caffeineWall)
                + " ms with CaffeineCacheManager (medians of rounds)",
            Double.isNaN(methodMin) || Double.isNaN(springKeys)
                ? null
                : methodMin == springKeys && methodMax == springKeys));
    hotKeyExpiry(results, checks);
    limits(results, checks);
    return checks;
  }

  /**
   * Hot-key expiry (issue 14): with refresh-ahead, callers see hit latency while the TTL passes,
   * and the loader runs once per key and refresh period ({@code floor(run / (refreshAfter +
   * load))}), with at most one more per key for a reload in flight or just due at the end.
   */
  private static void hotKeyExpiry(Results results, List<Check> checks) {
    double callerP99 = results.figure(HOT_KEY_EXPIRY, HOT_KEY_REFRESH_AHEAD, "callerP99Millis");
    double hitP99 = results.figure(HOT_KEY_EXPIRY, HOT_KEY_REFRESH_AHEAD, "hitP99Millis");
    double ratio = callerP99 / hitP99;
    checks.add(
        new Check(
            "hot-key expiry",
            "with refresh-ahead caller p99 ≤ " + count(HOT_KEY_P99_RATIO) + "× hit p99",
            fmt(ratio) + "× (" + fmt(callerP99) + " vs " + fmt(hitP99) + " ms)",
            verdict(ratio, r -> r <= HOT_KEY_P99_RATIO)));
    double calls = results.figure(HOT_KEY_EXPIRY, HOT_KEY_REFRESH_AHEAD, "loaderCalls");
    double keys = results.figure(HOT_KEY_EXPIRY, HOT_KEY_REFRESH_AHEAD, "keys");
    double periods = results.figure(HOT_KEY_EXPIRY, HOT_KEY_REFRESH_AHEAD, "refreshPeriods");
    double expected = keys * periods;
    checks.add(
        new Check(
            "hot-key expiry",
            "loader calls = keys × refresh periods ("
                + count(keys)
                + " × "
                + count(periods)
                + " = "
                + count(expected)
                + "; up to "
                + count(keys)
                + " more for reloads in flight at the end)",
            count(calls),
            Double.isNaN(expected)
                ? null
                : verdict(calls, c -> c >= expected && c <= expected + keys)));
  }

  /**
   * Issue 16: the local limiter's throughput, Redis decisions against the floor, lock round trips.
   */
  private static void limits(Results results, List<Check> checks) {
    for (String[] subject :
        new String[][] {
          {"fixed_tryAcquire_oneKey", "fixed window, one key"},
          {"fixed_tryAcquire_1024Keys", "fixed window, 1,024 keys"},
          {"sliding_tryAcquire_oneKey", "sliding window, one key"},
          {"sliding_tryAcquire_1024Keys", "sliding window, 1,024 keys"}
        }) {
      double ops = results.figure(RATE_LIMIT, subject[0], "opsPerSecond");
      checks.add(
          new Check(
              "rate limit, local tryAcquire, 1 thread, " + subject[1],
              "≥ " + count(RATE_LIMIT_DECISIONS_PER_SECOND / 1e6) + " M decisions/s",
              fmt(ops / 1e6) + " M decisions/s",
              verdict(ops, v -> v >= RATE_LIMIT_DECISIONS_PER_SECOND)));
    }
    double floor = results.figure(REDIS_LIMITS, REDIS_LIMITS_BASELINE, "p50Micros");
    double floorInRedis =
        results.figure(REDIS_LIMITS, REDIS_LIMITS_BASELINE, "scriptMicrosInRedis");
    for (String[] subject :
        new String[][] {
          {"fixedDecision", "fixed window"},
          {"fixedBanDecision", "fixed window with a ban"},
          {"slidingDecision", "sliding window"}
        }) {
      double p50 = results.figure(REDIS_LIMITS, subject[0], "p50Micros");
      double inRedis = results.figure(REDIS_LIMITS, subject[0], "scriptMicrosInRedis");
      double ratio = p50 / floor;
      checks.add(
          new Check(
              "rate limit, Redis decision, " + subject[1],
              "p50 ≤ " + REDIS_DECISION_RATIO + "× a raw Jedis EVALSHA (same run, same server)",
              fmt(ratio)
                  + "× ("
                  + fmt(p50)
                  + " vs "
                  + fmt(floor)
                  + " µs; in Redis "
                  + fmt(inRedis)
                  + " vs "
                  + fmt(floorInRedis)
                  + " µs)",
              verdict(ratio, r -> r <= REDIS_DECISION_RATIO)));
    }
    double trips = results.figure(REDIS_LIMITS, "lockAcquireRelease", "roundTrips");
    double lockP50 = results.figure(REDIS_LIMITS, "lockAcquireRelease", "p50Micros");
    checks.add(
        new Check(
            "lock acquire+release, uncontended",
            "≤ " + count(LOCK_ROUND_TRIPS) + " Redis round trips",
            fmt(trips)
                + " round trips (commands counted on the client); p50 "
                + fmt(lockP50)
                + " µs = "
                + fmt(lockP50 / floor)
                + "× a raw EVALSHA",
            verdict(trips, t -> t <= LOCK_ROUND_TRIPS)));
  }

  private static Check hitRatio(
      Results results,
      String benchmark,
      String ours,
      String rival,
      String rivalLabel,
      double target,
      String figure) {
    double mine = results.figure(HIT_PATH, ours, figure);
    double theirs = results.figure(HIT_PATH, rival, figure);
    double ratio = mine / theirs;
    return new Check(
        benchmark,
        "≥ " + target + "× " + rivalLabel,
        fmt(ratio) + "× (" + fmt(mine / 1e6) + " vs " + fmt(theirs / 1e6) + " M ops/s)",
        verdict(ratio, r -> r >= target));
  }

  /** Throughput ratio from average times: the rival's ns/op over ours, so higher is better. */
  private static Check springHitRatio(
      Results results, String benchmark, String ours, String rival, String figure) {
    double mine = results.figure(SPRING_HIT_PATH, ours, figure);
    double theirs = results.figure(SPRING_HIT_PATH, rival, figure);
    double ratio = theirs / mine;
    return new Check(
        benchmark,
        "≥ " + SPRING_HIT_RATIO + "× CaffeineCacheManager (same proxy)",
        fmt(ratio) + "× (" + fmt(mine) + " vs " + fmt(theirs) + " ns/op)",
        verdict(ratio, r -> r >= SPRING_HIT_RATIO));
  }

  private static @Nullable Boolean verdict(double value, DoublePredicate ok) {
    return Double.isNaN(value) ? null : ok.test(value);
  }
}
