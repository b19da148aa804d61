package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@code invalidateMatching} against 100,000 keys in a real Redis: only this cache's matching keys
 * go; another cache's prefix, the non-matching keys and the tier's own keys stay. Also measures the
 * cost of a pattern invalidation and of a tag invalidation, printed as {@code MEASURED} lines (the
 * figures in the module README come from these).
 */
class RedisInvalidateMatchingTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.perTest();

  private static void populate(String prefix, int count) {
    try (AbstractPipeline pipeline = redis.raw().pipelined()) {
      for (int i = 0; i < count; i++) {
        pipeline.set(prefix + i, "v");
      }
      pipeline.sync();
    }
  }

  private static long count(String pattern) {
    long total = 0;
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page =
          redis.raw().scan(cursor, new ScanParams().match(pattern).count(1_000));
      total += page.getResult().size();
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return total;
  }

  @Test
  void hundredThousandKeys_onlyThisCachesMatchingKeysAreRemoved() {
    populate("users:item:", 40_000);
    populate("users:other:", 40_000);
    populate("orders:item:", 20_000);
    redis.raw().set("users:__lease:item:1", "token"); // the tier's own keys are not entries
    redis.raw().zadd("users:__tag:item:x", 1, "item:1");
    redis.raw().set("users:item[1]", "bracket"); // Redis's [ ] are plain characters in our globs
    assertThat(redis.raw().dbSize()).isEqualTo(100_003);

    var client = RedisClient.create("127.0.0.1", redis.server().port());
    try (client;
        Cache<String, String> users =
            Loomcache.newBuilder()
                .keyCodec(KeyCodec.string())
                .valueCodec(ValueCodec.string())
                .tier(
                    Services.withTestTimeout(RedisTier.newBuilder(client).keyPrefix("users:"))
                        .build())
                .build()) {
      users.put("item:local", "in L1 too");

      long start = System.nanoTime();
      users.invalidateMatching("item:*");
      long millis = (System.nanoTime() - start) / 1_000_000;
      System.out.println(
          "MEASURED invalidateMatching over 100,000 keys (40,001 matching): " + millis + " ms");

      assertThat(users.getIfPresent("item:local")).isNull();
      assertThat(count("users:item:*")).isZero();
      assertThat(count("users:other:*")).isEqualTo(40_000);
      assertThat(count("orders:item:*")).isEqualTo(20_000);
      assertThat(redis.raw().exists("users:__lease:item:1")).isTrue();
      assertThat(redis.raw().exists("users:__tag:item:x")).isTrue();
      assertThat(redis.raw().get("users:item[1]")).isEqualTo("bracket");

      users.invalidateMatching("item[?]");
      assertThat(redis.raw().exists("users:item[1]")).isFalse();
      assertThat(count("users:other:*")).isEqualTo(40_000);
    }
  }

  @Test
  void tagInvalidation_cost() {
    int keys = 20_000;
    var client = RedisClient.create("127.0.0.1", redis.server().port());
    try (client;
        Cache<String, String> cache =
            Loomcache.newBuilder()
                .maximumSize(keys)
                .keyCodec(KeyCodec.string())
                .valueCodec(ValueCodec.string())
                .tags((String key, String value) -> List.of(value))
                .tier(
                    Services.withTestTimeout(RedisTier.newBuilder(client).keyPrefix("tc:")).build())
                .build()) {
      for (int i = 0; i < keys; i++) {
        cache.put("k" + i, i % 2 == 0 ? "even" : "odd");
      }
      assertThat(redis.raw().zcard("tc:__tag:even")).isEqualTo(keys / 2);

      long start = System.nanoTime();
      cache.invalidateTag("even");
      long nanos = System.nanoTime() - start;
      System.out.println(
          "MEASURED invalidateTag of "
              + keys / 2
              + " keys (L1 + Redis): "
              + nanos / 1_000_000
              + " ms, "
              + (long) (keys / 2 / (nanos / 1e9))
              + " keys/s");

      assertThat(count("tc:k*")).isEqualTo(keys / 2);
      assertThat(redis.raw().exists("tc:__tag:even")).isFalse();
      assertThat(cache.getIfPresent("k0")).isNull();
      assertThat(cache.getIfPresent("k1")).isEqualTo("odd");
    }
  }
}
