package dev.loomcache.redis;

import dev.loomcache.spi.StoredValue;
import dev.loomcache.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;

/**
 * Produces the figures of {@code docs/scale-out.md}: the cost of invalidation fan-out on one
 * redis-server. One {@link RedisTier} writes at a fixed rate (each write is the tier's Lua script:
 * SET plus PUBLISH); N plain subscriber connections stand in for N instances and time each message
 * from the write's start to its arrival. Prints, per N: delivery p50/p99/max, Redis CPU (user+sys,
 * from {@code INFO cpu}) per 1,000 writes, and bytes Redis sent per write (to every client). With a
 * last run, each write also appends its message to a capped stream (the invalidation log
 * alternative) in the same script, measured with 8 subscribers.
 *
 * <p>Run: {@code java -cp <redis test classpath> dev.loomcache.redis.InvalidationFanOut [seconds]
 * [rate]} (defaults 10 s, 1,000 writes/s).
 */
public final class InvalidationFanOut {
  private InvalidationFanOut() {}

  private static final String WRITE_PUBLISH_AND_LOG =
      """
      redis.call('SET', KEYS[1], ARGV[1])
      redis.call('PUBLISH', ARGV[2], ARGV[3])
      redis.call('XADD', KEYS[2], 'MAXLEN', '~', '10000', '*', 'm', ARGV[3])
      return 1\
      """;

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    System.out.println(
        "subscribers | writes | p50 ms | p99 ms | max ms | Redis CPU ms"
            + " per 1,000 writes | bytes sent per write");
    for (int subscribers : new int[] {1, 8, 32, 64}) {
      try (var server = RedisServer.start()) {
        System.out.println(run(server, subscribers, seconds, rate, false));
      }
    }
    try (var server = RedisServer.start()) {
      System.out.println("with a capped stream (XADD MAXLEN ~ 10000) per write, 8 subscribers:");
      System.out.println(run(server, 8, seconds, rate, true));
    }
  }

  private static String run(
      RedisServer server, int subscriberCount, int seconds, int rate, boolean withLog)
      throws Exception {
    String channel = "loomcache:invalidations:fan:";
    var latencies = new ConcurrentLinkedQueue<Long>();
    var ready = new CountDownLatch(subscriberCount);
    var subscribers = new ArrayList<JedisPubSub>();
    var threads = new ArrayList<Thread>();
    var connections = new ArrayList<Jedis>();
    for (int i = 0; i < subscriberCount; i++) {
      var jedis = new Jedis(server.hostAndPort(), RedisServer.quickConfig());
      connections.add(jedis);
      var pubsub =
          new JedisPubSub() {
            @Override
            public void onSubscribe(String c, int count) {
              ready.countDown();
            }

            @Override
            public void onMessage(String c, String message) {
              long now = System.nanoTime();
              int at = message.lastIndexOf("kt");
              if (at >= 0) {
                String sent = message.substring(at + 2, message.indexOf('-', at));
                latencies.add(now - Long.parseLong(sent));
              }
            }
          };
      subscribers.add(pubsub);
      threads.add(Thread.ofVirtual().start(() -> jedis.subscribe(pubsub, channel)));
    }
    if (!ready.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("subscribers did not subscribe");
    }
    try (var client = RedisClient.create("127.0.0.1", server.port());
        var tier =
            RedisTier.newBuilder(client)
                .keyPrefix("fan:")
                .commandTimeout(Duration.ofSeconds(2))
                .build();
        var admin = new Jedis(server.hostAndPort(), RedisServer.quickConfig())) {
      byte[] value = "v".repeat(100).getBytes(StandardCharsets.UTF_8);
      long sentBefore = totalNetOutput(admin);
      double cpuBefore = cpu(admin);
      long start = System.nanoTime();
      long interval = TimeUnit.SECONDS.toNanos(1) / rate;
      long writes = (long) seconds * rate;
      for (long i = 0; i < writes; i++) {
        long due = start + i * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        String key = "t" + System.nanoTime() + "-" + (i % 1_000);
        try {
          if (withLog) { // the tier's script plus the log append, in one script (standalone only)
            client.eval(
                WRITE_PUBLISH_AND_LOG,
                List.of("fan:" + key, "fan:__log"),
                List.of("v".repeat(100), channel, "fanout 1 " + i + "\nk" + key));
          } else {
            tier.write(key, StoredValue.of(value, StoredValue.NEVER_EXPIRES));
          }
        } catch (RuntimeException e) {
          // counted by the tier; the run goes on
        }
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      long expected = writes * subscriberCount;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (latencies.size() < expected && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      double cpuMillisPerThousandWrites = (cpu(admin) - cpuBefore) * 1000 / writes * 1000;
      long bytesPerWrite = (totalNetOutput(admin) - sentBefore) / writes;
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      for (JedisPubSub pubsub : subscribers) {
        pubsub.unsubscribe();
      }
      for (Thread thread : threads) {
        thread.join(10_000);
      }
      connections.forEach(Jedis::close);
      return String.format(
          "%d | %d (%.0f/s) | %.2f | %.2f | %.2f | %.0f | %d%s",
          subscriberCount,
          writes,
          writes / elapsed,
          millis(sorted, 0.50),
          millis(sorted, 0.99),
          millis(sorted, 1.0),
          cpuMillisPerThousandWrites,
          bytesPerWrite,
          sorted.length < expected ? " (lost " + (expected - sorted.length) + ")" : "");
    }
  }

  private static double millis(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  private static double cpu(Jedis admin) {
    double total = 0;
    for (String line : admin.info("cpu").split("\r\n")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
        total += Double.parseDouble(line.substring(line.indexOf(':') + 1));
      }
    }
    return total;
  }

  private static long totalNetOutput(Jedis admin) {
    return Arrays.stream(admin.info("stats").split("\r\n"))
        .filter(line -> line.startsWith("total_net_output_bytes:"))
        .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1)))
        .findFirst()
        .orElse(0);
  }
}
