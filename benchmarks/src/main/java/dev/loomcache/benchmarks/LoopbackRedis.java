package dev.loomcache.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.RedisClient;

/**
 * A throw-away {@code redis-server} for the limits benchmarks: bound to 127.0.0.1 on a free port,
 * no persistence; the caller stops it by its process ({@code destroyForcibly()}).
 */
final class LoopbackRedis {
  private LoopbackRedis() {}

  /** A port free on the loopback interface right now. */
  static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Starts {@code redis-server} on {@code port}; it may not accept connections yet. */
  static Process start(int port) throws IOException {
    return new ProcessBuilder(
            "redis-server",
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectErrorStream(true)
        .start();
  }

  /** Waits up to 10 s until {@code client}'s server answers a PING. */
  static void awaitPing(RedisClient client) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        client.ping();
        return;
      } catch (RuntimeException notYet) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("redis-server did not start", notYet);
        }
        Thread.sleep(10);
      }
    }
  }
}
