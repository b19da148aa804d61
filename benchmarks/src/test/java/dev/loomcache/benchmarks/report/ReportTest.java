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
    results.add(new Measurement(Report.HIT_PATH, "loomcache_get", "Loomcache get", "ours",
        Map.of("threads1.opsPerSecond", 80e6, "threads2.opsPerSecond", 150e6), Map.of()));
    results.add(new Measurement(Report.HIT_PATH, Report.HIT_BASELINE, "Caffeine get", "theirs",
        Map.of("threads1.opsPerSecond", 100e6, "threads2.opsPerSecond", 150e6), Map.of()));
    results.add(new Measurement(Report.STAMPEDE, "LOOMCACHE", "Loomcache", "ours",
        Map.of("wallMillis", 22.0, "p99WaitMillis", 21.0, "loaderCallsMin", 100.0,
            "loaderCallsMax", 100.0, "keys", 100.0, "loadMillis", 20.0), Map.of()));
    results.add(new Measurement(Report.STAMPEDE, Report.RIVAL_BASELINE, "Caffeine sync", "theirs",
        Map.of("wallMillis", 88.0, "p99WaitMillis", 84.0), Map.of()));
    results.add(new Measurement(Report.STAMPEDE, "CAFFEINE_ASYNC", "Caffeine async", "theirs",
        Map.of("wallMillis", 24.0, "p99WaitMillis", 23.0), Map.of()));
    results.add(new Measurement(Report.STAMPEDE, "GUAVA", "Guava", "theirs",
        Map.of("wallMillis", 30.0, "p99WaitMillis", 29.0), Map.of()));
    results.add(new Measurement(Report.STAMPEDE, "NONE", "no cache (harness floor)", "floor",
        Map.of("wallMillis", 5.0, "p99WaitMillis", 4.0), Map.of()));
    results.add(new Measurement(Report.PINNING, "LOOMCACHE", "Loomcache", "ours",
        Map.of("pinnedEvents", 0.0, "pinnedClassLoading", 0.0, "pinnedOther", 0.0,
            "pinnedWarm", 0.0), Map.of("pinnedOtherSites", "none")));
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
        .containsEntry("hit path, default TTL, 1 thread: ≥ 2.0× Caffeine expireAfterWrite"
            + " + recordStats", "not measured")
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
    assertThat(files).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(
        "2000-01-01.json", "2000-01-01.md", "2000-01-01-hit-path.svg", "2000-01-01-stampede.svg");
    String md = Files.readString(dir.resolve("2000-01-01.md"));
    assertThat(md)
        .contains("| Loomcache get | 80.0 ± n/a | 0.800 |")
        .contains("| Loomcache | 100 | 22.0 | 1.10 | 0.250 |")
        .contains("![1. Hit path (JMH)](2000-01-01-hit-path.svg)")
        .contains("- memory: java.lang.OutOfMemoryError");
    String json = Files.readString(dir.resolve("2000-01-01.json"));
    assertThat(json).contains("\"verdict\": \"missed\"", "\"threads1.opsPerSecond\": 8.0E7",
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
}
