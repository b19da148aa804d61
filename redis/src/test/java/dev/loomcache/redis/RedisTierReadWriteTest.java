package dev.loomcache.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.Ticker;
import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The read and write path against a real redis-server: L2 hits, TTLs, the namespace. */
class RedisTierReadWriteTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();

  private Cache<String, String> service(String prefix, Ticker ticker) {
    return redis.services().start(prefix, b -> b, ticker).cache();
  }

  private Cache<String, String> service(String prefix) {
    return service(prefix, Ticker.systemTicker());
  }

  @Test
  void get_l1MissL2Hit_returnsRedisValueWithoutLoading() {
    Cache<String, String> writer = service("users:");
    Cache<String, String> reader = service("users:");
    var loads = new AtomicInteger();

    writer.put("u1", "Ada");

    assertThat(reader.get("u1", () -> "loaded" + loads.incrementAndGet())).isEqualTo("Ada");
    assertThat(loads).hasValue(0);
    assertThat(reader.stats().tierStats())
        .singleElement()
        .satisfies(t -> {
          assertThat(t.tier()).isEqualTo("redis");
          assertThat(t.hitCount()).isEqualTo(1);
          assertThat(t.errorCount()).isZero();
        });
    assertThat(redis.raw().exists("users:u1")).isTrue();
  }

  @Test
  void get_l2Hit_carriesTheRemainingTtlIntoL1() {
    Cache<String, String> writer = service("users:");
    writer.put("u1", "Ada", Duration.ofMinutes(10));
    long pttl = redis.raw().pttl("users:u1");
    assertThat(pttl).isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());

    var ticker = new FakeTicker();
    // maxLocalStaleness (5 s by default) would re-read it from Redis sooner: lift it to see the
    // TTL.
    Cache<String, String> reader =
        redis
            .services()
            .start("users:", b -> b.maxLocalStaleness(Duration.ofDays(1)), ticker)
            .cache();
    assertThat(reader.get("u1", () -> "loaded")).isEqualTo("Ada");
    assertThat(reader.stats().tierStats().getFirst().hitCount()).isEqualTo(1);

    ticker.advance(Duration.ofMinutes(9));
    assertThat(reader.getIfPresent("u1")).isEqualTo("Ada");
    assertThat(reader.stats().tierStats().getFirst().hitCount()).isEqualTo(1); // served by L1

    ticker.advance(Duration.ofMinutes(2));
    assertThat(reader.getIfPresent("u1"))
        .isNull(); // expired in L1, and Redis's copy is expired too
  }

  @Test
  void put_withoutTtl_neverExpiresInRedis() {
    Cache<String, String> cache = service("users:");
    cache.put("u1", "Ada");
    assertThat(redis.raw().pttl("users:u1")).isEqualTo(-1);
  }

  @Test
  void invalidateAll_removesEveryKeyUnderThePrefix_andNothingElse() {
    Cache<String, String> cache = service("users:");
    cache.put("u1", "Ada");
    for (int i = 0; i < 2_500; i++) { // more than one SCAN batch
      redis.raw().set("users:bulk" + i, "x");
    }
    redis.raw().set("orders:1", "foreign");
    redis.raw().set("users", "foreign, no colon");
    redis.raw().set("usersX:1", "foreign, longer prefix");

    cache.invalidateAll();

    assertThat(redis.raw().keys("users:*")).isEmpty();
    assertThat(redis.raw().get("orders:1")).isEqualTo("foreign");
    assertThat(redis.raw().get("users")).isEqualTo("foreign, no colon");
    assertThat(redis.raw().get("usersX:1")).isEqualTo("foreign, longer prefix");
  }

  @Test
  void invalidateAll_prefixWithGlobCharacters_matchesItLiterally() {
    Cache<String, String> cache = service("we*rd?[x]:");
    cache.put("k", "v");
    redis.raw().set("weXrd?[x]:k", "foreign");
    redis.raw().set("weXrdYx:k", "foreign");

    cache.invalidateAll();

    assertThat(redis.raw().exists("we*rd?[x]:k")).isFalse();
    assertThat(redis.raw().exists("weXrd?[x]:k")).isTrue();
    assertThat(redis.raw().exists("weXrdYx:k")).isTrue();
  }

  @Test
  void invalidate_removesTheKeyFromRedis() {
    Cache<String, String> cache = service("users:");
    cache.put("u1", "Ada");
    cache.invalidate("u1");
    assertThat(redis.raw().exists("users:u1")).isFalse();
  }

  @Test
  void get_foreignBytesUnderThePrefix_countedAsTierErrorAndLoaded() {
    redis.raw().set("users:u1".getBytes(UTF_8), "not written by a RedisTier".getBytes(UTF_8));
    Cache<String, String> cache = service("users:");

    assertThat(cache.get("u1", () -> "loaded")).isEqualTo("loaded");
    assertThat(cache.stats().tierStats().getFirst().errorCount()).isEqualTo(1);
  }

  @Test
  void close_keepsTheValuesInRedis() {
    Cache<String, String> cache = service("users:");
    cache.put("u1", "Ada");
    cache.close();
    assertThat(redis.raw().exists("users:u1")).isTrue();
  }

  /** A ticker that moves only when told to. */
  static final class FakeTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long read() {
      return nanos.get();
    }

    void advance(Duration duration) {
      nanos.addAndGet(duration.toNanos());
    }
  }
}
