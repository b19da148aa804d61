package dev.loomcache.build;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./mvnw} with a JDK older than 25 says so in one sentence before Maven starts. It used to
 * fail with {@code Unrecognized option: --sun-misc-unsafe-memory-access=allow} from {@code
 * .mvn/jvm.config}, which says nothing about the JDK needed.
 */
class MavenWrapperTest {
  /** The repository root: tests run in the module's directory. */
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @TempDir Path fakeJdk;

  @ParameterizedTest
  @ValueSource(strings = {"17.0.15\" 2025-04-15", "21.0.5\" 2024-10-15", "1.8.0_402\""})
  void mvnw_jdkOlderThan25_failsWithOneSentenceNamingJdk25(String version) throws Exception {
    Path java = fakeJava("openjdk version \"" + version);

    Result result = mvnw(fakeJdk, "-v");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output().strip().lines())
        .singleElement()
        .satisfies(line ->
            assertThat(line)
                .startsWith("Loomcache needs JDK 25 or later to build, but " + java + " is Java ")
                .contains("set JAVA_HOME to a JDK 25")
                .doesNotContain("Unrecognized option"));
  }

  @Test
  void mvnw_jdk25_runsMaven() throws Exception {
    Path home = Path.of(System.getProperty("java.home"));

    Result result = mvnw(home, "-v");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("Apache Maven").contains(home.toString());
  }

  /** A {@code bin/java} (and {@code bin/javac}) printing {@code firstLine} as its version. */
  private Path fakeJava(String firstLine) throws IOException {
    Path bin = Files.createDirectories(fakeJdk.resolve("bin"));
    String script =
        "#!/bin/sh\necho '"
            + firstLine.replace("'", "'\\''")
            + "' >&2\n"
            + "echo 'OpenJDK Runtime Environment' >&2\n";
    for (String tool : new String[] {"java", "javac"}) {
      Path file = bin.resolve(tool);
      Files.writeString(file, script, UTF_8);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return bin.resolve("java");
  }

  private record Result(int exitCode, String output) {}

  private static Result mvnw(Path javaHome, String... args) throws Exception {
    var command = new ArrayList<String>();
    command.add(ROOT.resolve("mvnw").toString());
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", javaHome.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("mvnw did not finish: " + output);
    }
    return new Result(process.exitValue(), output);
  }
}
