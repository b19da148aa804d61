package dev.loomcache.chronicle;

import dev.loomcache.chronicle.internal.ChronicleEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Test support: a child JVM running a main class of the test class path, with the same java binary,
 * its output (stdout and stderr merged) collected line by line. Closing it kills it with SIGKILL if
 * it still runs and waits for it: a test never leaves a process behind.
 *
 * <p>The child never gets Chronicle's silencing properties on its command line: the store must set
 * them itself.
 */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private ChildJvm(Process process) {
    this.process = process;
    this.reader = Thread.ofVirtual().name("child-jvm-output").start(this::readOutput);
  }

  /** Starts {@code main} with the four flags Chronicle needs, or without them. */
  static ChildJvm start(
      Class<?> main, boolean withChronicleFlags, List<String> extraJvmOptions, String... args)
      throws IOException {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (withChronicleFlags) {
      command.addAll(ChronicleEnvironment.REQUIRED_FLAGS);
    }
    command.addAll(extraJvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  /** Waits until a line matches, failing the test after {@code timeout} or if the child exits. */
  String awaitLine(Duration timeout, Predicate<String> matches) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (true) {
      List<String> snapshot = lines;
      for (int i = seen; i < snapshot.size(); i++) {
        if (matches.test(snapshot.get(i))) {
          return snapshot.get(i);
        }
      }
      seen = snapshot.size();
      if (!reader.isAlive() && seen == lines.size()) {
        throw new AssertionError(
            "the child exited ("
                + exitCode()
                + ") without the line; output:\n"
                + String.join("\n", lines));
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "no matching line from the child within "
                + timeout
                + "; output so far:\n"
                + String.join("\n", lines));
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  /**
   * Kills the child with SIGKILL and waits until it is gone and its output is read to the end.
   * Through its {@code ProcessHandle}: {@code Process.destroyForcibly()} sends the same signal but
   * also closes the pipes, losing lines the child printed just before it died.
   */
  void killHard() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor();
    reader.join();
  }

  /** Waits for the child to exit by itself and its output to be read; returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "the child did not exit within " + timeout + "; output:\n" + String.join("\n", lines));
    }
    reader.join();
    return process.exitValue();
  }

  /** Every line the child has printed so far. */
  List<String> output() {
    return List.copyOf(lines);
  }

  /** Kills the child if it still runs and waits until it is gone, even if interrupted. */
  @Override
  public void close() {
    process.toHandle().destroyForcibly();
    boolean interrupted = false;
    while (true) {
      try {
        process.waitFor();
        reader.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private String exitCode() {
    return process.isAlive() ? "still running" : "exit code " + process.exitValue();
  }

  private void readOutput() {
    try (var in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
