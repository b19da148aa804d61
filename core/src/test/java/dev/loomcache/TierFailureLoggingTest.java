package dev.loomcache;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a user sees in a log when a tier fails, end to end through SLF4J (slf4j-simple, in a child
 * JVM so the test owns its configuration): one line per failure kind under the logger {@code
 * dev.loomcache.tier}, no stack trace unless that logger is at DEBUG.
 */
class TierFailureLoggingTest {

  private static List<String> runChild(String... jvmOptions) throws Exception {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(
        List.of(
            "-cp", System.getProperty("java.class.path"), TierFailureLoggingMain.class.getName()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the child finished").isTrue();
      assertThat(process.exitValue()).as(output).isZero();
      return output.lines().toList();
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void failingTier_atWarn_logsOneLinePerKindUnderDevLoomcacheTier() throws Exception {
    List<String> lines = runChild("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    // 50 gets: 50 failed reads and 50 failed writes, two kinds.
    assertThat(lines)
        .filteredOn(line -> !line.startsWith("done:"))
        .containsExactly(
            "[main] WARN dev.loomcache.tier - Tier 'orders' failed to read key 'k0'; carrying on"
                + " without it: java.lang.IllegalStateException: tier orders is down (read)",
            "[main] WARN dev.loomcache.tier - Tier 'orders' failed to write key 'k0'; carrying on"
                + " without it: java.lang.IllegalStateException: tier orders is down (write)");
    assertThat(lines).contains("done: 100 errors");
  }

  @Test
  void failingTier_loggerAtDebug_alsoLogsTheStackTrace() throws Exception {
    List<String> lines =
        runChild(
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-Dorg.slf4j.simpleLogger.log.dev.loomcache.tier=debug");

    assertThat(lines)
        .contains(
            "[main] DEBUG dev.loomcache.tier - Details of the last warning about"
                + " tier 'orders'");
    assertThat(lines).anyMatch(line -> line.startsWith("\tat dev.loomcache.MapTier."));
  }
}
