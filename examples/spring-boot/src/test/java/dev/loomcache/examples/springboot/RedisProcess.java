package dev.loomcache.examples.springboot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Test support (a copy of the starter tests' one): a
 * {@code redis-server} from PATH on 127.0.0.1 and a free port, persistence off, stopped by its
 * PID. A shutdown hook kills any still running when the test JVM ends.
 */
public final class RedisProcess implements AutoCloseable {
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

  /** Starts a server in a new temporary directory and returns once it answers PING. */
  public static RedisProcess start() {
    Path dir;
    int port;
    Process process;
    try {
      dir = Files.createTempDirectory("redis-test-");
      port = freePort();
      process = new ProcessBuilder("redis-server", "--port", Integer.toString(port),
          "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.log").toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start redis-server (is it on PATH?)", e);
    }
    RUNNING.add(process);
    var redis = new RedisProcess(dir, port, process);
    try {
      Polling.awaitUntil(Duration.ofSeconds(10), "redis-server answers PING", redis::answers);
    } catch (RuntimeException | AssertionError e) {
      redis.close();
      throw e;
    }
    return redis;
  }

  public int port() {
    return port;
  }

  /** A new connection to the server; close it. */
  public Jedis connect() {
    return new Jedis(new HostAndPort("127.0.0.1", port),
        DefaultJedisClientConfig.builder().timeoutMillis(500).build());
  }

  private boolean answers() {
    if (!process.isAlive()) {
      throw new IllegalStateException("redis-server exited; see " + dir.resolve("redis.log"));
    }
    try (var jedis = connect()) {
      return "PONG".equals(jedis.ping());
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  /** Kills the server by PID and deletes its directory. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    RUNNING.remove(process);
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is not worth failing a test for
    }
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
