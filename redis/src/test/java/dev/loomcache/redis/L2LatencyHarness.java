package dev.loomcache.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.RedisServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * Not a test: measures an L2 hit through {@link RedisTier} against a raw Jedis GET of the same
 * bytes on the same redis-server, one caller at a time (latency, not throughput). Run from the
 * repository root (see {@code redis/README.md} for the command). Prints p50, p90, p99 and mean per
 * path and the ratios of the p50s.
 */
public final class L2LatencyHarness {
  private static final int WARMUP = 20_000;
  private static final int MEASURED = 50_000;

  private L2LatencyHarness() {}

  public static void main(String[] args) throws Exception {
    try (var server = RedisServer.start();
        var client = RedisClient.create("127.0.0.1", server.port())) {
      RedisTier tier = RedisTier.newBuilder(client).keyPrefix("bench:").build();
      Cache<String, String> noL1 =
          Loomcache.newBuilder()
              .maximumSize(0)
              .keyCodec(KeyCodec.string())
              .valueCodec(ValueCodec.string())
              .tier(tier)
              .build();
      String value = "x".repeat(100);
      noL1.put("k", value);
      byte[] redisKey = "bench:k".getBytes(UTF_8);
      Runnable check =
          () -> {
            if (client.get(redisKey) == null || tier.read("k") == null) {
              throw new IllegalStateException("the value is not in Redis");
            }
          };
      check.run();

      long[] raw = measure(() -> client.get(redisKey).length);
      long[] viaTier = measure(() -> tier.read("k").bytes().length);
      long[] viaCache =
          measure(() ->
              noL1.get(
                      "k",
                      () -> {
                        throw new IllegalStateException("must be an L2 hit");
                      })
                  .length());
      noL1.close();
      long[] handOff;
      try (UnifiedJedis generic = genericClient(server.port())) {
        // A client kind the tier has no direct path for: every command is handed off.
        RedisTier handOffTier = RedisTier.newBuilder(generic).keyPrefix("bench:").build();
        handOff = measure(() -> handOffTier.read("k").bytes().length);
        handOffTier.close();
      }

      System.out.printf(
          "L2 hit latency, %d calls each after %d warm-up, one caller, value %d bytes%n",
          MEASURED, WARMUP, value.length());
      print("raw Jedis GET", raw);
      print("RedisTier.read", viaTier);
      print("Cache.get, L1 off", viaCache);
      print("hand-off path", handOff);
      System.out.printf(
          "p50 ratio to raw GET: RedisTier.read %.2f, Cache.get %.2f, hand-off %.2f%n",
          (double) percentile(viaTier, 50) / percentile(raw, 50),
          (double) percentile(viaCache, 50) / percentile(raw, 50),
          (double) percentile(handOff, 50) / percentile(raw, 50));
    }
  }

  @SuppressWarnings("deprecation") // the plainest UnifiedJedis there is, on purpose
  private static UnifiedJedis genericClient(int port) {
    return new UnifiedJedis(
        new PooledConnectionProvider(new HostAndPort("127.0.0.1", port)), 3, Duration.ofSeconds(1));
  }

  private static long[] measure(LongSupplier call) {
    long sink = 0;
    for (int i = 0; i < WARMUP; i++) {
      sink += call.getAsLong();
    }
    long[] nanos = new long[MEASURED];
    for (int i = 0; i < MEASURED; i++) {
      long start = System.nanoTime();
      sink += call.getAsLong();
      nanos[i] = System.nanoTime() - start;
    }
    if (sink == 42) {
      System.out.println(); // keeps the calls from being optimised away
    }
    Arrays.sort(nanos);
    return nanos;
  }

  private static long percentile(long[] sorted, int p) {
    return sorted[(int) Math.min(sorted.length - 1, (long) sorted.length * p / 100)];
  }

  private static void print(String path, long[] sorted) {
    System.out.printf(
        "  %-20s p50 %6.1f us  p90 %6.1f us  p99 %6.1f us  mean %6.1f us%n",
        path,
        percentile(sorted, 50) / 1e3,
        percentile(sorted, 90) / 1e3,
        percentile(sorted, 99) / 1e3,
        Arrays.stream(sorted).average().orElse(0) / 1e3);
  }
}
