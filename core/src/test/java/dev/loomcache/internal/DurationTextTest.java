package dev.loomcache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "500ms, PT0.5S",
    "30s, PT30S",
    "5m, PT5M",
    "2h, PT2H",
    "1d, PT24H",
    "90m, PT1H30M",
    "PT30S, PT30S",
    "P1D, PT24H",
    "PT1H30M, PT1H30M",
    "pt5m, PT5M",
  })
  void parsePositive_acceptedForms(String text, String expected) {
    assertThat(DurationText.parsePositive(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "", "5", "m", "5 m", " 5m", "5m ", "5M", "5min", "1h30m", "1.5s", "-5s", "5w", "P", "five"
      })
  void parsePositive_otherText_isNotADuration(String text) {
    assertThatThrownBy(() -> DurationText.parsePositive(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"" + text + "\" is not a duration; use " + DurationText.FORMS);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"0s", "0ms", "PT0S", "-PT5S", "PT-5S"})
  void parsePositive_zeroOrNegative_isRejected(String text) {
    assertThatThrownBy(() -> DurationText.parsePositive(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"" + text + "\" is not a positive duration");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"99999999999999999999s", "9223372036854775807d"})
  void parsePositive_tooLong_isRejected(String text) {
    assertThatThrownBy(() -> DurationText.parsePositive(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"" + text + "\" is too long a duration");
  }
}
