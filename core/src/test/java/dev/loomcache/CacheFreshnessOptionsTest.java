package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code ttlJitter}, {@code expireAfterHits}, {@code cacheIf}, per-call {@link Freshness}. */
class CacheFreshnessOptionsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration TTL = Duration.ofMinutes(10);

  private final FakeTicker ticker = new FakeTicker();
  private final AtomicInteger loads = new AtomicInteger();

  private String load() {
    return "v" + loads.incrementAndGet();
  }

  @Test
  void ttlJitter_withTheLargestDraw_shortensTheTtlByTheWholeFraction() {
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .defaultTtl(TTL)
            .ttlJitter(0.1)
            .randomSource(() -> 1.0)
            .build()) {
      cache.put("k", "v");

      ticker.advance(Duration.ofMinutes(9).minusNanos(1));
      assertThat(cache.getIfPresent("k")).isEqualTo("v");
      ticker.advance(Duration.ofNanos(1));
      assertThat(cache.getIfPresent("k")).isNull();
    }
  }

  @Test
  void ttlJitter_keepsEveryTtlWithinItsBounds_andSpreadsThem() {
    try (Cache<Integer, String> cache =
        Loomcache.newBuilder().ticker(ticker::read).defaultTtl(TTL).ttlJitter(0.1).build()) {
      int keys = 200;
      for (int i = 0; i < keys; i++) {
        cache.get(i, this::load);
      }

      ticker.advance(Duration.ofMinutes(9).minusNanos(1));
      assertThat(present(cache, keys)).as("none before t·(1 − f)").isEqualTo(keys);
      ticker.advance(Duration.ofSeconds(30));
      // Each key survives to 9.5 min with probability 1/2: all or none would be a 2^-199 event.
      assertThat(present(cache, keys)).isBetween(1, keys - 1);
      ticker.advance(Duration.ofSeconds(30));
      assertThat(present(cache, keys)).as("all gone by t").isZero();
    }
  }

  private static int present(Cache<Integer, String> cache, int keys) {
    int present = 0;
    for (int i = 0; i < keys; i++) {
      if (cache.getIfPresent(i) != null) {
        present++;
      }
    }
    return present;
  }

  @Test
  void ttlJitter_leavesNoExpiryAlone() {
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .ttlJitter(0.5)
            .randomSource(() -> 1.0)
            .build()) {
      cache.put("k", "v");
      ticker.advance(Duration.ofDays(10_000));
      assertThat(cache.getIfPresent("k")).isEqualTo("v");
    }
  }

  @Test
  void expireAfterHits_theNthHitReturnsTheEntryAndRemovesIt() {
    try (Cache<String, String> cache =
        Loomcache.newBuilder().ticker(ticker::read).expireAfterHits(3).build()) {
      assertThat(cache.get("k", this::load)).isEqualTo("v1"); // a load, not a hit

      assertThat(cache.get("k", this::load)).isEqualTo("v1");
      assertThat(cache.get("k", this::load)).isEqualTo("v1");
      assertThat(cache.get("k", this::load)).as("the third hit").isEqualTo("v1");

      assertThat(cache.get("k", this::load)).as("the next call loads").isEqualTo("v2");
      assertThat(cache.stats().hitCount()).isEqualTo(3);
    }
  }

  @Test
  void expireAfterHits_concurrentHits_neverExceedTheBudget() throws Exception {
    try (Cache<String, String> cache =
        Loomcache.newBuilder().ticker(ticker::read).expireAfterHits(10).build()) {
      cache.get("k", this::load);

      var results = Concurrently.run(100, WAIT, i -> () -> cache.get("k", this::load));

      long first = results.stream().filter(r -> "v1".equals(r.value())).count();
      assertThat(first).isEqualTo(10);
    }
  }

  @Test
  void cacheIf_false_returnsTheValueButNeverStoresIt() {
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .cacheIf((value, loadTime) -> loadTime.compareTo(Duration.ofMillis(20)) > 0)
            .build()) {
      assertThat(cache.get("fast", this::load)).isEqualTo("v1");
      assertThat(cache.getIfPresent("fast")).isNull();
      assertThat(cache.get("fast", this::load)).isEqualTo("v2");

      cache.get(
          "slow",
          () -> {
            ticker.advance(Duration.ofMillis(30));
            return load();
          });
      assertThat(cache.getIfPresent("slow")).isEqualTo("v3");
    }
  }

  @Test
  void cacheIf_seesTheValue_andIsNotAskedForPuts() {
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .cacheIf((value, loadTime) -> !value.toString().startsWith("tmp"))
            .build()) {
      cache.get("a", () -> "tmp-1");
      cache.get("b", () -> "keep");
      cache.put("c", "tmp-put");

      assertThat(cache.getIfPresent("a")).isNull();
      assertThat(cache.getIfPresent("b")).isEqualTo("keep");
      assertThat(cache.getIfPresent("c")).isEqualTo("tmp-put");
    }
  }

  @Test
  void perCallFreshness_onACacheWithoutOptions_refreshesThatEntry() {
    try (Cache<String, String> cache = Loomcache.newBuilder().ticker(ticker::read).build()) {
      Freshness fresh = Freshness.ttl(Duration.ofMinutes(5)).refreshAfter(Duration.ofMinutes(4));
      cache.get("k", this::load, fresh);
      cache.get("plain", this::load);

      ticker.advance(Duration.ofMinutes(4));
      assertThat(cache.get("k", this::load, fresh)).isEqualTo("v1");
      Concurrently.awaitUntil(
          WAIT, "the refresh stores", () -> "v3".equals(cache.getIfPresent("k")));

      ticker.advance(Duration.ofMinutes(10));
      assertThat(cache.getIfPresent("k")).as("expired at its own TTL").isNull();
      assertThat(cache.getIfPresent("plain")).isEqualTo("v2");
    }
  }

  @Test
  void perCallFreshness_overridesTheBuildersOptions() {
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .defaultTtl(TTL)
            .refreshAfter(Duration.ofMinutes(9))
            .build()) {
      cache.get("k", () -> null, Freshness.defaults().negativeTtl(Duration.ofSeconds(5)));
      assertThat(cache.get("k", this::load)).as("absence remembered").isNull();
      ticker.advance(Duration.ofSeconds(5));
      assertThat(cache.get("k", this::load)).isEqualTo("v1");
    }
  }

  @Test
  void perCallFreshness_refreshAfterNotShorterThanTheTtl_isRejected() {
    try (Cache<String, String> cache = Loomcache.newBuilder().ticker(ticker::read).build()) {
      assertThatThrownBy(() ->
              cache.get(
                  "k",
                  this::load,
                  Freshness.ttl(Duration.ofMinutes(1)).refreshAfter(Duration.ofMinutes(1))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("refreshAfter");
    }
  }

  @Test
  void builder_checksFreshnessOptions() {
    assertThatThrownBy(() -> Loomcache.newBuilder().refreshAfter(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refreshAfter");
    assertThatThrownBy(() -> Loomcache.newBuilder().earlyRefresh(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("earlyRefresh");
    assertThatThrownBy(() -> Loomcache.newBuilder().ttlJitter(1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttlJitter");
    assertThatThrownBy(() -> Loomcache.newBuilder().expireAfterHits(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expireAfterHits");
    assertThatThrownBy(() -> Loomcache.newBuilder().staleIfError(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("staleIfError");
    assertThatThrownBy(() -> Loomcache.newBuilder().negativeTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negativeTtl");
    assertThatThrownBy(() ->
            Loomcache.newBuilder()
                .refreshAfter(Duration.ofMinutes(1))
                .refreshAfter(Duration.ofMinutes(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already set");
    assertThatThrownBy(() ->
            Loomcache.newBuilder()
                .defaultTtl(Duration.ofMinutes(1))
                .refreshAfter(Duration.ofMinutes(1))
                .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be shorter than defaultTtl");
  }

  @Test
  void builder_toString_listsFreshnessOptionsAsASpec() {
    var builder =
        Loomcache.newBuilder()
            .refreshAfter(Duration.ofMinutes(4))
            .staleIfError(Duration.ofMinutes(30))
            .negativeTtl(Duration.ofSeconds(30))
            .ttlJitter(0.1)
            .earlyRefresh(1.0)
            .expireAfterHits(5);
    assertThat(builder.toString())
        .contains(
            "refreshAfter=4m",
            "staleIfError=30m",
            "negativeTtl=30s",
            "ttlJitter=0.1",
            "earlyRefresh=1.0",
            "expireAfterHits=5");
  }
}
