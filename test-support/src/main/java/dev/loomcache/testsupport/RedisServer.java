package dev.loomcache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} process on a free loopback port ({@link LoopbackPorts}), started from
 * PATH with persistence off; killed (SIGKILL), paused (SIGSTOP), resumed and restarted by its PID,
 * never by name. Every server started is also registered with a JVM shutdown hook, so none outlives
 * the test JVM even if a test forgets (or the JVM is ended by a timeout).
 */
public final class RedisServer implements AutoCloseable {
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (Process process : RUNNING) {
                    process.destroyForcibly();
                  }
                },
                "redis-server-reaper"));
  }

  private final Path dir;
  private final int port;
  private final List<String> extraArgs;
  private Process process;
  private boolean paused;

  private RedisServer(Path dir, int port, List<String> extraArgs) {
    this.dir = dir;
    this.port = port;
    this.extraArgs = List.copyOf(extraArgs);
    this.process = launch();
  }

  /** Starts a standalone server on a free port, in a new temporary directory. */
  public static RedisServer start(String... extraArgs) {
    return start(() -> List.of(LoopbackPorts.take()), ports -> List.of(extraArgs));
  }

  /**
   * Starts a server with cluster mode on, its bus on a free port of its own (never the implicit
   * port+10000, which nobody reserved); not yet in a cluster.
   */
  public static RedisServer startClusterNode() {
    return start(() -> LoopbackPorts.take(2), RedisServer::clusterArgs);
  }

  private static List<String> clusterArgs(List<Integer> ports) {
    return List.of(
        "--cluster-enabled",
        "yes",
        "--cluster-port",
        Integer.toString(ports.get(1)),
        "--cluster-config-file",
        "nodes-" + ports.getFirst() + ".conf",
        "--cluster-node-timeout",
        "2000");
  }

  /**
   * Starts a server on the first of the ports {@code ports} gives (the others are for {@code
   * extraArgs}); if another process took one of them after it was found free, starts again on new
   * ones.
   */
  static RedisServer start(
      Supplier<List<Integer>> ports, Function<List<Integer>, List<String>> extraArgs) {
    for (int attempt = 1; ; attempt++) {
      List<Integer> chosen = ports.get();
      Path dir;
      try {
        dir = Files.createTempDirectory("redis-test-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        return new RedisServer(dir, chosen.getFirst(), extraArgs.apply(chosen));
      } catch (PortTakenException e) {
        deleteDirectory(dir);
        if (attempt == START_ATTEMPTS) {
          throw new IllegalStateException(
              "redis-server found its ports "
                  + chosen
                  + " taken "
                  + START_ATTEMPTS
                  + " times in a row",
              e);
        }
      }
    }
  }

  private static final int START_ATTEMPTS = 5;

  /** The server exited because a port it was given is bound by someone else. */
  static final class PortTakenException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }

  public int port() {
    return port;
  }

  public HostAndPort hostAndPort() {
    return new HostAndPort("127.0.0.1", port);
  }

  public long pid() {
    return process.pid();
  }

  private Process launch() {
    var command =
        new ArrayList<>(
            List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString()));
    command.addAll(extraArgs);
    Process started;
    try {
      started =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis-" + port + ".log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start redis-server (is it on PATH?)", e);
    }
    RUNNING.add(started);
    awaitPing(started);
    return started;
  }

  private void awaitPing(Process started) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      if (!started.isAlive()) {
        RUNNING.remove(started);
        String log = log();
        if (log.contains("Address already in use")) {
          throw new PortTakenException("redis-server on port " + port + " exited: " + log);
        }
        throw new IllegalStateException("redis-server on port " + port + " exited: " + log);
      }
      try (var jedis = new Jedis(hostAndPort(), RedisServer.quickConfig())) {
        if ("PONG".equals(jedis.ping())) {
          return;
        }
      } catch (RuntimeException notYet) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(
              "redis-server on port " + port + " never answered", notYet);
        }
      }
      Polling.pause(Duration.ofMillis(10));
    }
  }

  /** A new connection to the server with {@link #quickConfig()}; the caller closes it. */
  public Jedis connect() {
    return new Jedis(hostAndPort(), quickConfig());
  }

  /** The number of keys in the server's database 0. */
  public long keyCount() {
    try (var jedis = connect()) {
      return jedis.dbSize();
    }
  }

  /** For the tests' own short-lived connections: short timeouts, RESP2 without negotiation. */
  public static DefaultJedisClientConfig quickConfig() {
    return DefaultJedisClientConfig.builder()
        .timeoutMillis(500)
        .autoNegotiateProtocol(false)
        .build();
  }

  /** The server's log so far, for failure messages. */
  public String log() {
    try {
      return Files.readString(dir.resolve("redis-" + port + ".log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGKILL: the process dies at once, with everything it held. */
  public void kill() {
    resume();
    process.destroyForcibly();
    waitForExit();
  }

  /** Starts the server again on the same port (after {@link #kill()}). */
  public void restart() {
    if (process.isAlive()) {
      throw new IllegalStateException("still running");
    }
    process = launch();
  }

  /** SIGSTOP: the process stops answering but keeps its sockets open. */
  public void pause() {
    signal("-STOP");
    paused = true;
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() {
    if (paused) {
      signal("-CONT");
      paused = false;
    }
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void waitForExit() {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server " + process.pid() + " did not exit");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    RUNNING.remove(process);
  }

  /** Stops the server (resuming it first if paused) and deletes its directory; idempotent. */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
    RUNNING.remove(process);
    deleteDirectory(dir);
  }

  private static void deleteDirectory(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is not worth failing a test for
    }
  }
}
