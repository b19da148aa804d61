package dev.loomcache.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandLineTest {

  @Test
  void parse_nothing_isLoopbackOn8080WithDataAndNoRedis() {
    assertThat(CommandLine.parse())
        .isEqualTo(new CommandLine("127.0.0.1", 8080, "data", null, 0, false));
  }

  @Test
  void parse_bothSpellings_areAccepted() {
    assertThat(CommandLine.parse("--host", "0.0.0.0", "--port=0"))
        .isEqualTo(new CommandLine("0.0.0.0", 0, "data", null, 0, false));
    assertThat(CommandLine.parse("--host=::1", "--port", "9090", "--data=/tmp/x"))
        .isEqualTo(new CommandLine("::1", 9090, "/tmp/x", null, 0, false));
    assertThat(CommandLine.parse("--help").help()).isTrue();
  }

  @Test
  void parse_redisFlag_givesHostAndPort() {
    CommandLine options = CommandLine.parse("--redis", "127.0.0.1:6380", "--data", "d");
    assertThat(options.redisHost()).isEqualTo("127.0.0.1");
    assertThat(options.redisPort()).isEqualTo(6380);
    assertThat(options.dataDirectory()).isEqualTo("d");
    assertThat(CommandLine.parse("--redis=[::1]:7000").redisHost()).isEqualTo("::1");
  }

  @Test
  void parse_redisVariable_isUsedOnlyWithoutTheFlag() {
    var environment = Map.of(CommandLine.REDIS_VARIABLE, "cache.local:6379");
    assertThat(CommandLine.parse(environment).redisHost()).isEqualTo("cache.local");
    assertThat(CommandLine.parse(environment, "--redis", "other:1").redisHost()).isEqualTo("other");
    assertThat(CommandLine.parse(Map.of(CommandLine.REDIS_VARIABLE, " ")).redisHost()).isNull();
  }

  @Test
  void parse_badRedisVariable_namesTheVariable() {
    assertThatThrownBy(() -> CommandLine.parse(Map.of(CommandLine.REDIS_VARIABLE, "nohost")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("LOOMCACHE_REDIS must be HOST:PORT, such as 127.0.0.1:6379, but was 'nohost'");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--port         | --port needs a value",
        "--port=http    | --port must be a number from 0 to 65535, but was 'http'",
        "--port=70000   | --port must be from 0 to 65535, but was 70000",
        "--host=        | --host must not be blank",
        "--data=        | --data must not be blank",
        "--redis        | --redis needs a value",
        "--redis=6379   | --redis must be HOST:PORT, such as 127.0.0.1:6379, but was '6379'",
        "--redis=h:     | --redis must be HOST:PORT, such as 127.0.0.1:6379, but was 'h:'",
        "--redis=h:x    | --redis port must be a number from 0 to 65535, but was 'x'",
        "--redis=h:0    | --redis port must be from 1 to 65535, but was 0",
        "--verbose      | unknown option '--verbose'",
      })
  void parse_badOption_namesIt(String arg, String message) {
    assertThatThrownBy(() -> CommandLine.parse(arg))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
