package dev.loomcache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentKeysTest {

  @Test
  void of_plainArgument_isTheArgumentItself() {
    var argument = List.of("a");
    assertThat(ArgumentKeys.of(argument)).isSameAs(argument);
  }

  @Test
  void of_null_isAKeyEqualOnlyToItself() {
    assertThat(ArgumentKeys.of((Object) null))
        .isEqualTo(ArgumentKeys.of((Object) null))
        .isNotEqualTo("null")
        .isNotEqualTo(ArgumentKeys.NO_ARGUMENTS)
        .hasToString("null");
  }

  @Test
  void of_arrays_equalByComponentTypeAndContent_withMatchingHashCodes() {
    Object first = ArgumentKeys.of(new double[] {1.5, Double.NaN});
    Object second = ArgumentKeys.of(new double[] {1.5, Double.NaN});

    assertThat(first).isEqualTo(second).hasSameHashCodeAs(second).hasToString("double[1.5, NaN]");
    assertThat(ArgumentKeys.of(new Object[] {"a", new int[] {1}}))
        .isEqualTo(ArgumentKeys.of(new Object[] {"a", new int[] {1}}))
        .isNotEqualTo(ArgumentKeys.of(new Object[] {"a", new Integer[] {1}}))
        .hasToString("Object[a, int[1]]");
    assertThat(ArgumentKeys.of(new String[0])).isNotEqualTo(ArgumentKeys.of(new Object[0]));
  }

  @Test
  void of_anArrayThatContainsItself_isRejected() {
    var array = new Object[1];
    array[0] = array;

    assertThatThrownBy(() -> ArgumentKeys.of(array))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contains itself");
  }

  @Test
  void of_sameArrayTwiceInsideAnother_isNotACycle() {
    var inner = new int[] {7};
    assertThat(ArgumentKeys.of(new Object[] {inner, inner}))
        .isEqualTo(ArgumentKeys.of(new Object[] {new int[] {7}, new int[] {7}}));
    var shared = new Object[] {"x"};
    assertThat(ArgumentKeys.of(new Object[] {shared, shared}))
        .isEqualTo(ArgumentKeys.of(new Object[] {new Object[] {"x"}, new Object[] {"x"}}));
  }

  @Test
  void of_positions_buildsKeysFromTheChosenArguments() {
    Object[] arguments = {1L, "session", new int[] {2}};

    assertThat(ArgumentKeys.of(arguments, new int[0])).isSameAs(ArgumentKeys.NO_ARGUMENTS);
    assertThat(ArgumentKeys.of(null, new int[0])).isSameAs(ArgumentKeys.NO_ARGUMENTS);
    assertThat(ArgumentKeys.of(arguments, new int[] {0})).isEqualTo(1L);
    assertThat(ArgumentKeys.of(arguments, new int[] {0, 2}))
        .isEqualTo(ArgumentKeys.of(new Object[] {1L, "other", new int[] {2}}, new int[] {0, 2}))
        .isNotEqualTo(ArgumentKeys.of(new Object[] {1, "other", new int[] {2}}, new int[] {0, 2}))
        .isNotEqualTo(ArgumentKeys.of(new Object[] {new int[] {2}, "x", 1L}, new int[] {0, 2}))
        .hasToString("(1, int[2])");
  }

  @Test
  void of_positions_compositeWithNull_differsFromTheStringNull() {
    assertThat(ArgumentKeys.of(new Object[] {null, "a"}, new int[] {0, 1}))
        .isEqualTo(ArgumentKeys.of(new Object[] {null, "a"}, new int[] {0, 1}))
        .isNotEqualTo(ArgumentKeys.of(new Object[] {"null", "a"}, new int[] {0, 1}));
  }
}
