package dev.loomcache.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a harness's {@code main} in a fresh JVM (same JDK, same class path) and reads back the
 * results it prints, so that every library is measured in a JVM of its own: no JIT profile, class
 * loading or heap left behind by the library before it.
 *
 * <p>The protocol is one line per result on standard output, {@code RESULT key=value}; any other
 * line is passed through to this JVM's standard output, prefixed with the harness's name.
 */
public final class Forks {
  private static final String PREFIX = "RESULT ";

  private Forks() {}

  /** Prints one result line for the parent JVM to read. */
  public static void emit(String key, Object value) {
    if (key.contains("=") || key.isBlank()) {
      throw new IllegalArgumentException(
          "key must be non-blank without '=', but was '" + key + "'");
    }
    String text = String.valueOf(value).replace('\n', ' ');
    System.out.println(PREFIX + key + "=" + text);
  }

  /**
   * Runs {@code mainClass} with {@code jvmArgs} and {@code args} in a new JVM and returns the
   * results it printed, in order. Parks the calling thread until the JVM exits.
   *
   * @throws IllegalStateException if the JVM exits with a non-zero status or outlives {@code
   *     timeout} (it is then destroyed)
   * @throws InterruptedException if the calling thread is interrupted while waiting; the JVM is
   *     destroyed first
   */
  public static Map<String, String> run(
      Class<?> mainClass, List<String> jvmArgs, List<String> args, Duration timeout)
      throws InterruptedException {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(args);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command, e);
    }
    var results = new LinkedHashMap<String, String>();
    String tag = "[" + mainClass.getSimpleName() + " " + String.join(" ", args) + "] ";
    Thread reader = Thread.ofVirtual().start(() -> read(process, results, tag));
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(tag + "did not finish within " + timeout);
      }
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
      reader.join(); // ends at the end of the output, at the latest when the JVM is gone
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(tag + "exited with status " + process.exitValue());
    }
    synchronized (results) {
      return new LinkedHashMap<>(results);
    }
  }

  private static void read(Process process, Map<String, String> results, String tag) {
    try (var lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        int equals = line.indexOf('=');
        if (line.startsWith(PREFIX) && equals > PREFIX.length()) {
          synchronized (results) {
            results.put(line.substring(PREFIX.length(), equals), line.substring(equals + 1));
          }
        } else {
          System.out.println(tag + line);
        }
      }
    } catch (IOException e) {
      System.out.println(tag + "output lost: " + e);
    }
  }
}
