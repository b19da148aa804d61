package dev.loomcache.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** LoopPolicy: defaults, immutability and validation. */
class LoopPolicyTest {

  @Test
  void defaults_areThoseOfTheContract() {
    LoopPolicy policy = LoopPolicy.defaults();

    assertThat(policy.maxToolRepeats()).isEqualTo(5);
    assertThat(policy.maxExecutionDepth()).isEqualTo(50);
    assertThat(policy.maxCyclePeriod()).isEqualTo(4);
    assertThat(policy.cycleRepetitions()).isEqualTo(2);
    assertThat(policy.maxFailures()).isEqualTo(3);
    assertThat(policy.onLoop()).isEqualTo(OnLoop.RAISE);
    assertThat(policy.isEnabled()).isTrue();
  }

  @Test
  void setters_returnANewPolicyAndLeaveTheOriginalAlone() {
    LoopPolicy defaults = LoopPolicy.defaults();

    LoopPolicy changed =
        defaults
            .maxToolRepeats(7)
            .maxExecutionDepth(8)
            .maxCyclePeriod(3)
            .cycleRepetitions(4)
            .maxFailures(2)
            .onLoop(OnLoop.WARN);

    assertThat(defaults).isEqualTo(LoopPolicy.defaults());
    assertThat(defaults.maxToolRepeats()).isEqualTo(5);
    assertThat(changed.maxToolRepeats()).isEqualTo(7);
    assertThat(changed.maxExecutionDepth()).isEqualTo(8);
    assertThat(changed.maxCyclePeriod()).isEqualTo(3);
    assertThat(changed.cycleRepetitions()).isEqualTo(4);
    assertThat(changed.maxFailures()).isEqualTo(2);
    assertThat(changed.onLoop()).isEqualTo(OnLoop.WARN);
    assertThat(changed).isNotEqualTo(defaults);
    assertThat(changed.toString()).contains("maxToolRepeats=7", "onLoop=WARN");
  }

  @Test
  void equalPolicies_areEqualWithEqualHashCodes() {
    assertThat(LoopPolicy.defaults().maxToolRepeats(9))
        .isEqualTo(LoopPolicy.defaults().maxToolRepeats(9))
        .hasSameHashCodeAs(LoopPolicy.defaults().maxToolRepeats(9));
  }

  @Test
  void disabled_hasEveryDetectorOff_andSettersTurnSingleOnesOn() {
    assertThat(LoopPolicy.disabled().isEnabled()).isFalse();
    assertThat(LoopPolicy.disabled().onLoop(OnLoop.WARN).isEnabled()).isFalse();
    assertThat(LoopPolicy.disabled().maxToolRepeats(3).isEnabled()).isTrue();
    assertThat(LoopPolicy.disabled().maxExecutionDepth(3).isEnabled()).isTrue();
    assertThat(LoopPolicy.disabled().maxCyclePeriod(2).isEnabled()).isTrue();
    assertThat(LoopPolicy.disabled().maxFailures(3).isEnabled()).isTrue();
    assertThat(LoopPolicy.disabled().maxToolRepeats(Integer.MAX_VALUE).isEnabled()).isFalse();
  }

  @Test
  void setters_rejectOutOfRangeValuesNamingTheParameter() {
    LoopPolicy p = LoopPolicy.defaults();
    assertThatThrownBy(() -> p.maxToolRepeats(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxToolRepeats must be at least 1, but was 0");
    assertThatThrownBy(() -> p.maxExecutionDepth(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxExecutionDepth must be at least 1, but was 0");
    assertThatThrownBy(() -> p.maxCyclePeriod(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxCyclePeriod must be at least 1, but was 0");
    assertThatThrownBy(() -> p.maxCyclePeriod(LoopPolicy.MAX_CYCLE_PERIOD + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxCyclePeriod must be at most");
    assertThatThrownBy(() -> p.cycleRepetitions(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cycleRepetitions must be at least 2, but was 1");
    assertThatThrownBy(() -> p.maxFailures(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFailures must be at least 1, but was 0");
    assertThatThrownBy(() -> p.onLoop(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("onLoop must not be null");
  }

  @Test
  void loopKinds_areDeclaredInTheOrderTheyAreChecked() {
    assertThat(LoopKind.values())
        .containsExactly(LoopKind.REPEAT, LoopKind.CYCLE, LoopKind.RETRY_STORM, LoopKind.DEPTH);
  }
}
