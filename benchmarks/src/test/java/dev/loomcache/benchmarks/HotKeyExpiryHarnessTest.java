package dev.loomcache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.benchmarks.HotKeyExpiryHarness.LogHistogram;
import dev.loomcache.benchmarks.HotKeyExpiryHarness.Phase;
import dev.loomcache.benchmarks.HotKeyExpiryHarness.Subject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The hot-key-expiry harness at a small scale. */
class HotKeyExpiryHarnessTest {
  private static final Duration LOAD = Duration.ofMillis(5);

  @ParameterizedTest
  @EnumSource(Subject.class)
  void hitPhase_everySubject_neverCallsTheLoaderAfterTheWarmup(Subject subject) throws Exception {
    Phase phase =
        HotKeyExpiryHarness.runPhase(
            subject,
            8,
            10,
            LOAD,
            Duration.ofHours(1),
            Duration.ofMinutes(30),
            Duration.ofMillis(300));
    assertThat(phase.loaderCalls()).isZero();
    assertThat(phase.calls()).isPositive();
    assertThat(phase.latencies().count()).isEqualTo(phase.calls());
  }

  @ParameterizedTest
  @EnumSource(Subject.class)
  void expiryPhase_everySubject_reloadsEveryKeyWithinTheRefreshPeriodsBound(Subject subject)
      throws Exception {
    Duration ttl = Duration.ofMillis(400);
    Duration refreshAfter = Duration.ofMillis(200);
    Duration run = Duration.ofSeconds(1);
    Phase phase = HotKeyExpiryHarness.runPhase(subject, 8, 10, LOAD, ttl, refreshAfter, run);

    Duration cycle = subject == Subject.LOOMCACHE_TTL_ONLY ? ttl : refreshAfter;
    long periods = HotKeyExpiryHarness.refreshPeriods(run, cycle, LOAD);
    // Every key passes its refresh point (or TTL) at least once; none is reloaded faster than
    // its cycle allows (one more per key for the reload in flight at the end).
    assertThat(phase.loaderCalls())
        .isGreaterThanOrEqualTo(10)
        .isLessThanOrEqualTo((int) (10 * (periods + 1)));
    // No caller is served a value older than the TTL (plus a generous allowance for scheduling).
    assertThat(Duration.ofNanos(phase.maxServedAgeNanos()))
        .isPositive()
        .isLessThan(ttl.multipliedBy(2));
  }

  @Test
  void refreshPeriods_isTheRunOverTheCyclePlusOneLoad() {
    assertThat(
            HotKeyExpiryHarness.refreshPeriods(
                Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofMillis(20)))
        .isEqualTo(5); // 3000 / 520
    assertThat(
            HotKeyExpiryHarness.refreshPeriods(
                Duration.ofSeconds(12), Duration.ofSeconds(1), Duration.ofMillis(20)))
        .isEqualTo(11); // 12000 / 1020
  }

  @Test
  void runTime_quickModeIsShort() {
    // Two hit phases (the first warms the JIT) and the expiry phase, per subject.
    assertThat(
            HotKeyExpiryHarness.runTime("quick")
                .plus(HotKeyExpiryHarness.hitTime("quick").multipliedBy(2)))
        .isLessThanOrEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void logHistogram_percentilesAreWithinABucketOfTheTruth() {
    var histogram = new LogHistogram();
    for (long v = 1; v <= 100_000; v++) {
      histogram.record(v * 1_000); // 1 µs to 100 ms
    }
    assertThat(histogram.count()).isEqualTo(100_000);
    assertThat((double) histogram.percentile(50)).isBetween(50e6, 50e6 * 1.07);
    assertThat((double) histogram.percentile(99)).isBetween(99e6, 99e6 * 1.07);
    assertThat(histogram.percentile(100)).isEqualTo(100_000_000L);
    assertThat(histogram.max()).isEqualTo(100_000_000L);
    for (int i = 0; i < 900; i++) { // up to 2^60 ns: far beyond any latency
      assertThat(LogHistogram.upperBound(i)).isLessThan(LogHistogram.upperBound(i + 1));
      assertThat(LogHistogram.index(LogHistogram.upperBound(i))).isEqualTo(i);
    }
  }
}
