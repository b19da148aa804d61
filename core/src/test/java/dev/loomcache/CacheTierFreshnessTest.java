package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.StoredFreshness;
import dev.loomcache.spi.StoredValue;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Freshness deadlines travel with the value through a tier: two caches ("instances") on their own
 * fake tickers share one {@link MapTier.Store}, as two processes share a Redis.
 */
class CacheTierFreshnessTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final MapTier.Store store = new MapTier.Store();
  private final List<Cache<String, String>> caches = new ArrayList<>();

  @AfterEach
  void closeAll() {
    caches.forEach(Cache::close);
  }

  private Cache<String, String> instance(
      FakeTicker ticker, boolean keepsFreshness, UnaryOperator<Loomcache<Object, Object>> options) {
    var tier = new MapTier("shared", store);
    tier.keepsFreshness.set(keepsFreshness);
    Cache<String, String> cache =
        options
            .apply(Loomcache.newBuilder().ticker(ticker::read))
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(tier)
            .build();
    caches.add(cache);
    return cache;
  }

  private static Loomcache<Object, Object> refreshing(Loomcache<Object, Object> builder) {
    return builder.defaultTtl(Duration.ofMinutes(5)).refreshAfter(Duration.ofMinutes(4));
  }

  private static Loomcache<Object, Object> staleIfError(Loomcache<Object, Object> builder) {
    return builder.defaultTtl(Duration.ofMinutes(5)).staleIfError(Duration.ofMinutes(30));
  }

  @Test
  void write_storesTheDeadlinesAsEpochMillis() {
    var ticker = new FakeTicker();
    long before = System.currentTimeMillis();
    Cache<String, String> a =
        instance(
            ticker,
            true,
            b ->
                refreshing(b)
                    .staleIfError(Duration.ofMinutes(30))
                    .expireAfterHits(7)
                    .earlyRefresh(0.5));
    a.get(
        "k",
        () -> {
          ticker.advance(Duration.ofMillis(20)); // the load takes 20 ms: XFetch's Δ
          return "v1";
        });
    long after = System.currentTimeMillis();

    StoredValue stored = store.get("k");
    assertThat(stored).isNotNull();
    StoredFreshness freshness = stored.freshness();
    assertThat(freshness).isNotNull();
    assertThat(stored.expiresAtEpochMillis()).isBetween(before + 300_020, after + 300_020);
    assertThat(freshness.refreshAtEpochMillis() - stored.expiresAtEpochMillis())
        .isBetween(-60_001L, -59_999L);
    assertThat(freshness.staleUntilEpochMillis() - stored.expiresAtEpochMillis())
        .isBetween(1_799_999L, 1_800_001L);
    assertThat(stored.retainUntilEpochMillis()).isEqualTo(freshness.staleUntilEpochMillis());
    assertThat(freshness.hitBudget()).isEqualTo(7);
    assertThat(freshness.loadNanos()).isEqualTo(20_000_000);
    assertThat(freshness.earlyRefreshBeta())
        .isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(freshness.absent()).isFalse();
  }

  @Test
  void otherInstance_pastTheWritersRefreshPoint_servesTheValueAndRefreshesIt() {
    Cache<String, String> a = instance(new FakeTicker(), true, CacheTierFreshnessTest::refreshing);
    a.get("k", () -> "v1");

    var laterTicker = new FakeTicker();
    Cache<String, String> b = instance(laterTicker, true, CacheTierFreshnessTest::refreshing);
    laterTicker.advance(Duration.ofSeconds(270)); // 4.5 minutes after A's write
    var reloads = new AtomicInteger();

    assertThat(b.get("k", () -> "v" + (1 + reloads.incrementAndGet()))).isEqualTo("v1");

    Concurrently.awaitUntil(WAIT, "B's refresh", () -> b.stats().refreshCount() == 1);
    assertThat(reloads).hasValue(1);
    assertThat(b.get("k", () -> "unused")).isEqualTo("v2");
    // B's reload wrote a new refresh point: 4 minutes from B's now, not A's.
    StoredValue stored = store.get("k");
    assertThat(stored.freshness().refreshAtEpochMillis())
        .isGreaterThan(System.currentTimeMillis() + 270_000 + 200_000);
  }

  @Test
  void otherInstance_beforeTheRefreshPoint_hitsWithoutRefreshing() {
    Cache<String, String> a = instance(new FakeTicker(), true, CacheTierFreshnessTest::refreshing);
    a.get("k", () -> "v1");
    var laterTicker = new FakeTicker();
    Cache<String, String> b = instance(laterTicker, true, CacheTierFreshnessTest::refreshing);
    laterTicker.advance(Duration.ofMinutes(3));

    assertThat(b.get("k", () -> "v2")).isEqualTo("v1");
    assertThat(b.get("k", () -> "v2")).isEqualTo("v1");

    assertThat(b.stats().refreshCount()).isZero();
    // Its L1 entry refreshes at A's refresh point: one more minute on B's clock.
    laterTicker.advance(Duration.ofSeconds(61));
    assertThat(b.get("k", () -> "v2")).isEqualTo("v1");
    Concurrently.awaitUntil(WAIT, "B's refresh", () -> b.stats().refreshCount() == 1);
  }

  @Test
  void otherInstance_pastTheTtlInsideTheStaleWindow_servesTheStaleValueWhenItsLoaderFails() {
    Cache<String, String> a =
        instance(new FakeTicker(), true, CacheTierFreshnessTest::staleIfError);
    a.get("k", () -> "v1");
    var laterTicker = new FakeTicker();
    Cache<String, String> b = instance(laterTicker, true, CacheTierFreshnessTest::staleIfError);
    laterTicker.advance(Duration.ofMinutes(10)); // past the 5 m TTL, inside the 30 m grace

    assertThat(
            b.get(
                "k",
                () -> {
                  throw new IllegalStateException("database down");
                }))
        .isEqualTo("v1");
    assertThat(b.stats().staleServedCount()).isEqualTo(1);
    assertThat(b.getIfPresent("k")).isNull(); // a stale value is not for getIfPresent

    assertThat(b.get("k", () -> "v2")).isEqualTo("v2"); // a success replaces it
    assertThat(b.get("k", () -> "unused")).isEqualTo("v2");
  }

  @Test
  void otherInstance_pastTheStaleWindow_throwsTheLoadersFailure() {
    Cache<String, String> a =
        instance(new FakeTicker(), true, CacheTierFreshnessTest::staleIfError);
    a.get("k", () -> "v1");
    var laterTicker = new FakeTicker();
    Cache<String, String> b = instance(laterTicker, true, CacheTierFreshnessTest::staleIfError);
    laterTicker.advance(Duration.ofMinutes(36));

    assertThatThrownBy(() ->
            b.get(
                "k",
                () -> {
                  throw new IllegalStateException("database down");
                }))
        .hasMessage("database down");
    assertThat(b.stats().staleServedCount()).isZero();
  }

  @Test
  void instanceWithoutFreshnessOptions_readsTheValueAsAPlainOne() {
    Cache<String, String> a =
        instance(new FakeTicker(), true, CacheTierFreshnessTest::staleIfError);
    a.get("k", () -> "v1");
    var laterTicker = new FakeTicker();
    Cache<String, String> plain =
        instance(laterTicker, true, builder -> builder.defaultTtl(Duration.ofMinutes(5)));

    laterTicker.advance(Duration.ofMinutes(4));
    assertThat(plain.get("k", () -> "v2")).isEqualTo("v1");
    plain.invalidateAll();
    store.put(
        "k",
        StoredValue.of(
                "v1".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                System.currentTimeMillis() - 1)
            .withFreshness(
                StoredFreshness.of(
                    StoredFreshness.NEVER, System.currentTimeMillis() + 60_000, 0, 0, -1, false)));
    // Past its TTL: for a cache without stale-if-error a stale value is a miss.
    assertThatThrownBy(() ->
            plain.get(
                "k",
                () -> {
                  throw new IllegalStateException("database down");
                }))
        .hasMessage("database down");
  }

  @Test
  void rememberedAbsence_travelsToATierThatKeepsFreshness() {
    UnaryOperator<Loomcache<Object, Object>> negative =
        builder -> builder.defaultTtl(Duration.ofMinutes(5)).negativeTtl(Duration.ofSeconds(30));
    Cache<String, String> a = instance(new FakeTicker(), true, negative);
    assertThat(a.get("missing", () -> null)).isNull();
    assertThat(store.get("missing").freshness().absent()).isTrue();

    var laterTicker = new FakeTicker();
    Cache<String, String> b = instance(laterTicker, true, negative);
    laterTicker.advance(Duration.ofSeconds(20));
    var calls = new AtomicInteger();
    assertThat(b.get("missing", () -> "found" + calls.incrementAndGet())).isNull();
    assertThat(b.get("missing", () -> "found" + calls.incrementAndGet())).isNull();
    assertThat(calls).hasValue(0);
    assertThat(b.getIfPresent("missing")).isNull();

    laterTicker.advance(Duration.ofSeconds(11)); // past the negative TTL
    assertThat(b.get("missing", () -> "found" + calls.incrementAndGet())).isEqualTo("found1");
  }

  @Test
  void rememberedAbsence_isNotSentToATierThatDropsFreshness() {
    Cache<String, String> a =
        instance(
            new FakeTicker(),
            false,
            builder ->
                builder.defaultTtl(Duration.ofMinutes(5)).negativeTtl(Duration.ofSeconds(30)));
    assertThat(a.get("missing", () -> null)).isNull();
    assertThat(store.size()).isZero();
    assertThat(a.get("missing", () -> "found")).isNull(); // still remembered in L1
  }

  @Test
  void hitBudget_travelsAsTheWritersBudget_andItsLastHitRemovesTheSharedCopy() {
    UnaryOperator<Loomcache<Object, Object>> budget =
        builder -> builder.defaultTtl(Duration.ofMinutes(5)).expireAfterHits(2);
    Cache<String, String> a = instance(new FakeTicker(), true, budget);
    a.get("k", () -> "v1");
    Cache<String, String> b =
        instance(
            new FakeTicker(),
            true,
            builder -> builder.defaultTtl(Duration.ofMinutes(5)).expireAfterHits(100));

    assertThat(b.get("k", () -> "v2")).isEqualTo("v1"); // the promotion: a miss
    assertThat(b.get("k", () -> "v2")).isEqualTo("v1"); // hit 1 of A's budget of 2
    assertThat(b.get("k", () -> "v2")).isEqualTo("v1"); // hit 2: returned, then removed
    assertThat(store.get("k")).isNull();
    assertThat(b.get("k", () -> "v2")).isEqualTo("v2");
  }

  @Test
  void valueWithoutFreshness_inTheTier_isPromotedWithItsRemainingTtl() {
    store.put(
        "k",
        StoredValue.of(
            "old".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            System.currentTimeMillis() + 60_000));
    var ticker = new FakeTicker();
    Cache<String, String> b = instance(ticker, true, CacheTierFreshnessTest::refreshing);

    assertThat(b.get("k", () -> "new")).isEqualTo("old");
    ticker.advance(Duration.ofSeconds(59));
    assertThat(b.get("k", () -> "new")).isEqualTo("old");
    assertThat(b.stats().refreshCount()).isZero();
    ticker.advance(Duration.ofSeconds(2));
    store.entries.clear();
    assertThat(b.get("k", () -> "new")).isEqualTo("new");
  }
}
