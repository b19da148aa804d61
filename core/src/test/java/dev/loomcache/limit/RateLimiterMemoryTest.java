package dev.loomcache.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bounded memory: idle keys are forgotten by the amortised sweep (driven by a fake clock), live
 * keys are not, and {@code maximumKeys} is a hard bound.
 */
class RateLimiterMemoryTest {
  private static final Duration PERIOD = Duration.ofSeconds(10);
  private static final int KEYS_PER_PERIOD = 5_000;

  private final FakeTicker ticker = new FakeTicker();

  private RateLimiterBuilder builder(boolean sliding, int limit) {
    return (sliding
            ? RateLimiter.slidingWindow(limit, PERIOD)
            : RateLimiter.fixedWindow(limit, PERIOD))
        .ticker(ticker::read);
  }

  private static int tracked(RateLimiter limiter) {
    return ((WindowedRateLimiter) limiter).trackedKeyCount();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void tryAcquire_newKeysEveryPeriod_idleKeysAreForgotten(boolean sliding) {
    try (RateLimiter limiter = builder(sliding, 1).build()) {
      int most = 0;
      for (int round = 0; round < 20; round++) {
        for (int i = 0; i < KEYS_PER_PERIOD; i++) {
          assertThat(limiter.tryAcquire("round-" + round + "-key-" + i)).isTrue();
        }
        most = Math.max(most, tracked(limiter));
        ticker.advance(PERIOD);
      }
      // 100,000 keys seen, each used once: only the last periods' keys (a fixed window's one, a
      // sliding window's two, as its successor's "previous") and one sweep's worth may remain.
      int live = (sliding ? 2 : 1) * KEYS_PER_PERIOD;
      assertThat(most).isLessThanOrEqualTo(2 * live + WindowedRateLimiter.SWEEP_EVERY_MIN);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void sweep_liveWindowIsKept_itsCountStands(boolean sliding) {
    ticker.advance(PERIOD.multipliedBy(5)); // a window boundary for the sliding limiter
    try (RateLimiter limiter = builder(sliding, 1).build()) {
      assertThat(limiter.tryAcquire("busy")).isTrue();
      ticker.advance(PERIOD.dividedBy(2));
      for (int i = 0; i < 3 * WindowedRateLimiter.SWEEP_EVERY_MIN; i++) { // several sweeps
        limiter.tryAcquire("passer-by-" + i);
      }
      ((WindowedRateLimiter) limiter).sweep();
      assertThat(limiter.tryAcquire("busy")).as("still in its window").isFalse();
      ticker.advance(PERIOD.multipliedBy(3));
      ((WindowedRateLimiter) limiter).sweep();
      assertThat(tracked(limiter)).isZero();
      assertThat(limiter.tryAcquire("busy")).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void sweep_bansForgottenWhenOver(boolean sliding) {
    try (RateLimiter limiter = builder(sliding, 1).banFor(Duration.ofMinutes(1)).build()) {
      for (int i = 0; i < 100; i++) {
        limiter.tryAcquire("k" + i);
        assertThat(limiter.tryAcquire("k" + i)).isFalse(); // banned
      }
      ticker.advance(PERIOD.multipliedBy(3));
      ((WindowedRateLimiter) limiter).sweep();
      assertThat(tracked(limiter)).as("windows over, bans not").isEqualTo(100);
      assertThat(limiter.tryAcquire("k7")).isFalse();
      ticker.advance(Duration.ofMinutes(1));
      ((WindowedRateLimiter) limiter).sweep();
      assertThat(tracked(limiter)).isZero();
      assertThat(limiter.tryAcquire("k7")).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void maximumKeys_liveKeysPastTheBound_areForgotten(boolean sliding) {
    try (RateLimiter limiter = builder(sliding, 1).maximumKeys(100).build()) {
      for (int i = 0; i < 10_000; i++) {
        assertThat(limiter.tryAcquire("key-" + i)).isTrue();
        assertThat(tracked(limiter)).isLessThanOrEqualTo(100);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void tryAcquire_rollOverRacingSweeps_allowExactlyLimit(boolean sliding)
      throws InterruptedException {
    ticker.advance(PERIOD.multipliedBy(5));
    try (RateLimiter limiter = builder(sliding, 137).build()) {
      assertThat(limiter.tryAcquire("hot")).isTrue();
      for (int round = 0; round < 3; round++) {
        // The hot key's window is over: the racers roll it over while others, on keys of their
        // own, trigger sweeps that forget it.
        ticker.advance(PERIOD.multipliedBy(3));
        int r = round;
        var results =
            Concurrently.run(
                10_000,
                Duration.ofSeconds(60),
                i ->
                    i % 2 == 0
                        ? () -> limiter.tryAcquire("hot")
                        : () -> {
                          limiter.tryAcquire("cold-" + r + "-" + i);
                          return false;
                        });
        assertThat(results).noneMatch(Concurrently.Result::failed);
        assertThat(results.stream().filter(Concurrently.Result::value).count())
            .as("round %d", round)
            .isEqualTo(137);
      }
    }
  }
}
