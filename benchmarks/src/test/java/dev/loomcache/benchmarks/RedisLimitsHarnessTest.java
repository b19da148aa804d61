package dev.loomcache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisLimitsHarness} at a small scale, in a JVM of its own against the redis-server it
 * starts: every subject is measured and the round trips it counts are the protocol's.
 */
class RedisLimitsHarnessTest {

  @Test
  void main_smallRun_measuresEverySubjectAndCountsRoundTrips() throws Exception {
    Map<String, String> out =
        Forks.run(
            RedisLimitsHarness.class,
            List.of("-Xmx256m"),
            List.of("1", "20"),
            Duration.ofMinutes(2));
    for (String[] subject : RedisLimitsHarness.SUBJECTS) {
      assertThat(Double.parseDouble(out.get(subject[0] + ".p50Micros")))
          .as(subject[0])
          .isPositive();
      assertThat(out).containsKey(subject[0] + ".scriptMicrosInRedis");
    }
    assertThat(out)
        .containsEntry("rawEvalsha.roundTrips", "1.0")
        .containsEntry("fixedDecision.roundTrips", "1.0")
        .containsEntry("fixedBanDecision.roundTrips", "1.0")
        .containsEntry("slidingDecision.roundTrips", "1.0")
        .containsEntry("lockAcquireRelease.roundTrips", "2.0")
        .containsEntry("calls", "20");
  }

  @Test
  void main_wrongArguments_namesTheUsage() {
    assertThatThrownBy(() -> RedisLimitsHarness.main(new String[] {"10"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rounds callsPerRound");
  }
}
