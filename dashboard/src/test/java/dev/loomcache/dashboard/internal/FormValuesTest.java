package dev.loomcache.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FormValuesTest {

  private static FormValues form(String name, String... values) {
    return FormValues.of(Map.of(name, values));
  }

  @Test
  void wholeNumber_absentOrBlank_isTheFallback() {
    assertThat(FormValues.empty().wholeNumber("n", 1, 10, 7)).isEqualTo(7);
    assertThat(form("n", "  ").wholeNumber("n", 1, 10, 7)).isEqualTo(7);
  }

  @Test
  void wholeNumber_withSeparatorsAndSpaces_isRead() {
    assertThat(form("n", " 1,000 ").wholeNumber("n", 1, 10_000, 0)).isEqualTo(1000);
    assertThat(form("n", "10_000").wholeNumber("n", 1, 10_000, 0)).isEqualTo(10_000);
  }

  @Test
  void wholeNumber_notANumber_isA400NamingFieldRangeAndValue() {
    assertThatThrownBy(() -> form("n", "ten").wholeNumber("n", 1, 10, 5))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage("n must be a whole number from 1 to 10, but was 'ten'.");
  }

  @Test
  void wholeNumber_longGarbage_isAbbreviatedInTheMessage() {
    String garbage = "x".repeat(500);
    assertThatThrownBy(() -> form("n", garbage).wholeNumber("n", 1, 10, 5))
        .hasMessage("n must be a whole number from 1 to 10, but was '" + "x".repeat(40) + "...'.");
  }

  @Test
  void wholeNumber_outOfRange_isA400() {
    assertThatThrownBy(() -> form("n", "11").wholeNumber("n", 1, 10, 5))
        .isInstanceOf(ApiException.class)
        .hasMessage("n must be from 1 to 10, but was 11.");
  }

  @Test
  void wholeNumber_givenTwice_isA400() {
    assertThatThrownBy(() -> form("n", "1", "2").wholeNumber("n", 1, 10, 5))
        .isInstanceOf(ApiException.class)
        .hasMessage("n was given 2 times; give it once.");
  }

  @Test
  void allowOnly_unknownFields_areNamedWithTheAcceptedOnes() {
    var form = FormValues.of(Map.of("b", new String[] {"1"}, "a", new String[] {"2"}));
    assertThatThrownBy(() -> form.allowOnly(Set.of("y", "x")))
        .isInstanceOf(ApiException.class)
        .hasMessage("Unknown fields a, b; accepted: x, y.");
    assertThat(form.allowOnly(Set.of("a", "b", "c")).has("a")).isTrue();
  }

  @Test
  void apiException_hasNoStackTrace() {
    assertThat(ApiException.badRequest("no").getStackTrace()).isEmpty();
  }
}
