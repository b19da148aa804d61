package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code staleIfError}, on a fake ticker. */
class CacheStaleIfErrorTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final FakeTicker ticker = new FakeTicker();
  private final Cache<String, String> cache =
      Loomcache.newBuilder()
          .ticker(ticker::read)
          .defaultTtl(Duration.ofMinutes(1))
          .staleIfError(Duration.ofMinutes(10))
          .build();

  @AfterEach
  void close() {
    cache.close();
  }

  private static String fail() {
    throw new IllegalStateException("database down");
  }

  @Test
  void insideGrace_aFailingLoadGivesTheCallerAndEveryWaiterTheStaleValue() throws Exception {
    cache.get("k", () -> "v1");
    ticker.advance(Duration.ofMinutes(2));
    var entered = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var loads = new AtomicInteger();

    var results = new java.util.concurrent.ConcurrentLinkedQueue<String>();
    Thread owner =
        Thread.ofVirtual()
            .start(() ->
                results.add(
                    cache.get(
                        "k",
                        () -> {
                          loads.incrementAndGet();
                          entered.countDown();
                          release.await(30, TimeUnit.SECONDS);
                          return fail();
                        })));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    var waiters = new java.util.ArrayList<Thread>();
    for (int i = 0; i < 10; i++) {
      waiters.add(
          Thread.ofVirtual()
              .start(() ->
                  results.add(
                      cache.get(
                          "k",
                          () -> {
                            loads.incrementAndGet();
                            return "not-called";
                          }))));
    }
    Concurrently.awaitUntil(
        WAIT, "10 waiters park", () -> ((LocalCache<String, String>) cache).parkedCount("k") == 10);
    release.countDown();
    owner.join();
    for (Thread waiter : waiters) {
      waiter.join();
    }

    assertThat(results).hasSize(11).containsOnly("v1");
    assertThat(loads).hasValue(1);
    assertThat(cache.stats().staleServedCount()).isEqualTo(11);
  }

  @Test
  void outsideGrace_theFailureIsThrown() {
    cache.get("k", () -> "v1");
    ticker.advance(Duration.ofMinutes(11));

    assertThatThrownBy(() -> cache.get("k", CacheStaleIfErrorTest::fail))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("database down");
    assertThat(cache.stats().staleServedCount()).isZero();
  }

  @Test
  void insideGrace_aSuccessfulLoadReplacesTheStaleValue() {
    cache.get("k", () -> "v1");
    ticker.advance(Duration.ofMinutes(2));

    assertThat(cache.get("k", () -> "v2")).isEqualTo("v2");

    assertThat(cache.getIfPresent("k")).isEqualTo("v2");
    ticker.advance(Duration.ofSeconds(59));
    assertThat(cache.get("k", () -> "v3")).isEqualTo("v2");
  }

  @Test
  void getIfPresent_doesNotReturnStaleValues() {
    cache.get("k", () -> "v1");
    ticker.advance(Duration.ofMinutes(1));

    assertThat(cache.getIfPresent("k")).isNull();
  }

  @Test
  void beforeTheTtl_theValueIsAHit() {
    cache.get("k", () -> "v1");
    ticker.advance(Duration.ofMinutes(1).minusNanos(1));

    assertThat(cache.get("k", CacheStaleIfErrorTest::fail)).isEqualTo("v1");
    assertThat(cache.stats().loadFailureCount()).isZero();
  }

  @Test
  void withRefreshAfter_aFailedRefreshKeepsTheValueThroughTtlPlusGrace() {
    try (Cache<String, String> refreshing =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .defaultTtl(Duration.ofMinutes(1))
            .refreshAfter(Duration.ofSeconds(30))
            .staleIfError(Duration.ofMinutes(10))
            .build()) {
      refreshing.get("k", () -> "v1");
      ticker.advance(Duration.ofSeconds(45));
      assertThat(refreshing.get("k", CacheStaleIfErrorTest::fail)).isEqualTo("v1");
      Concurrently.awaitUntil(
          WAIT, "the refresh fails", () -> refreshing.stats().refreshFailureCount() == 1);

      ticker.advance(Duration.ofMinutes(5)); // past the TTL, inside the grace
      assertThat(refreshing.get("k", CacheStaleIfErrorTest::fail)).isEqualTo("v1");

      ticker.advance(Duration.ofMinutes(6)); // past TTL + grace
      assertThatThrownBy(() -> refreshing.get("k", CacheStaleIfErrorTest::fail))
          .hasMessage("database down");
    }
  }
}
