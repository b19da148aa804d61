package dev.loomcache.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Many virtual threads racing one key: exactly the limit is allowed, per window. */
class RateLimiterConcurrencyTest {
  private static final int THREADS = 10_000;

  private static long allowedByRace(RateLimiter limiter) throws InterruptedException {
    var results =
        Concurrently.run(THREADS, Duration.ofSeconds(60), i -> () -> limiter.tryAcquire("hot"));
    assertThat(results).noneMatch(Concurrently.Result::failed);
    return results.stream().filter(Concurrently.Result::value).count();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void tryAcquire_10000VirtualThreadsOneKey_allowExactlyLimitPerWindow(boolean sliding)
      throws InterruptedException {
    var ticker = new FakeTicker();
    ticker.advance(Duration.ofSeconds(9)); // 10 s: a window boundary for the sliding limiter
    Duration period = Duration.ofSeconds(10);
    var builder =
        sliding ? RateLimiter.slidingWindow(137, period) : RateLimiter.fixedWindow(137, period);
    try (RateLimiter limiter = builder.ticker(ticker::read).build()) {
      assertThat(allowedByRace(limiter)).isEqualTo(137); // the first race creates the window too
      assertThat(allowedByRace(limiter)).isZero();
      ticker.advance(period.multipliedBy(2)); // past the window and, for sliding, its successor
      assertThat(allowedByRace(limiter)).isEqualTo(137);
    }
  }

  @Test
  void acquire_racingThreads_remainingValuesAreDistinct() throws InterruptedException {
    try (RateLimiter limiter =
        RateLimiter.fixedWindow(500, Duration.ofMinutes(1))
            .ticker(new FakeTicker()::read)
            .build()) {
      var results =
          Concurrently.run(2_000, Duration.ofSeconds(60), i -> () -> limiter.acquire("k"));
      var remaining =
          results.stream()
              .map(Concurrently.Result::value)
              .filter(RateLimitDecision::allowed)
              .map(RateLimitDecision::remaining)
              .toList();
      assertThat(remaining).hasSize(500).doesNotHaveDuplicates().allMatch(r -> r >= 0 && r < 500);
    }
  }
}
