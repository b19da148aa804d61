package dev.loomcache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.benchmarks.report.Measurement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchmarkSuiteTest {

  @Test
  void settings_quickMode_fitsTheTenMinuteBudgetForJmh() {
    BenchmarkSuite.Settings quick = BenchmarkSuite.Settings.of("quick");
    int jmhRuns =
        2 * HitPathBenchmark.SUBJECTS.size()
            + BatchingBenchmark.SUBJECTS.size()
            + 2 * SpringCacheableBenchmark.SUBJECTS.size(); // at 1 and 2 threads
    Duration perRun =
        quick
            .jmhWarmupTime()
            .multipliedBy(quick.jmhWarmups())
            .plus(quick.jmhIterationTime().multipliedBy(quick.jmhIterations()))
            .multipliedBy(quick.jmhForks() * quick.jmhRounds());
    // the JMH part's measured time alone, before fork start-up and the harnesses
    assertThat(perRun.multipliedBy(jmhRuns)).isLessThan(Duration.ofMinutes(4));
  }

  @Test
  void settings_fullMode_interleavesRoundsOfOneFork() {
    BenchmarkSuite.Settings full = BenchmarkSuite.Settings.of("full");
    assertThat(full.jmhRounds()).isGreaterThan(1);
    assertThat(full.jmhForks()).isEqualTo(1);
  }

  @Test
  void selected_allBlankOrAbsent_isEveryBenchmark_andANameListKeepsItsOrder() {
    assertThat(BenchmarkSuite.selected("all")).containsExactlyElementsOf(BenchmarkSuite.ALL);
    assertThat(BenchmarkSuite.selected(" ")).containsExactlyElementsOf(BenchmarkSuite.ALL);
    assertThat(BenchmarkSuite.selected(null)).containsExactlyElementsOf(BenchmarkSuite.ALL);
    assertThat(BenchmarkSuite.selected("memory, hitPath")).containsExactly("memory", "hitPath");
    assertThatThrownBy(() -> BenchmarkSuite.selected("hitPath,fast"))
        .hasMessageContaining("unknown benchmark 'fast'")
        .hasMessageContaining("hotKeyExpiry");
  }

  @Test
  void all_includesTheSpringBenchmarks() {
    assertThat(BenchmarkSuite.ALL).contains("springHitPath", "springStampede");
  }

  @Test
  void all_includesTheHotKeyExpiryHarness() {
    assertThat(BenchmarkSuite.ALL).contains("hotKeyExpiry");
  }

  @Test
  void settings_unknownMode_throwsNamingTheModes() {
    assertThatThrownBy(() -> BenchmarkSuite.Settings.of("slow"))
        .hasMessageContaining("quick or full");
  }

  @Test
  void split_harnessOutput_separatesNumbersFromNotes() {
    var out = new LinkedHashMap<String, String>();
    out.put("wallMillis", "21.5");
    out.put("pinnedOtherSites", "none");
    Measurement m = BenchmarkSuite.split("stampede", "LOOMCACHE", "Loomcache", "config", out);
    assertThat(m.figures()).isEqualTo(Map.of("wallMillis", 21.5));
    assertThat(m.notes()).isEqualTo(Map.of("pinnedOtherSites", "none"));
  }
}
