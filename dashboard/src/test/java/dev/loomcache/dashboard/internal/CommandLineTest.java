package dev.loomcache.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandLineTest {

  @Test
  void parse_nothing_isLoopbackOn8080() {
    assertThat(CommandLine.parse()).isEqualTo(new CommandLine("127.0.0.1", 8080, false));
  }

  @Test
  void parse_bothSpellings_areAccepted() {
    assertThat(CommandLine.parse("--host", "0.0.0.0", "--port=0"))
        .isEqualTo(new CommandLine("0.0.0.0", 0, false));
    assertThat(CommandLine.parse("--host=::1", "--port", "9090"))
        .isEqualTo(new CommandLine("::1", 9090, false));
    assertThat(CommandLine.parse("--help").help()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--port         | --port needs a value",
      "--port=http    | --port must be a number from 0 to 65535, but was 'http'",
      "--port=70000   | --port must be from 0 to 65535, but was 70000",
      "--host=        | --host must not be blank",
      "--verbose      | unknown option '--verbose'",
  })
  void parse_badOption_namesIt(String arg, String message) {
    assertThatThrownBy(() -> CommandLine.parse(arg))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }
}
