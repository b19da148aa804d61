package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Freshness options on {@code @Cached} methods and {@link CachedFunction}s. */
class CachedFreshnessTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  public interface Prices {
    @Cached(ttl = "5m", refreshAfter = "4m", staleIfError = "30m")
    String price(String symbol);

    @Cached(negativeTtl = "30s")
    @Nullable String lookUp(String symbol);
  }

  public interface BadRefresh {
    @Cached(ttl = "1m", refreshAfter = "2m")
    String price(String symbol);
  }

  public interface BadEarly {
    @Cached(earlyRefresh = 1.0)
    String price(String symbol);
  }

  static final class Feed implements Prices {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicBoolean down = new AtomicBoolean();

    @Override
    public String price(String symbol) {
      if (down.get()) {
        throw new IllegalStateException("feed down");
      }
      return symbol + "-" + calls.incrementAndGet();
    }

    @Override
    public @Nullable String lookUp(String symbol) {
      calls.incrementAndGet();
      return null;
    }
  }

  @Test
  void cachedAnnotation_refreshesAhead_andServesStaleOnError() {
    var ticker = new FakeTicker();
    var feed = new Feed();
    Prices prices = CachingProxy.newBuilder(Prices.class, feed).ticker(ticker::read).build();

    assertThat(prices.price("ACME")).isEqualTo("ACME-1");
    ticker.advance(Duration.ofMinutes(4));
    assertThat(prices.price("ACME")).as("served at once, reloaded behind").isEqualTo("ACME-1");
    Concurrently.awaitUntil(WAIT, "the refresh", () -> feed.calls.get() == 2);
    Concurrently.awaitUntil(
        WAIT, "the refreshed value is served", () -> prices.price("ACME").equals("ACME-2"));

    feed.down.set(true);
    ticker.advance(Duration.ofMinutes(10)); // past the TTL, inside stale-if-error
    assertThat(prices.price("ACME")).isEqualTo("ACME-2");
  }

  @Test
  void cachedAnnotation_negativeTtl_remembersNull() {
    var feed = new Feed();
    Prices prices =
        CachingProxy.newBuilder(Prices.class, feed).ticker(new FakeTicker()::read).build();

    assertThat(prices.lookUp("NONE")).isNull();
    assertThat(prices.lookUp("NONE")).isNull();

    assertThat(feed.calls).hasValue(1);
  }

  @Test
  void cachedAnnotation_badFreshness_failsWhenTheProxyIsBuilt() {
    assertThatThrownBy(() -> CachingProxy.of(BadRefresh.class, symbol -> symbol))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refreshAfter")
        .hasMessageContaining("shorter than the ttl");
    assertThatThrownBy(() -> CachingProxy.of(BadEarly.class, symbol -> symbol))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("earlyRefresh")
        .hasMessageContaining("needs a ttl");
  }

  @Test
  void cachedFunction_usesTheBuildersFreshnessOptions() {
    var ticker = new FakeTicker();
    var calls = new AtomicInteger();
    CachedFunction<String, String> fn =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .defaultTtl(Duration.ofMinutes(5))
            .refreshAfter(Duration.ofMinutes(4))
            .buildFunction(symbol -> symbol + "-" + calls.incrementAndGet());

    assertThat(fn.apply("A")).isEqualTo("A-1");
    ticker.advance(Duration.ofMinutes(4));
    assertThat(fn.apply("A")).isEqualTo("A-1");
    Concurrently.awaitUntil(
        WAIT, "the refreshed value is served", () -> fn.apply("A").equals("A-2"));
    Concurrently.awaitUntil(WAIT, "the refresh is counted", () -> fn.stats().refreshCount() == 1);
  }
}
