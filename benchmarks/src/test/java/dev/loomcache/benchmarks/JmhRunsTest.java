package dev.loomcache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JmhRunsTest {

  @Test
  void score_oddRounds_isTheMedianWithTheSpreadAsError() {
    var score = JmhRuns.Score.of("s", List.of(9.0, 3.0, 5.0), List.of(0.5, 0.5, 0.5));
    assertThat(score.score()).isEqualTo(5.0);
    assertThat(score.error()).isEqualTo(3.0); // (9 - 3) / 2 beats JMH's 0.5
  }

  @Test
  void score_evenRounds_averagesTheMiddleTwo() {
    var score = JmhRuns.Score.of("s", List.of(4.0, 2.0), List.of(Double.NaN, Double.NaN));
    assertThat(score.score()).isEqualTo(3.0);
    assertThat(score.error()).isEqualTo(1.0);
  }

  @Test
  void score_oneRound_keepsJmhsError() {
    var score = JmhRuns.Score.of("s", List.of(7.0), List.of(0.25));
    assertThat(score.score()).isEqualTo(7.0);
    assertThat(score.error()).isEqualTo(0.25);
  }
}
