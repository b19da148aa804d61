package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.FakeTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double counter(String name, String... tags) {
    return registry.get(name).tag("cache", "users").tags(tags).functionCounter().count();
  }

  @Test
  void meterRegistry_bindsStandardAndLoomcacheMeters() {
    var ticker = new FakeTicker();
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .name("users")
            .meterRegistry(registry)
            .ticker(ticker::read)
            .maximumSize(100)
            .build()) {
      cache.get(
          "a",
          () -> {
            ticker.advance(Duration.ofMillis(5));
            return "1";
          });
      cache.get("a", () -> "1");
      cache.put("b", "2");
      try {
        cache.get(
            "c",
            () -> {
              throw new IllegalStateException("boom");
            });
      } catch (IllegalStateException expected) {
        // counted as a failed load
      }

      assertThat(counter("cache.gets", "result", "hit")).isEqualTo(1);
      assertThat(counter("cache.gets", "result", "miss")).isEqualTo(2);
      assertThat(counter("cache.puts")).isEqualTo(2);
      assertThat(counter("cache.loads", "result", "success")).isEqualTo(1);
      assertThat(counter("cache.loads", "result", "failure")).isEqualTo(1);
      assertThat(counter("cache.loads.coalesced")).isZero();
      assertThat(counter("cache.evictions")).isZero();
      assertThat(registry.get("cache.size").tag("cache", "users").gauge().value()).isEqualTo(2);
      var loadTimer = registry.get("cache.load.duration").tag("cache", "users").functionTimer();
      assertThat(loadTimer.count()).isEqualTo(2);
      assertThat(loadTimer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(5);
      assertThat(registry.get("cache.loads.inflight").tag("cache", "users").gauge().value())
          .isZero();
    }
  }

  @Test
  void batchMeters_countBatchesAndRecordTheirSizes() {
    try (Cache<Integer, String> cache =
        Loomcache.newBuilder().name("users").meterRegistry(registry).maxBatchSize(3).build()) {
      cache.getAll(
          java.util.List.of(1, 2, 3, 4),
          keys -> {
            var values = new java.util.HashMap<Integer, String>();
            keys.forEach(k -> values.put(k, "v" + k));
            return values;
          });
      try {
        cache.getAll(
            java.util.List.of(9),
            keys -> {
              throw new IllegalStateException("boom");
            });
      } catch (IllegalStateException expected) {
        // counted as a failed batch
      }

      assertThat(counter("cache.batches", "result", "success")).isEqualTo(2);
      assertThat(counter("cache.batches", "result", "failure")).isEqualTo(1);
      var sizes = registry.get("cache.batch.size").tag("cache", "users").summary();
      assertThat(sizes.count()).isEqualTo(3);
      assertThat(sizes.totalAmount()).isEqualTo(5);
      assertThat(sizes.max()).isEqualTo(3);
      assertThat(registry.get("cache.batch.duration").tag("cache", "users").functionTimer().count())
          .isEqualTo(3);
    }
  }

  @Test
  void meters_stayReadableAfterClose() {
    Cache<String, String> cache =
        Loomcache.newBuilder().name("users").meterRegistry(registry).build();
    cache.get("a", () -> "1");
    cache.close();

    assertThat(counter("cache.gets", "result", "miss")).isEqualTo(1);
  }
}
