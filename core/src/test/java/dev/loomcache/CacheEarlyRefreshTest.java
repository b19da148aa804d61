package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** XFetch ({@code earlyRefresh}): {@code now − Δ·beta·ln(U) ≥ expiry}, on a fake ticker. */
class CacheEarlyRefreshTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration TTL = Duration.ofMinutes(10);
  private static final Duration DELTA = Duration.ofSeconds(10);

  private final FakeTicker ticker = new FakeTicker();

  private void awaitIdle(Cache<?, ?> cache) {
    Concurrently.awaitUntil(
        WAIT, "the reloads end", () -> ((LocalCache<?, ?>) cache).refreshingCount() == 0);
  }

  @Test
  void fixedRandom_refreshStartsExactlyWhereTheFormulaSays() {
    double beta = 2.0;
    double u = 0.25;
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .defaultTtl(TTL)
            .earlyRefresh(beta)
            .randomSource(() -> u)
            .build()) {
      var reloads = new AtomicInteger();
      cache.get(
          "k",
          () -> {
            ticker.advance(DELTA); // the load takes Δ on the cache's clock
            return "v1";
          });
      long stored = ticker.read();
      long expiry = stored + TTL.toNanos();
      // Refresh when now >= expiry + Δ·beta·ln(U), i.e. Δ·beta·|ln U| before the expiry.
      long start = expiry + (long) Math.ceil(DELTA.toNanos() * beta * Math.log(u));

      ticker.advance(Duration.ofNanos(start - 1 - ticker.read()));
      cache.get("k", () -> "v" + (1 + reloads.incrementAndGet()));
      awaitIdle(cache);
      assertThat(reloads).as("one nanosecond before the point").hasValue(0);

      ticker.advance(Duration.ofNanos(1));
      cache.get("k", () -> "v" + (1 + reloads.incrementAndGet()));
      awaitIdle(cache);
      assertThat(reloads).as("at the point").hasValue(1);
      assertThat(cache.getIfPresent("k")).isEqualTo("v2");
    }
  }

  @Test
  void realRandomness_fractionOfEarlyRefreshesMatchesTheDistribution() {
    int keys = 10_000;
    double beta = 1.0;
    try (Cache<Integer, String> cache =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .defaultTtl(TTL)
            .earlyRefresh(beta)
            .maxBatchSize(keys)
            .build()) {
      var all = new java.util.ArrayList<Integer>(keys);
      for (int i = 0; i < keys; i++) {
        all.add(i);
      }
      // One batch: every key stored at the same instant with the same measured Δ.
      cache.getAll(
          all,
          batch -> {
            ticker.advance(DELTA);
            var values = new HashMap<Integer, String>();
            batch.forEach(k -> values.put(k, "v1"));
            return values;
          });
      // x = Δ·beta·ln 2 before the expiry, P(refresh) = exp(−x / (Δ·beta)) = 1/2.
      long x = (long) (DELTA.toNanos() * beta * Math.log(2));
      ticker.advance(TTL.minusNanos(x));
      var reloads = new AtomicInteger();

      for (int key : all) {
        assertThat(
                cache.get(
                    key,
                    () -> {
                      reloads.incrementAndGet();
                      return "v2";
                    }))
            .isEqualTo("v1");
      }
      awaitIdle(cache);

      // Binomial(10,000, 0.5): sd = 50; six sd either side fails about once in 10^9 runs.
      assertThat(reloads.get()).isBetween(5_000 - 300, 5_000 + 300);
      assertThat(cache.stats().refreshCount()).isEqualTo(reloads.get());
    }
  }

  @Test
  void farFromExpiry_neverRefreshesEarly_evenWithTheSmallestDraw() {
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .defaultTtl(TTL)
            .earlyRefresh(1.0)
            .randomSource(() -> Double.MIN_VALUE)
            .build()) {
      cache.get(
          "k",
          () -> {
            ticker.advance(Duration.ofMillis(1));
            return "v1";
          });
      var reloads = new AtomicInteger();

      cache.get("k", () -> "v" + reloads.incrementAndGet());

      awaitIdle(cache);
      assertThat(reloads).hasValue(0);
    }
  }

  @Test
  void earlyRefresh_withoutADefaultTtl_isRejected() {
    var builder = Loomcache.newBuilder().earlyRefresh(1.0);
    org.assertj.core.api.Assertions.assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("earlyRefresh needs a defaultTtl");
  }
}
