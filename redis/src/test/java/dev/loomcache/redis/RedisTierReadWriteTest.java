package dev.loomcache.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.Ticker;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The read and write path against a real redis-server: L2 hits, TTLs, the namespace. */
class RedisTierReadWriteTest {
  private static RedisServer server;
  private static RedisClient raw;
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  @BeforeAll
  static void startRedis() {
    server = RedisServer.start();
    raw = RedisClient.create("127.0.0.1", server.port());
  }

  @AfterAll
  static void stopRedis() {
    raw.close();
    server.close();
  }

  @AfterEach
  void closeEverything() throws Exception {
    while (!opened.isEmpty()) {
      opened.pop().close();
    }
    raw.flushDB();
  }

  /** One "service": its own client, tier and cache. */
  private Cache<String, String> service(String prefix, Ticker ticker) {
    var client = RedisClient.create("127.0.0.1", server.port());
    opened.push(client);
    RedisTier tier = RedisTier.newBuilder(client).keyPrefix(prefix)
        .commandTimeout(Services.TEST_TIMEOUT).build();
    Cache<String, String> cache = Loomcache.newBuilder().ticker(ticker)
        .keyCodec(KeyCodec.string()).valueCodec(ValueCodec.string()).tier(tier).build();
    opened.push(cache);
    // The first confirmed subscription clears L1 (messages before it were not heard): wait for it,
    // so that it cannot drop what the test puts in L1.
    Polling.awaitUntil(Duration.ofSeconds(10), "the subscription is confirmed", tier::isSubscribed);
    return cache;
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
    assertThat(reader.stats().tierStats()).singleElement().satisfies(t -> {
      assertThat(t.tier()).isEqualTo("redis");
      assertThat(t.hitCount()).isEqualTo(1);
      assertThat(t.errorCount()).isZero();
    });
    assertThat(raw.exists("users:u1")).isTrue();
  }

  @Test
  void get_l2Hit_carriesTheRemainingTtlIntoL1() {
    Cache<String, String> writer = service("users:");
    writer.put("u1", "Ada", Duration.ofMinutes(10));
    long pttl = raw.pttl("users:u1");
    assertThat(pttl).isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());

    var ticker = new FakeTicker();
    Cache<String, String> reader = service("users:", ticker);
    assertThat(reader.get("u1", () -> "loaded")).isEqualTo("Ada");
    assertThat(reader.stats().tierStats().getFirst().hitCount()).isEqualTo(1);

    ticker.advance(Duration.ofMinutes(9));
    assertThat(reader.getIfPresent("u1")).isEqualTo("Ada");
    assertThat(reader.stats().tierStats().getFirst().hitCount()).isEqualTo(1); // served by L1

    ticker.advance(Duration.ofMinutes(2));
    assertThat(reader.getIfPresent("u1")).isNull(); // expired in L1, and Redis's copy is expired too
  }

  @Test
  void put_withoutTtl_neverExpiresInRedis() {
    Cache<String, String> cache = service("users:");
    cache.put("u1", "Ada");
    assertThat(raw.pttl("users:u1")).isEqualTo(-1);
  }

  @Test
  void invalidateAll_removesEveryKeyUnderThePrefix_andNothingElse() {
    Cache<String, String> cache = service("users:");
    cache.put("u1", "Ada");
    for (int i = 0; i < 2_500; i++) { // more than one SCAN batch
      raw.set("users:bulk" + i, "x");
    }
    raw.set("orders:1", "foreign");
    raw.set("users", "foreign, no colon");
    raw.set("usersX:1", "foreign, longer prefix");

    cache.invalidateAll();

    assertThat(raw.keys("users:*")).isEmpty();
    assertThat(raw.get("orders:1")).isEqualTo("foreign");
    assertThat(raw.get("users")).isEqualTo("foreign, no colon");
    assertThat(raw.get("usersX:1")).isEqualTo("foreign, longer prefix");
  }

  @Test
  void invalidateAll_prefixWithGlobCharacters_matchesItLiterally() {
    Cache<String, String> cache = service("we*rd?[x]:");
    cache.put("k", "v");
    raw.set("weXrd?[x]:k", "foreign");
    raw.set("weXrdYx:k", "foreign");

    cache.invalidateAll();

    assertThat(raw.exists("we*rd?[x]:k")).isFalse();
    assertThat(raw.exists("weXrd?[x]:k")).isTrue();
    assertThat(raw.exists("weXrdYx:k")).isTrue();
  }

  @Test
  void invalidate_removesTheKeyFromRedis() {
    Cache<String, String> cache = service("users:");
    cache.put("u1", "Ada");
    cache.invalidate("u1");
    assertThat(raw.exists("users:u1")).isFalse();
  }

  @Test
  void get_foreignBytesUnderThePrefix_countedAsTierErrorAndLoaded() {
    raw.set("users:u1".getBytes(UTF_8), "not written by a RedisTier".getBytes(UTF_8));
    Cache<String, String> cache = service("users:");

    assertThat(cache.get("u1", () -> "loaded")).isEqualTo("loaded");
    assertThat(cache.stats().tierStats().getFirst().errorCount()).isEqualTo(1);
  }

  @Test
  void close_keepsTheValuesInRedis() throws Exception {
    Cache<String, String> cache = service("users:");
    cache.put("u1", "Ada");
    cache.close();
    assertThat(raw.exists("users:u1")).isTrue();
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
