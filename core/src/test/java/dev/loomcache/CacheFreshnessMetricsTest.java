package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.FakeTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The freshness meters: {@code cache.refreshes{result}} and {@code cache.stale.served}. */
class CacheFreshnessMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void refreshesAndStaleServes_areMetered() {
    var ticker = new FakeTicker();
    var registry = new SimpleMeterRegistry();
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .name("prices")
            .ticker(ticker::read)
            .defaultTtl(Duration.ofMinutes(2))
            .refreshAfter(Duration.ofMinutes(1))
            .staleIfError(Duration.ofMinutes(10))
            .meterRegistry(registry)
            .build()) {
      cache.get("k", () -> "v1");
      ticker.advance(Duration.ofSeconds(61));
      cache.get("k", () -> "v2");
      Concurrently.awaitUntil(WAIT, "the refresh", () -> cache.stats().refreshCount() == 1);
      ticker.advance(Duration.ofSeconds(61));
      cache.get(
          "k",
          () -> {
            throw new IllegalStateException("down");
          });
      Concurrently.awaitUntil(
          WAIT, "the failed refresh", () -> cache.stats().refreshFailureCount() == 1);
      ticker.advance(Duration.ofMinutes(2)); // past the TTL: a miss, answered from the stale value
      assertThat(
              cache.get(
                  "k",
                  () -> {
                    throw new IllegalStateException("down");
                  }))
          .isEqualTo("v2");

      assertThat(
              registry
                  .get("cache.refreshes")
                  .tag("cache", "prices")
                  .tag("result", "success")
                  .functionCounter()
                  .count())
          .isEqualTo(1);
      assertThat(
              registry
                  .get("cache.refreshes")
                  .tag("cache", "prices")
                  .tag("result", "failure")
                  .functionCounter()
                  .count())
          .isEqualTo(1);
      assertThat(
              registry.get("cache.stale.served").tag("cache", "prices").functionCounter().count())
          .isEqualTo(1);
    }
  }
}
