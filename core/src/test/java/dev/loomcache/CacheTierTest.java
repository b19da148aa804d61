package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.StoredValue;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The read path with tiers, against an in-memory tier that implements the SPI for real. */
class CacheTierTest {
  private final FakeTicker ticker = new FakeTicker();

  private Cache<String, String> cacheOver(MapTier... tiers) {
    var builder =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string());
    for (MapTier tier : tiers) {
      builder.tier(tier);
    }
    return builder.build();
  }

  @Test
  void l1Miss_tierHit_noLoaderCall_promotedToL1WithRemainingTtl() {
    var store = new MapTier.Store();
    try (Cache<String, String> first = cacheOver(new MapTier("t", store))) {
      first.put("k", "stored", Duration.ofSeconds(60));
    }
    try (Cache<String, String> second = cacheOver(new MapTier("t", store))) {
      var loads = new AtomicInteger();

      assertThat(second.get("k", () -> "loaded" + loads.incrementAndGet())).isEqualTo("stored");
      assertThat(loads).hasValue(0);
      CacheStats stats = second.stats();
      assertThat(stats.tierStats())
          .singleElement()
          .satisfies(t -> {
            assertThat(t.tier()).isEqualTo("t");
            assertThat(t.hitCount()).isEqualTo(1);
          });
      assertThat(stats.loadCount()).isZero();

      ticker.advance(Duration.ofSeconds(55));
      assertThat(second.getIfPresent("k")).isEqualTo("stored"); // from L1, TTL carried over
      ticker.advance(Duration.ofSeconds(6));
      assertThat(second.get("k", () -> "loaded" + loads.incrementAndGet())).isEqualTo("loaded1");
    }
  }

  @Test
  void expiredTierEntries_areSkipped() {
    var tier = new MapTier("t");
    tier.store().put("k", StoredValue.of("old".getBytes(), System.currentTimeMillis() - 1_000));
    try (Cache<String, String> cache = cacheOver(tier)) {
      assertThat(cache.get("k", () -> "fresh")).isEqualTo("fresh");
      assertThat(cache.stats().tierStats().getFirst().missCount()).isEqualTo(1);
    }
  }

  @Test
  void tiersAreReadInOrder_firstLiveValueWins_andLoadedValuesGoToEveryTier() {
    var near = new MapTier("near");
    var far = new MapTier("far");
    far.store().put("k", StoredValue.of("from far".getBytes(), StoredValue.NEVER_EXPIRES));
    try (Cache<String, String> cache = cacheOver(near, far)) {
      assertThat(cache.get("k", () -> "loaded")).isEqualTo("from far");
      assertThat(cache.get("other", () -> "loaded")).isEqualTo("loaded");

      assertThat(near.store().get("other")).isNotNull();
      assertThat(far.store().get("other")).isNotNull();
      assertThat(near.reads).hasValue(2);
    }
  }

  @Test
  void putWritesTiers_invalidateDeletes_invalidateAllClears_closeKeepsData() {
    var tier = new MapTier("t");
    Cache<String, String> cache = cacheOver(tier);
    cache.put("a", "1");
    cache.put("b", "2");
    cache.put("c", "3");
    assertThat(tier.store().size()).isEqualTo(3);

    cache.invalidate("a");
    assertThat(tier.store().get("a")).isNull();
    cache.invalidateAll(List.of("b"));
    assertThat(tier.store().get("b")).isNull();

    cache.close();
    assertThat(tier.closed).isTrue();
    assertThat(tier.store().get("c")).isNotNull(); // closing is not clearing

    var again = new MapTier("t", tier.store());
    try (Cache<String, String> reopened = cacheOver(again)) {
      assertThat(reopened.getIfPresent("c")).isEqualTo("3"); // getIfPresent reads through tiers
      reopened.invalidateAll();
      assertThat(again.store().size()).isZero();
    }
  }

  @Test
  void failingTier_neverFailsTheCaller_andCountsErrors() {
    var tier = new MapTier("t");
    try (Cache<String, String> cache = cacheOver(tier)) {
      cache.put("k", "before");
      tier.failing.set(true);
      cache.invalidateAll(); // L1 cleared; the tier's clear fails quietly

      assertThat(cache.get("k", () -> "from loader")).isEqualTo("from loader");
      cache.put("p", "v");
      assertThat(cache.getIfPresent("p")).isEqualTo("v");
      cache.invalidate("p");
      assertThat(cache.getIfPresent("absent")).isNull();

      assertThat(cache.stats().tierStats().getFirst().errorCount()).isGreaterThanOrEqualTo(5);
    }
  }

  @Test
  void tamperedSignedValue_isAMissAndCounted_loaderRuns() {
    byte[] key = "0123456789abcdef0123456789abcdef".getBytes();
    var tier = new MapTier("t");
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.signed(ValueCodec.string(), key))
            .tier(tier)
            .build()) {
      cache.put("k", "genuine");
      cache.invalidateAll(List.of()); // no-op; L1 still has it
      byte[] bytes = tier.store().get("k").bytes().clone();
      bytes[bytes.length - 1] ^= 1;
      tier.store().put("k", StoredValue.of(bytes, StoredValue.NEVER_EXPIRES));
      var evil = ValueCodec.signed(ValueCodec.string(), "another key, 16+ bytes long".getBytes());
      tier.store().put("foreign", StoredValue.of(evil.encode("forged"), StoredValue.NEVER_EXPIRES));

      Cache<String, String> fresh =
          Loomcache.newBuilder()
              .ticker(ticker::read)
              .keyCodec(KeyCodec.string())
              .valueCodec(ValueCodec.signed(ValueCodec.string(), key))
              .tier(new MapTier("t", tier.store()))
              .build();
      assertThat(fresh.get("k", () -> "reloaded")).isEqualTo("reloaded");
      assertThat(fresh.get("foreign", () -> "reloaded")).isEqualTo("reloaded");
      assertThat(fresh.stats().tierStats().getFirst().errorCount()).isEqualTo(2);
      fresh.close();
    }
  }

  @Test
  void twoInstancesOnASharedTier_aPutOrInvalidateOnOneDropsTheOthersL1Copy() {
    var store = new MapTier.Store();
    try (Cache<String, String> a = cacheOver(new MapTier("shared", store));
        Cache<String, String> b = cacheOver(new MapTier("shared", store))) {
      a.put("k", "v1");
      assertThat(b.get("k", () -> "loaded")).isEqualTo("v1"); // tier hit, now in b's L1

      a.put("k", "v2");
      assertThat(b.getIfPresent("k")).isEqualTo("v2");

      a.invalidate("k");
      assertThat(b.get("k", () -> "reloaded")).isEqualTo("reloaded");

      a.invalidateAll();
      assertThat(b.estimatedSize()).isZero();
    }
  }

  @Test
  void invalidateDuringLoad_theTierDoesNotKeepTheStaleValue() throws Exception {
    var tier = new MapTier("t");
    try (Cache<String, String> cache = cacheOver(tier)) {
      var started = new CountDownLatch(1);
      var release = new CountDownLatch(1);
      var result = new AtomicReference<String>();
      Thread owner =
          Thread.ofVirtual()
              .start(() ->
                  result.set(
                      cache.get(
                          "k",
                          () -> {
                            started.countDown();
                            release.await();
                            return "stale";
                          })));
      started.await();

      cache.invalidate("k");
      release.countDown();
      owner.join();

      assertThat(result.get()).isEqualTo("stale");
      assertThat(tier.store().get("k")).isNull();
      assertThat(cache.getIfPresent("k")).isNull();
    }
  }

  @Test
  void putDuringLoad_theTierKeepsThePut() throws Exception {
    var tier = new MapTier("t");
    try (Cache<String, String> cache = cacheOver(tier)) {
      var started = new CountDownLatch(1);
      var release = new CountDownLatch(1);
      Thread owner =
          Thread.ofVirtual()
              .start(() ->
                  cache.get(
                      "k",
                      () -> {
                        started.countDown();
                        release.await();
                        return "old";
                      }));
      started.await();

      cache.put("k", "put");
      release.countDown();
      owner.join();

      assertThat(new String(tier.store().get("k").bytes())).isEqualTo("put");
      assertThat(cache.getIfPresent("k")).isEqualTo("put");
    }
  }

  @Test
  void concurrentPutsOfOneKey_leaveL1AndTheTierInAgreement() throws Exception {
    var tier = new MapTier("t");
    try (Cache<String, String> cache = cacheOver(tier)) {
      for (int round = 0; round < 50; round++) {
        Concurrently.run(
            8,
            Duration.ofSeconds(20),
            i ->
                () -> {
                  cache.put("k", "writer-" + i);
                  return null;
                });
        String inL1 = cache.getIfPresent("k");
        String inTier = new String(tier.store().get("k").bytes());
        assertThat(inTier).isEqualTo(inL1);
      }
    }
  }

  @Test
  void getAllAndBatcher_readTheTiersFirst_onlyTheRestGoToTheBatchLoader() {
    var tier = new MapTier("t");
    tier.store().put("a", StoredValue.of("A from tier".getBytes(), StoredValue.NEVER_EXPIRES));
    tier.store().put("b", StoredValue.of("B from tier".getBytes(), StoredValue.NEVER_EXPIRES));
    try (Cache<String, String> cache = cacheOver(tier)) {
      var asked = new java.util.concurrent.CopyOnWriteArrayList<java.util.Set<String>>();
      BatchLoader<String, String> loader =
          keys -> {
            asked.add(java.util.Set.copyOf(keys));
            var values = new java.util.HashMap<String, String>();
            keys.forEach(k -> values.put(k, k.toUpperCase() + " loaded"));
            return values;
          };

      assertThat(cache.getAll(List.of("a", "c"), loader))
          .containsEntry("a", "A from tier")
          .containsEntry("c", "C loaded");
      Batcher<String, String> batcher =
          cache.batcher(loader, BatchOptions.defaults().window(Duration.ZERO));
      assertThat(batcher.get("b")).isEqualTo("B from tier");

      assertThat(asked).containsExactly(java.util.Set.of("c"));
      assertThat(new String(tier.store().get("c").bytes())).isEqualTo("C loaded");
    }
  }

  @Test
  void build_withTiersButNoCodecs_failsNamingWhatIsMissing() {
    assertThatThrownBy(() -> Loomcache.newBuilder().tier(new MapTier("t")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing both");
    assertThatThrownBy(
            () -> Loomcache.newBuilder().keyCodec(KeyCodec.string()).tier(new MapTier("t")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing valueCodec");
    var tier = new MapTier("t");
    assertThatThrownBy(() -> Loomcache.newBuilder().tier(tier).tier(tier))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already added");
  }

  @Test
  void meters_reportPerTierHitsMissesErrorsAndWrites() {
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    var tier = new MapTier("t");
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .name("c")
            .meterRegistry(registry)
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(tier)
            .build()) {
      cache.get("k", () -> "v"); // tier miss, then a write
      tier.failing.set(true);
      cache.put("x", "y"); // tier error
      double hits =
          registry
              .get("cache.tier.gets")
              .tag("tier", "t")
              .tag("result", "hit")
              .functionCounter()
              .count();
      double misses =
          registry
              .get("cache.tier.gets")
              .tag("tier", "t")
              .tag("result", "miss")
              .functionCounter()
              .count();
      assertThat(hits).isZero();
      assertThat(misses).isEqualTo(1);
      assertThat(registry.get("cache.tier.errors").tag("tier", "t").functionCounter().count())
          .isEqualTo(1);
      assertThat(registry.get("cache.tier.writes").tag("tier", "t").functionCounter().count())
          .isEqualTo(1);
    }
  }
}
