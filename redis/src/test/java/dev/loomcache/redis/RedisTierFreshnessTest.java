package dev.loomcache.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.redis.internal.ValueFormat;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.StoredFreshness;
import dev.loomcache.spi.StoredValue;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.FakeTicker;
import dev.loomcache.testsupport.Polling;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * Freshness deadlines cross instances sharing Redis (value format 2): two caches, each with its own
 * client, tier, L1 and fake ticker, on one real Redis.
 */
class RedisTierFreshnessTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  @AfterEach
  void closeAll() throws Exception {
    while (!opened.isEmpty()) {
      opened.pop().close();
    }
  }

  /** An instance whose clock reads {@code later} past the others' once it is built. */
  private Cache<String, String> instance(
      FakeTicker ticker, Duration later, UnaryOperator<Loomcache<Object, Object>> options) {
    var client = RedisClient.create("127.0.0.1", redis.server().port());
    opened.push(client);
    RedisTier tier =
        Services.withTestTimeout(RedisTier.newBuilder(client).keyPrefix("fresh:")).build();
    Cache<String, String> cache =
        options
            .apply(Loomcache.newBuilder().ticker(ticker::read))
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(tier)
            .build();
    opened.push(cache);
    Polling.awaitUntil(Duration.ofSeconds(10), "the subscription", tier::isSubscribed);
    ticker.advance(later); // after the cache took its wall-clock origin
    return cache;
  }

  private static Loomcache<Object, Object> refreshing(Loomcache<Object, Object> builder) {
    return builder.defaultTtl(Duration.ofMinutes(5)).refreshAfter(Duration.ofMinutes(4));
  }

  private static Loomcache<Object, Object> staleIfError(Loomcache<Object, Object> builder) {
    return builder.defaultTtl(Duration.ofMinutes(5)).staleIfError(Duration.ofMinutes(30));
  }

  @Test
  void otherInstance_pastTheWritersRefreshPoint_servesTheValueAndRefreshesIt() {
    Cache<String, String> a =
        instance(new FakeTicker(), Duration.ZERO, RedisTierFreshnessTest::refreshing);
    a.get("k", () -> "v1");

    Cache<String, String> b =
        instance(new FakeTicker(), Duration.ofSeconds(270), RedisTierFreshnessTest::refreshing);
    var reloads = new AtomicInteger();
    assertThat(b.get("k", () -> "v" + (1 + reloads.incrementAndGet()))).isEqualTo("v1");

    Polling.awaitUntil(WAIT, "B's refresh", () -> b.stats().refreshCount() == 1);
    assertThat(reloads).hasValue(1);
    assertThat(b.get("k", () -> "unused")).isEqualTo("v2");
    // A hears of B's write and reads B's value, with B's new deadlines, from Redis.
    Polling.awaitUntil(WAIT, "A sees B's refresh", () -> "v2".equals(a.get("k", () -> "a's")));
  }

  @Test
  void otherInstance_beforeTheRefreshPoint_hitsWithoutRefreshing() {
    Cache<String, String> a =
        instance(new FakeTicker(), Duration.ZERO, RedisTierFreshnessTest::refreshing);
    a.get("k", () -> "v1");

    var ticker = new FakeTicker();
    Cache<String, String> b =
        instance(ticker, Duration.ofMinutes(3), RedisTierFreshnessTest::refreshing);
    assertThat(b.get("k", () -> "v2")).isEqualTo("v1");
    ticker.advance(Duration.ofSeconds(30)); // 3.5 m: a fresh 4 m window would not end for 3.5 m
    assertThat(b.get("k", () -> "v2")).isEqualTo("v1");
    assertThat(b.stats().refreshCount()).isZero();
    ticker.advance(Duration.ofSeconds(31)); // past A's refresh point
    assertThat(b.get("k", () -> "v2")).isEqualTo("v1");
    Polling.awaitUntil(WAIT, "B's refresh", () -> b.stats().refreshCount() == 1);
  }

  @Test
  void otherInstance_pastTheTtlInsideTheStaleWindow_servesTheValueWhenItsLoaderFails() {
    Cache<String, String> a =
        instance(new FakeTicker(), Duration.ZERO, RedisTierFreshnessTest::staleIfError);
    a.get("k", () -> "v1");
    // Redis keeps the value through its stale window, not only its TTL.
    assertThat(redis.raw().pttl("fresh:k")).isGreaterThan(Duration.ofMinutes(30).toMillis());

    Cache<String, String> b =
        instance(new FakeTicker(), Duration.ofMinutes(10), RedisTierFreshnessTest::staleIfError);
    assertThat(
            b.get(
                "k",
                () -> {
                  throw new IllegalStateException("database down");
                }))
        .isEqualTo("v1");
    assertThat(b.stats().staleServedCount()).isEqualTo(1);
    assertThat(b.get("k", () -> "v2")).isEqualTo("v2");
  }

  @Test
  void valueOfTheFirstFormat_readsAsAPlainValue_inACacheWithFreshness() {
    long expiry = System.currentTimeMillis() + 60_000;
    byte[] payload = "old".getBytes(UTF_8);
    redis
        .raw()
        .set(
            "fresh:k".getBytes(UTF_8),
            ByteBuffer.allocate(9 + payload.length)
                .put((byte) 1)
                .putLong(expiry)
                .put(payload)
                .array());

    var ticker = new FakeTicker();
    Cache<String, String> b = instance(ticker, Duration.ZERO, RedisTierFreshnessTest::refreshing);
    assertThat(b.get("k", () -> "new")).isEqualTo("old");
    ticker.advance(Duration.ofSeconds(50));
    assertThat(b.get("k", () -> "new")).isEqualTo("old");
    assertThat(b.stats().refreshCount()).isZero();
  }

  @Test
  void valueFormat_withoutFreshness_isTheFirstFormatByteForByte_withFreshness_roundTrips() {
    var plain = StoredValue.of("p".getBytes(UTF_8), 1234);
    assertThat(ValueFormat.encode(plain))
        .isEqualTo(ByteBuffer.allocate(10).put((byte) 1).putLong(1234).put((byte) 'p').array());
    var fresh = plain.withFreshness(StoredFreshness.of(1000, 5000, 20_000_000, 1.5, 3, false));
    assertThat(ValueFormat.encode(fresh)[0]).isEqualTo((byte) 2);
    assertThat(ValueFormat.decode(ValueFormat.encode(fresh))).isEqualTo(fresh);
    var absent =
        StoredValue.of(new byte[0], 1234)
            .withFreshness(StoredFreshness.of(StoredFreshness.NEVER, 0, 0, 0, -1, true));
    assertThat(ValueFormat.decode(ValueFormat.encode(absent))).isEqualTo(absent);
  }
}
