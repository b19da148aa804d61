package dev.loomcache.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two-window sliding estimate driven by a fake ticker. Windows are aligned to multiples of the
 * period on the ticker; the fake ticker starts at 1 s, so with a 10 s period the first window is [0
 * s, 10 s) and the tests first move to its start.
 */
class RateLimiterSlidingWindowTest {
  private static final Duration PERIOD = Duration.ofSeconds(10);
  private final FakeTicker ticker = new FakeTicker();
  private RateLimiter limiter;

  @BeforeEach
  void alignToWindowStart() {
    ticker.advance(PERIOD.minusSeconds(1)); // 10 s: the start of window 1
  }

  @AfterEach
  void close() {
    if (limiter != null) {
      limiter.close();
    }
  }

  private void sliding(int limit) {
    limiter = RateLimiter.slidingWindow(limit, PERIOD).ticker(ticker::read).build();
  }

  private int allowedNow(String key, int attempts) {
    int allowed = 0;
    for (int i = 0; i < attempts; i++) {
      if (limiter.tryAcquire(key)) {
        allowed++;
      }
    }
    return allowed;
  }

  @Test
  void tryAcquire_firstWindow_allowsExactlyLimit() {
    sliding(10);
    assertThat(allowedNow("k", 15)).isEqualTo(10);
  }

  @Test
  void tryAcquire_previousWindowWeightedByOverlap_exactCounts() {
    sliding(10);
    ticker.advance(Duration.ofSeconds(9));
    assertThat(allowedNow("k", 10)).isEqualTo(10); // all at the end of window 1

    ticker.advance(Duration.ofSeconds(1)); // 20 s: window 2 starts, the previous weighs 10 × 1.0
    assertThat(allowedNow("k", 5)).isZero();
    ticker.advance(Duration.ofSeconds(5)); // half-way: 10 × 0.5 = 5 carried
    assertThat(allowedNow("k", 10)).isEqualTo(5);
    ticker.advance(Duration.ofSeconds(5).minusNanos(1)); // the last instant of window 2
    // window 1 now weighs a nanosecond's worth (1e-9 of 10): 5 + 4 + 1e-8 ≤ 10, a fifth would not
    // fit
    assertThat(allowedNow("k", 10)).isEqualTo(4);

    ticker.advance(Duration.ofNanos(1)); // 30 s: window 3, the previous (9) weighs 1.0
    assertThat(allowedNow("k", 10)).isEqualTo(1);
  }

  @Test
  void acquire_remainingCountsTheCarriedEstimate() {
    sliding(10);
    allowedNow("k", 8);
    ticker.advance(Duration.ofMillis(12_500)); // 22.5 s: weight 0.75
    // carried 8 × 0.75 = 6: after this call 6 + 1 = 7 used, 3 left
    assertThat(limiter.acquire("k")).isEqualTo(RateLimitDecision.allowed(3));
  }

  @Test
  void acquire_deniedByCarriedCount_retryAfterWhenEnoughHasSlidOut() {
    sliding(10);
    allowedNow("k", 10);
    ticker.advance(PERIOD); // 20 s: carried 10
    RateLimitDecision denied = limiter.acquire("k");
    assertThat(denied.allowed()).isFalse();
    // one call fits once 10 × (1 − f) ≤ 9, at f = 0.1: one second into window 2
    assertThat(denied.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    ticker.advance(Duration.ofSeconds(1).minusNanos(1));
    assertThat(limiter.tryAcquire("k")).isFalse();
    ticker.advance(Duration.ofNanos(1));
    assertThat(limiter.tryAcquire("k")).isTrue();
  }

  @Test
  void acquire_deniedByCurrentWindow_retryAfterReachesIntoNextWindow() {
    sliding(4);
    ticker.advance(Duration.ofSeconds(6)); // 16 s
    allowedNow("k", 4);
    RateLimitDecision denied = limiter.acquire("k");
    // the rest of window 1 (4 s), then 4 × (1 − f) ≤ 3 at f = 0.25 (2.5 s)
    assertThat(denied.retryAfter()).isEqualTo(Duration.ofMillis(6_500));
    ticker.advance(Duration.ofMillis(6_500));
    assertThat(limiter.tryAcquire("k")).isTrue();
    assertThat(limiter.tryAcquire("k")).isFalse();
  }

  @Test
  void tryAcquire_afterTwoIdlePeriods_previousIsForgotten() {
    sliding(3);
    allowedNow("k", 3);
    ticker.advance(PERIOD.multipliedBy(2)); // window 3: window 1 is no longer "previous"
    assertThat(allowedNow("k", 5)).isEqualTo(3);
  }

  @Test
  void banFor_slidingWindow_bansOnFirstDenial() {
    limiter =
        RateLimiter.slidingWindow(1, PERIOD)
            .banFor(Duration.ofMinutes(5))
            .ticker(ticker::read)
            .build();
    assertThat(limiter.tryAcquire("k")).isTrue();
    assertThat(limiter.acquire("k").retryAfter()).isEqualTo(Duration.ofMinutes(5));
    ticker.advance(Duration.ofMinutes(4));
    assertThat(limiter.tryAcquire("k")).isFalse();
    ticker.advance(Duration.ofMinutes(1));
    assertThat(limiter.tryAcquire("k")).isTrue();
  }
}
