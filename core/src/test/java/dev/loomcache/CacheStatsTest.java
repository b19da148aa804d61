package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CacheStatsTest {

  @Test
  void emptyCache_hitRateIsZero() {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      CacheStats stats = cache.stats();
      assertThat(stats.hitRate()).isEqualTo(0.0);
      assertThat(stats.requestCount()).isZero();
      assertThat(stats.loadCount()).isZero();
    }
  }

  @Test
  void loaderMissThenHit_givesOneHitOneMissAndHalfHitRate() {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      cache.get("k", () -> "v");
      cache.get("k", () -> "v");

      CacheStats stats = cache.stats();
      assertThat(stats.hitCount()).isEqualTo(1);
      assertThat(stats.missCount()).isEqualTo(1);
      assertThat(stats.hitRate()).isEqualTo(0.5);
      assertThat(stats.loadSuccessCount()).isEqualTo(1);
      assertThat(stats.putCount()).isEqualTo(1);
    }
  }

  @Test
  void recordStatsFalse_countsNoReadsButStillCountsLoads() throws Exception {
    try (Cache<String, String> cache =
        Loomcache.<String, String>newBuilder().recordStats(false).build()) {
      cache.get("k", () -> "v");
      cache.get("k", () -> "v");
      assertThat(cache.getIfPresent("absent")).isNull();

      CacheStats stats = cache.stats();
      assertThat(stats.hitCount()).isZero();
      assertThat(stats.missCount()).isZero();
      assertThat(stats.hitRate()).isEqualTo(0.0);
      assertThat(stats.loadSuccessCount()).isEqualTo(1);
    }
  }

  @Test
  void recordStats_setTwice_isRejected() {
    var builder = Loomcache.newBuilder().recordStats(false);

    assertThatThrownBy(() -> builder.recordStats(true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("recordStats");
  }

  @Test
  void totalLoadTime_measuredWithTheTicker() {
    var ticker = new FakeTicker();
    try (Cache<String, String> cache = Loomcache.newBuilder().ticker(ticker::read).build()) {
      cache.get(
          "a",
          () -> {
            ticker.advance(Duration.ofMillis(7));
            return "v";
          });
      try {
        cache.get(
            "b",
            () -> {
              ticker.advance(Duration.ofMillis(3));
              throw new IllegalStateException("boom");
            });
      } catch (IllegalStateException expected) {
        // counted as a failed load
      }

      CacheStats stats = cache.stats();
      assertThat(stats.totalLoadTimeNanos()).isEqualTo(Duration.ofMillis(10).toNanos());
      assertThat(stats.loadCount()).isEqualTo(2);
      assertThat(stats.loadFailureCount()).isEqualTo(1);
    }
  }

  @Test
  void statsAreExact_underConcurrentHitsAndMisses() throws Exception {
    try (Cache<Integer, Integer> cache = Loomcache.newBuilder().build()) {
      int threads = 64;
      int perThread = 1_000;
      var loads = new AtomicInteger();
      Concurrently.run(
          threads,
          Duration.ofSeconds(60),
          t ->
              () -> {
                for (int i = 0; i < perThread; i++) {
                  int key = i % 100;
                  cache.get(
                      key,
                      () -> {
                        loads.incrementAndGet();
                        return key;
                      });
                }
                return null;
              });

      CacheStats stats = cache.stats();
      assertThat(stats.requestCount()).isEqualTo((long) threads * perThread);
      assertThat(stats.loadCount()).isEqualTo(loads.get()).isEqualTo(100);
      assertThat(stats.missCount()).isEqualTo(stats.loadCount() + stats.coalescedCount());
    }
  }

  @Test
  void sizeBound_keepsSizeAtBound_andHotKeysKeepHitting() {
    try (Cache<Integer, Integer> cache = Loomcache.newBuilder().maximumSize(1_000).build()) {
      // 100 hot keys read again and again while a scan of 20,000 one-off keys passes through.
      for (int round = 0; round < 20; round++) {
        for (int hot = 0; hot < 100; hot++) {
          int key = hot;
          cache.get(key, () -> key);
        }
        for (int cold = 0; cold < 1_000; cold++) {
          int key = 1_000_000 + round * 1_000 + cold;
          cache.get(key, () -> key);
        }
      }
      ((LocalCache<Integer, Integer>) cache).cleanUp();
      assertThat(cache.estimatedSize()).isEqualTo(1_000);
      assertThat(cache.stats().evictionCount()).isGreaterThanOrEqualTo(20_100 - 1_000);

      long hitsBefore = cache.stats().hitCount();
      for (int hot = 0; hot < 100; hot++) {
        int key = hot;
        cache.get(key, () -> key);
      }
      long hotHits = cache.stats().hitCount() - hitsBefore;
      assertThat(hotHits).isGreaterThanOrEqualTo(90);
    }
  }
}
