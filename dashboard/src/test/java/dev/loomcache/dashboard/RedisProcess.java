package dev.loomcache.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Test support: a {@code redis-server} from PATH on 127.0.0.1 and a free port, persistence off,
 * stopped by its PID. A shutdown hook kills any still running when the test JVM ends.
 */
final class RedisProcess implements AutoCloseable {
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> RUNNING.forEach(Process::destroyForcibly), "redis-server-reaper"));
  }

  private final Path dir;
  private final int port;
  private final Process process;

  private RedisProcess(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /**
   * Starts a server working in {@code dir} and returns once it answers PING. A free port can be
   * taken by another process between the check and redis-server's bind: then it starts again on
   * another port (a few times at most).
   */
  static RedisProcess start(Path dir) throws Exception {
    for (int attempt = 1; ; attempt++) {
      RedisProcess redis = launch(dir, freePort());
      try {
        Polling.awaitUntil(Duration.ofSeconds(10), "redis-server answers PING", redis::answers);
        return redis;
      } catch (Exception | AssertionError e) {
        boolean portTaken = redis.log().contains("Address already in use");
        redis.close();
        if (!portTaken || attempt == 5) {
          throw e;
        }
      }
    }
  }

  private static RedisProcess launch(Path dir, int port) {
    Process process;
    try {
      process = new ProcessBuilder("redis-server", "--port", Integer.toString(port),
          "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.log").toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start redis-server (is it on PATH?)", e);
    }
    RUNNING.add(process);
    return new RedisProcess(dir, port, process);
  }

  int port() {
    return port;
  }

  /** The number of keys in the server's database. */
  long keyCount() {
    try (var jedis = connect()) {
      return jedis.dbSize();
    }
  }

  private boolean answers() {
    if (!process.isAlive()) {
      throw new IllegalStateException("redis-server exited: " + log());
    }
    try (var jedis = connect()) {
      return "PONG".equals(jedis.ping());
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  private Jedis connect() {
    return new Jedis(new HostAndPort("127.0.0.1", port),
        DefaultJedisClientConfig.builder().timeoutMillis(500)
            .autoNegotiateProtocol(false).build());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("redis.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Kills the process (SIGKILL, by its PID) and waits for it to exit; idempotent. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("redis-server " + process.pid() + " did not exit");
    }
    RUNNING.remove(process);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
