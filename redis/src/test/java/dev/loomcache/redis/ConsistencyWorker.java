package dev.loomcache.redis;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Test support: one "instance" of the multi-process consistency test, a separate JVM. A writer
 * bumps versioned values (the source of truth, a "database", is a separate redis-server the faults
 * never touch) and then puts or invalidates them in its cache; a reader reads every key through its
 * cache, loading from the database on a miss. Both log what they did, with {@code
 * System.nanoTime()} (one monotonic clock for every process of the machine):
 *
 * <ul>
 *   <li>{@code W <key> <version> <nanos>}: the put or invalidate of that version returned, and
 *       Redis acknowledged it (the tier counted no error during the call);
 *   <li>{@code U <key> <version>}: it returned, but Redis did not acknowledge it;
 *   <li>{@code R <key> <version> <nanos>}: a read that began at that time returned that version.
 * </ul>
 *
 * <p>Commands on standard input: {@code CONNECT <cacheHosts>} (re)builds the client, tier and cache
 * on {@code h:p} or {@code cluster:h:p,h:p} and answers {@code READY} once subscribed; {@code RUN
 * <phase> <millis>} runs one phase and writes {@code <dir>/<id>-<phase>.log}, answering {@code DONE
 * <phase> <ops> <invalidations> <lostClears> <gapClears>}; {@code EXIT} closes everything. Writers'
 * versions carry on across phases and connections.
 *
 * <p>Arguments: {@code writer|reader id dbHost dir writers keysPerWriter maxLocalStalenessMillis}.
 */
public final class ConsistencyWorker {
  private ConsistencyWorker() {}

  public static void main(String[] args) throws Exception {
    boolean writer = args[0].equals("writer");
    String id = args[1];
    HostAndPort dbHost = HostAndPort.from(args[2]);
    Path dir = Path.of(args[3]);
    int writers = Integer.parseInt(args[4]);
    int keysPerWriter = Integer.parseInt(args[5]);
    Duration maxLocalStaleness = Duration.ofMillis(Long.parseLong(args[6]));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    List<String> keys = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      for (int k = 0; k < keysPerWriter; k++) {
        keys.add("w" + w + "-" + k);
      }
    }
    List<String> own = keys.stream().filter(k -> k.startsWith("w" + id + "-")).toList();
    Map<String, Long> versions = new HashMap<>();
    var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (var db = RedisClient.create(dbHost.getHost(), dbHost.getPort())) {
      Instance instance = null;
      String command;
      try {
        while ((command = in.readLine()) != null && !command.equals("EXIT")) {
          String[] parts = command.split(" ");
          if (parts[0].equals("CONNECT")) {
            if (instance != null) {
              instance.close();
            }
            instance = new Instance(parts[1], maxLocalStaleness);
            out.println("READY");
            continue;
          }
          String phase = parts[1];
          Cache<String, String> cache = java.util.Objects.requireNonNull(instance).cache;
          long until = System.nanoTime() + Duration.ofMillis(Long.parseLong(parts[2])).toNanos();
          var log = new StringBuilder(1 << 20);
          long ops = 0;
          long invalidations = 0;
          var random = ThreadLocalRandom.current();
          while (System.nanoTime() < until) {
            if (writer) {
              String key = own.get(random.nextInt(own.size()));
              long version = versions.merge(key, 1L, Long::sum);
              db.set("db:" + key, Long.toString(version));
              long errors = tierErrors(cache);
              if (random.nextBoolean()) {
                cache.put(key, Long.toString(version));
              } else {
                cache.invalidate(key);
              }
              long acked = System.nanoTime();
              if (tierErrors(cache) == errors) {
                log.append("W ")
                    .append(key)
                    .append(' ')
                    .append(version)
                    .append(' ')
                    .append(acked)
                    .append('\n');
              } else {
                log.append("U ").append(key).append(' ').append(version).append('\n');
              }
              invalidations++;
            } else {
              String key = keys.get(random.nextInt(keys.size()));
              long started = System.nanoTime();
              String value =
                  cache.get(
                      key,
                      () -> {
                        String stored = db.get("db:" + key);
                        return stored == null ? "0" : stored;
                      });
              log.append("R ")
                  .append(key)
                  .append(' ')
                  .append(value)
                  .append(' ')
                  .append(started)
                  .append('\n');
            }
            ops++;
          }
          Files.writeString(dir.resolve(id + "-" + phase + ".log"), log);
          var stats = instance.tier.stats();
          out.println(
              "DONE "
                  + phase
                  + " "
                  + ops
                  + " "
                  + invalidations
                  + " "
                  + stats.lostInvalidationClearCount()
                  + " "
                  + stats.gapClearCount());
        }
      } finally {
        if (instance != null) {
          instance.close();
        }
      }
    }
  }

  /** A client, tier and cache on one Redis (or cluster); replaced by the next CONNECT. */
  private static final class Instance implements AutoCloseable {
    final UnifiedJedis client;
    final RedisTier tier;
    final Cache<String, String> cache;

    Instance(String cacheHosts, Duration maxLocalStaleness) throws InterruptedException {
      client =
          cacheHosts.startsWith("cluster:")
              ? RedisClusterClient.create(
                  Arrays.stream(cacheHosts.substring(8).split(","))
                      .map(HostAndPort::from)
                      .collect(Collectors.toSet()))
              : RedisClient.create(
                  HostAndPort.from(cacheHosts).getHost(), HostAndPort.from(cacheHosts).getPort());
      tier =
          RedisTier.newBuilder(client)
              .keyPrefix("cc:")
              .commandTimeout(Duration.ofMillis(500))
              .heartbeatInterval(Duration.ofMillis(200))
              .probeInterval(Duration.ofMillis(100))
              .maxLocalStaleness(maxLocalStaleness)
              .build();
      cache =
          Loomcache.newBuilder()
              .maximumSize(10_000)
              .keyCodec(KeyCodec.string())
              .valueCodec(ValueCodec.string())
              .tier(tier)
              .build();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!tier.isSubscribed() && System.nanoTime() < deadline) {
        Thread.sleep(5); // a child process waiting for a server-side state it cannot be told of
      }
    }

    @Override
    public void close() {
      cache.close();
      client.close();
    }
  }

  private static long tierErrors(Cache<String, String> cache) {
    return cache.stats().tierStats().getFirst().errorCount();
  }
}
