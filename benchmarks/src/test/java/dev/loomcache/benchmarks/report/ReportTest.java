package dev.loomcache.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

  /** A run with made-up figures: Loomcache at 0.8× Caffeine on one thread, 1.0× on two. */
  private static Results sample() {
    var results = new Results().meta("date", "2000-01-01").meta("mode", "quick");
    results.add(
        new Measurement(
            Report.HIT_PATH,
            "loomcache_get",
            "Loomcache get",
            "ours",
            Map.of("threads1.opsPerSecond", 80e6, "threads2.opsPerSecond", 150e6),
            Map.of()));
    results.add(
        new Measurement(
            Report.HIT_PATH,
            Report.HIT_BASELINE,
            "Caffeine get",
            "theirs",
            Map.of("threads1.opsPerSecond", 100e6, "threads2.opsPerSecond", 150e6),
            Map.of()));
    results.add(
        new Measurement(
            Report.STAMPEDE,
            "LOOMCACHE",
            "Loomcache",
            "ours",
            Map.of(
                "wallMillis",
                22.0,
                "p99WaitMillis",
                21.0,
                "loaderCallsMin",
                100.0,
                "loaderCallsMax",
                100.0,
                "keys",
                100.0,
                "loadMillis",
                20.0),
            Map.of()));
    results.add(
        new Measurement(
            Report.STAMPEDE,
            Report.RIVAL_BASELINE,
            "Caffeine sync",
            "theirs",
            Map.of("wallMillis", 88.0, "p99WaitMillis", 84.0),
            Map.of()));
    results.add(
        new Measurement(
            Report.STAMPEDE,
            "CAFFEINE_ASYNC",
            "Caffeine async",
            "theirs",
            Map.of("wallMillis", 24.0, "p99WaitMillis", 23.0),
            Map.of()));
    results.add(
        new Measurement(
            Report.STAMPEDE,
            "GUAVA",
            "Guava",
            "theirs",
            Map.of("wallMillis", 30.0, "p99WaitMillis", 29.0),
            Map.of()));
    results.add(
        new Measurement(
            Report.STAMPEDE,
            "NONE",
            "no cache (harness floor)",
            "floor",
            Map.of("wallMillis", 5.0, "p99WaitMillis", 4.0),
            Map.of()));
    results.add(
        new Measurement(
            Report.PINNING,
            "LOOMCACHE",
            "Loomcache",
            "ours",
            Map.of(
                "pinnedEvents",
                0.0,
                "pinnedClassLoading",
                0.0,
                "pinnedOther",
                0.0,
                "pinnedWarm",
                0.0),
            Map.of("pinnedOtherSites", "none")));
    results.failed(Report.MEMORY, "java.lang.OutOfMemoryError");
    return results;
  }

  @Test
  void check_sampleRun_judgesEachTargetFromItsFigures() {
    Map<String, String> verdicts = new LinkedHashMap<String, String>();
    for (Targets.Check check : Targets.check(sample())) {
      verdicts.merge(
          check.benchmark() + ": " + check.target(), check.verdict(), (a, b) -> a + "," + b);
    }
    assertThat(verdicts)
        .containsEntry("hit path, no TTL, 1 thread: ≥ 0.9× Caffeine get", "missed")
        .containsEntry("hit path, no TTL, 2 threads: ≥ 0.9× Caffeine get", "met")
        .containsEntry(
            "hit path, default TTL, 1 thread: ≥ 2.0× Caffeine expireAfterWrite" + " + recordStats",
            "not measured")
        .containsEntry("stampede: loader calls = distinct keys (100)", "met")
        .containsEntry("stampede: wall ≤ the best rival (Caffeine async, Guava)", "met")
        .containsEntry("stampede: wall ≤ loader (20 ms) + harness floor + 10 ms", "met")
        .containsEntry("stampede: caller p99 ≤ loader + 15 ms", "met")
        .containsEntry("pinning: 0 jdk.VirtualThreadPinned outside class loading", "met")
        .containsEntry("memory: ≤ 165 B/entry (1M entries)", "not measured")
        .containsEntry("collateral blocking: fast-op p99 ≤ 100 µs", "not measured");
  }

  @Test
  void write_sampleRun_writesJsonMarkdownAndChartsOfMeasuredBenchmarks(@TempDir Path dir)
      throws Exception {
    List<Path> files = Report.write(sample(), dir, "2000-01-01");
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder(
            "2000-01-01.json",
            "2000-01-01.md",
            "2000-01-01-hit-path.svg",
            "2000-01-01-stampede.svg");
    String md = Files.readString(dir.resolve("2000-01-01.md"));
    assertThat(md)
        .contains("| Loomcache get | 80.0 ± n/a | 0.800 |")
        .contains("| Loomcache | 100 | 22.0 | 1.10 | 0.250 |")
        .contains("![1. Hit path (JMH)](2000-01-01-hit-path.svg)")
        .contains("- memory: java.lang.OutOfMemoryError");
    String json = Files.readString(dir.resolve("2000-01-01.json"));
    assertThat(json)
        .contains(
            "\"verdict\": \"missed\"",
            "\"threads1.opsPerSecond\": 8.0E7",
            "\"memory\": \"java.lang.OutOfMemoryError\"");
  }

  @Test
  void summary_sampleRun_givesHeadlineRatiosAndChartLinks() {
    String summary = Report.summary(sample(), "results/2000-01-01");
    assertThat(summary)
        .contains("| hit path, 1 thread: Loomcache get vs Caffeine get | 0.800× | higher |")
        .contains("| stampede wall time vs Caffeine sync | 0.250× | lower |")
        .contains("![hit-path](results/2000-01-01-hit-path.svg)")
        .contains("[results/2000-01-01.md](results/2000-01-01.md)");
  }

  /** Spring: Loomcache's manager 40 vs 50 ns/op (1.25×) on one thread, 60 vs 50 on two. */
  private static Results springSample() {
    var results = new Results().meta("date", "2000-01-01").meta("mode", "quick");
    for (String method : new String[] {"cacheableHit", "cacheableSyncHit"}) {
      results.add(
          new Measurement(
              Report.SPRING_HIT_PATH,
              "loomcache_" + method,
              "Loomcache manager, " + method,
              "ours",
              Map.of(
                  "threads1.nsPerOp",
                  40.0,
                  "threads2.nsPerOp",
                  60.0,
                  "threads1.opsPerSecond",
                  25e6,
                  "threads2.opsPerSecond",
                  2 * 1e9 / 60),
              Map.of()));
      results.add(
          new Measurement(
              Report.SPRING_HIT_PATH,
              "caffeine_" + method,
              "CaffeineCacheManager, " + method,
              "theirs",
              Map.of(
                  "threads1.nsPerOp",
                  50.0,
                  "threads2.nsPerOp",
                  50.0,
                  "threads1.opsPerSecond",
                  20e6,
                  "threads2.opsPerSecond",
                  40e6),
              Map.of()));
    }
    results.add(
        new Measurement(
            Report.SPRING_STAMPEDE,
            "LOOMCACHE",
            "Loomcache manager",
            "ours",
            Map.of(
                "methodCallsMin",
                100.0,
                "methodCallsMax",
                100.0,
                "keys",
                100.0,
                "loadMillis",
                20.0,
                "wallMillis",
                30.0,
                "p50WaitMillis",
                25.0,
                "p99WaitMillis",
                29.0),
            Map.of()));
    results.add(
        new Measurement(
            Report.SPRING_STAMPEDE,
            Report.SPRING_BASELINE,
            "CaffeineCacheManager",
            "theirs",
            Map.of(
                "methodCallsMin",
                100.0,
                "methodCallsMax",
                100.0,
                "keys",
                100.0,
                "loadMillis",
                20.0,
                "wallMillis",
                60.0,
                "p50WaitMillis",
                40.0,
                "p99WaitMillis",
                58.0),
            Map.of()));
    return results;
  }

  @Test
  void check_springRun_judgesHitRatiosAsThroughputAndStampedeCalls() {
    Map<String, String> verdicts = new LinkedHashMap<>();
    Map<String, String> measured = new LinkedHashMap<>();
    for (Targets.Check check : Targets.check(springSample())) {
      verdicts.put(check.benchmark() + ": " + check.target(), check.verdict());
      measured.put(check.benchmark(), check.measured());
    }
    assertThat(verdicts)
        .containsEntry(
            "Spring @Cacheable hit, 1 thread: ≥ 1.0× CaffeineCacheManager (same proxy)", "met")
        .containsEntry(
            "Spring @Cacheable hit, 2 threads: ≥ 1.0× CaffeineCacheManager" + " (same proxy)",
            "missed")
        .containsEntry(
            "Spring @Cacheable(sync = true) hit, 1 thread: ≥ 1.0×"
                + " CaffeineCacheManager (same proxy)",
            "met")
        .containsEntry(
            "Spring @Cacheable(sync = true) stampede: method calls = distinct keys" + " (100)",
            "met")
        .containsEntry("hit path, no TTL, 1 thread: ≥ 0.9× Caffeine get", "not measured");
    assertThat(measured.get("Spring @Cacheable hit, 1 thread"))
        .isEqualTo("1.25× (40.0 vs 50.0 ns/op)");
    assertThat(measured.get("Spring @Cacheable(sync = true) stampede"))
        .isEqualTo("100; wall 30.0 ms vs 60.0 ms with CaffeineCacheManager (medians of rounds)");
  }

  @Test
  void check_springStampedeWithExtraCalls_isMissed() {
    var results = new Results();
    results.add(
        new Measurement(
            Report.SPRING_STAMPEDE,
            "LOOMCACHE",
            "Loomcache manager",
            "ours",
            Map.of("methodCallsMin", 100.0, "methodCallsMax", 101.0, "keys", 100.0),
            Map.of()));
    assertThat(Targets.check(results))
        .filteredOn(c -> c.benchmark().equals("Spring @Cacheable(sync = true) stampede"))
        .singleElement()
        .satisfies(c -> assertThat(c.verdict()).isEqualTo("missed"))
        .satisfies(c -> assertThat(c.measured()).startsWith("100–101;"));
  }

  @Test
  void write_springRun_writesTheirTablesChartsAndHeadlines(@TempDir Path dir) throws Exception {
    List<Path> files = Report.write(springSample(), dir, "2000-01-01");
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder(
            "2000-01-01.json",
            "2000-01-01.md",
            "2000-01-01-spring-hit-path.svg",
            "2000-01-01-spring-stampede.svg");
    String md = Files.readString(dir.resolve("2000-01-01.md"));
    assertThat(md)
        .contains("## 7. Spring @Cacheable hits through the proxy (JMH)")
        .contains("| Loomcache manager, cacheableHit | 40.0 ± n/a | 1.25 | 60.0 ± n/a | 0.833 |")
        .contains(
            "| CaffeineCacheManager, cacheableSyncHit | 50.0 ± n/a | 1.00 | 50.0 ± n/a"
                + " | 1.00 |")
        .contains("## 8. Spring @Cacheable(sync = true) stampede (harness)")
        .contains("| Loomcache manager | 100 | 30.0 | 1.50 | 0.500 | 25.0 | 29.0 | 0.500 | ours |");
    String summary = Report.summary(springSample(), "results/2000-01-01");
    assertThat(summary)
        .contains(
            "| Spring @Cacheable hit, 1 thread: Loomcache manager vs CaffeineCacheManager"
                + " | 1.25× | higher |")
        .contains(
            "| Spring @Cacheable(sync = true) stampede wall time vs CaffeineCacheManager"
                + " | 0.500× | lower |");
    String chart = Files.readString(dir.resolve("2000-01-01-spring-hit-path.svg"));
    assertThat(chart).contains("CaffeineCacheManager").contains("1.25");
  }

  private static Results hotKeySample(double callerP99, double loaderCalls) {
    var results = new Results().meta("date", "2000-01-01").meta("mode", "quick");
    results.add(
        new Measurement(
            Report.HOT_KEY_EXPIRY,
            Report.HOT_KEY_REFRESH_AHEAD,
            "Loomcache refreshAfter",
            "ours",
            Map.ofEntries(
                Map.entry("threads", 64.0),
                Map.entry("keys", 100.0),
                Map.entry("loadMillis", 20.0),
                Map.entry("ttlMillis", 1000.0),
                Map.entry("refreshAfterMillis", 500.0),
                Map.entry("runMillis", 3000.0),
                Map.entry("calls", 1e6),
                Map.entry("callerP50Millis", 0.002),
                Map.entry("callerP99Millis", callerP99),
                Map.entry("callerMaxMillis", 3.0),
                Map.entry("hitP99Millis", 0.010),
                Map.entry("loaderCalls", loaderCalls),
                Map.entry("refreshPeriods", 5.0),
                Map.entry("expectedLoaderCalls", 500.0)),
            Map.of()));
    results.add(
        new Measurement(
            Report.HOT_KEY_EXPIRY,
            "LOOMCACHE_TTL_ONLY",
            "Loomcache TTL only",
            "theirs",
            Map.of(
                "callerP99Millis",
                20.5,
                "hitP99Millis",
                0.01,
                "loaderCalls",
                200.0,
                "refreshAfterMillis",
                0.0),
            Map.of()));
    return results;
  }

  private static Map<String, String> hotKeyVerdicts(Results results) {
    var verdicts = new LinkedHashMap<String, String>();
    for (Targets.Check check : Targets.check(results)) {
      if (check.benchmark().equals("hot-key expiry")) {
        verdicts.put(check.target(), check.verdict() + ": " + check.measured());
      }
    }
    return verdicts;
  }

  @Test
  void check_hotKeyExpiry_judgesTheP99RatioAndTheLoaderCallsWithTheirTolerance() {
    assertThat(hotKeyVerdicts(hotKeySample(0.018, 560)))
        .containsEntry(
            "with refresh-ahead caller p99 ≤ 2× hit p99", "met: 1.80× (0.018 vs 0.010 ms)")
        .containsEntry(
            "loader calls = keys × refresh periods (100 × 5 = 500; up to 100 more for"
                + " reloads in flight at the end)",
            "met: 560");
    assertThat(hotKeyVerdicts(hotKeySample(0.021, 601)).values())
        .allSatisfy(v -> assertThat(v).startsWith("missed"));
    assertThat(hotKeyVerdicts(hotKeySample(0.01, 499)).values())
        .containsExactly("met: 1.00× (0.010 vs 0.010 ms)", "missed: 499");
    assertThat(hotKeyVerdicts(new Results()).values())
        .allSatisfy(v -> assertThat(v).startsWith("not measured"));
  }

  @Test
  void write_hotKeyExpiry_writesItsTable(@TempDir Path dir) throws Exception {
    Report.write(hotKeySample(0.018, 560), dir, "hot");
    String md = Files.readString(dir.resolve("hot.md"));
    assertThat(md)
        .contains(
            "## 9. Hot-key expiry (harness)",
            "64 virtual threads hammer 100 keys for 3.00 s; TTL 1,000 ms, refreshAfter 500 ms",
            "| Loomcache refreshAfter | 1,000,000 | 0.002 | 0.018 | 0.010 | 1.80 | 3.00 | 560 | 5 | 500"
                + " | ours |");
  }

  @Test
  void fmt_numbers_threeSignificantDigitsOrNa() {
    assertThat(Report.fmt(Double.NaN)).isEqualTo("n/a");
    assertThat(Report.fmt(1234567)).isEqualTo("1,234,567");
    assertThat(Report.fmt(1)).isEqualTo("1.00");
    assertThat(Report.fmt(0)).isEqualTo("0");
    assertThat(Report.count(4)).isEqualTo("4");
    assertThat(Report.fmt(12.345)).isEqualTo("12.3");
    assertThat(Report.fmt(0.12345)).isEqualTo("0.123");
    assertThat(Report.fmt(0.000257)).isEqualTo("0.00026");
  }

  /** Issue 16's figures: the local limiter fast on one key only, Redis decisions near the floor. */
  private static Results limitsSample() {
    var results = new Results();
    results.add(
        new Measurement(
            Report.RATE_LIMIT,
            "fixed_tryAcquire_oneKey",
            "fixed, one key",
            "ours",
            Map.of("opsPerSecond", 25e6, "errorOpsPerSecond", 1e6),
            Map.of()));
    results.add(
        new Measurement(
            Report.RATE_LIMIT,
            "fixed_tryAcquire_1024Keys",
            "fixed, 1,024",
            "ours",
            Map.of("opsPerSecond", 15e6, "errorOpsPerSecond", 1e6),
            Map.of()));
    results.add(
        new Measurement(
            Report.REDIS_LIMITS,
            Report.REDIS_LIMITS_BASELINE,
            "raw",
            "floor",
            Map.of(
                "p50Micros",
                40.0,
                "p99Micros",
                80.0,
                "scriptMicrosInRedis",
                2.0,
                "roundTrips",
                1.0),
            Map.of()));
    results.add(
        new Measurement(
            Report.REDIS_LIMITS,
            "fixedDecision",
            "fixed",
            "ours",
            Map.of(
                "p50Micros",
                44.0,
                "p99Micros",
                90.0,
                "scriptMicrosInRedis",
                3.0,
                "roundTrips",
                1.0),
            Map.of()));
    results.add(
        new Measurement(
            Report.REDIS_LIMITS,
            "slidingDecision",
            "sliding",
            "ours",
            Map.of(
                "p50Micros",
                52.0,
                "p99Micros",
                95.0,
                "scriptMicrosInRedis",
                6.0,
                "roundTrips",
                1.0),
            Map.of()));
    results.add(
        new Measurement(
            Report.REDIS_LIMITS,
            "lockAcquireRelease",
            "lock",
            "ours",
            Map.of(
                "p50Micros",
                85.0,
                "p99Micros",
                150.0,
                "scriptMicrosInRedis",
                5.0,
                "roundTrips",
                2.0),
            Map.of()));
    return results;
  }

  @Test
  void check_limitsRun_judgesThroughputRatiosAndRoundTrips() {
    Map<String, String> verdicts = new LinkedHashMap<>();
    Map<String, String> measured = new LinkedHashMap<>();
    for (Targets.Check check : Targets.check(limitsSample())) {
      verdicts.put(check.benchmark(), check.verdict());
      measured.put(check.benchmark(), check.measured());
    }
    assertThat(verdicts)
        .containsEntry("rate limit, local tryAcquire, 1 thread, fixed window, one key", "met")
        .containsEntry("rate limit, local tryAcquire, 1 thread, fixed window, 1,024 keys", "missed")
        .containsEntry(
            "rate limit, local tryAcquire, 1 thread, sliding window, one key", "not measured")
        .containsEntry("rate limit, Redis decision, fixed window", "met")
        .containsEntry("rate limit, Redis decision, sliding window", "missed")
        .containsEntry("rate limit, Redis decision, fixed window with a ban", "not measured")
        .containsEntry("lock acquire+release, uncontended", "met");
    assertThat(measured.get("rate limit, Redis decision, fixed window"))
        .isEqualTo("1.10× (44.0 vs 40.0 µs; in Redis 3.00 vs 2.00 µs)");
    assertThat(measured.get("lock acquire+release, uncontended")).startsWith("2.00 round trips");
  }

  @Test
  void check_lockWithAThirdRoundTrip_isMissed() {
    var results = new Results();
    results.add(
        new Measurement(
            Report.REDIS_LIMITS,
            "lockAcquireRelease",
            "lock",
            "ours",
            Map.of("p50Micros", 85.0, "roundTrips", 3.0),
            Map.of()));
    assertThat(Targets.check(results))
        .filteredOn(c -> c.benchmark().equals("lock acquire+release, uncontended"))
        .singleElement()
        .satisfies(c -> assertThat(c.verdict()).isEqualTo("missed"));
  }

  @Test
  void write_limitsRun_writesTheirTables(@TempDir Path dir) throws Exception {
    Report.write(limitsSample(), dir, "2000-01-01");
    assertThat(Files.readString(dir.resolve("2000-01-01.md")))
        .contains("## 10. In-process rate-limit decisions, 1 thread (JMH)")
        .contains("| fixed, one key | 25.0 ± 1.00 | ours |")
        .contains("| fixed | 44.0 | 1.10 | 90.0 | 3.00 | 1.00 | ours |");
  }
}
