package dev.loomcache.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fixed windows driven by a fake ticker: exact counts at the edges, bans, independence of keys. */
class RateLimiterFixedWindowTest {
  private final FakeTicker ticker = new FakeTicker();
  private RateLimiter limiter;

  @AfterEach
  void close() {
    if (limiter != null) {
      limiter.close();
    }
  }

  private RateLimiter fixed(int limit, Duration period) {
    limiter = RateLimiter.fixedWindow(limit, period).ticker(ticker::read).build();
    return limiter;
  }

  @Test
  void acquire_withinLimit_allowsAndCountsDownRemaining() {
    fixed(3, Duration.ofSeconds(10));
    assertThat(limiter.acquire("k")).isEqualTo(RateLimitDecision.allowed(2));
    assertThat(limiter.acquire("k")).isEqualTo(RateLimitDecision.allowed(1));
    assertThat(limiter.acquire("k")).isEqualTo(RateLimitDecision.allowed(0));
  }

  @Test
  void acquire_overLimit_deniesWithRestOfWindowAsRetryAfter() {
    fixed(2, Duration.ofSeconds(10));
    limiter.acquire("k");
    ticker.advance(Duration.ofSeconds(3));
    limiter.acquire("k");
    ticker.advance(Duration.ofSeconds(4));
    RateLimitDecision denied = limiter.acquire("k");
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.remaining()).isZero();
    assertThat(denied.retryAfter()).isEqualTo(Duration.ofSeconds(3)); // window began at 0 s
  }

  @Test
  void tryAcquire_atWindowEdges_exactCounts() {
    fixed(5, Duration.ofSeconds(10));
    ticker.advance(
        Duration.ofMillis(123)); // the window starts at the first call, not at a boundary
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire("k")).isTrue();
    }
    ticker.advance(Duration.ofSeconds(10).minusNanos(1)); // one nanosecond before the window ends
    assertThat(limiter.tryAcquire("k")).isFalse();
    assertThat(limiter.acquire("k").retryAfter()).isEqualTo(Duration.ofNanos(1));
    ticker.advance(Duration.ofNanos(1)); // the window ends: a new one starts with this call
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire("k")).as("call %d of the second window", i + 1).isTrue();
    }
    assertThat(limiter.tryAcquire("k")).isFalse();
  }

  @Test
  void tryAcquire_windowStartsAtFirstCallAfterIdle() {
    fixed(1, Duration.ofSeconds(10));
    assertThat(limiter.tryAcquire("k")).isTrue();
    ticker.advance(Duration.ofSeconds(25)); // idle through two periods
    assertThat(limiter.tryAcquire("k")).isTrue(); // window [25 s, 35 s)
    ticker.advance(Duration.ofSeconds(9));
    assertThat(limiter.tryAcquire("k")).isFalse();
    ticker.advance(Duration.ofSeconds(1));
    assertThat(limiter.tryAcquire("k")).isTrue();
  }

  @Test
  void tryAcquire_differentKeys_countSeparately() {
    fixed(1, Duration.ofMinutes(1));
    assertThat(limiter.tryAcquire("a")).isTrue();
    assertThat(limiter.tryAcquire("b")).isTrue();
    assertThat(limiter.tryAcquire("a")).isFalse();
    assertThat(limiter.tryAcquire("")).isTrue();
  }

  @Test
  void banFor_firstDenialBansForBanDuration() {
    limiter =
        RateLimiter.fixedWindow(2, Duration.ofSeconds(10))
            .banFor(Duration.ofMinutes(1))
            .ticker(ticker::read)
            .build();
    assertThat(limiter.tryAcquire("k")).isTrue();
    assertThat(limiter.tryAcquire("k")).isTrue();
    RateLimitDecision banned = limiter.acquire("k");
    assertThat(banned.allowed()).isFalse();
    assertThat(banned.retryAfter()).isEqualTo(Duration.ofMinutes(1));

    ticker.advance(Duration.ofSeconds(15)); // the window is over, the ban is not
    RateLimitDecision stillBanned = limiter.acquire("k");
    assertThat(stillBanned.allowed()).isFalse();
    assertThat(stillBanned.retryAfter()).isEqualTo(Duration.ofSeconds(45));
    assertThat(limiter.tryAcquire("other")).isTrue(); // a ban is per key

    ticker.advance(Duration.ofSeconds(45).minusNanos(1));
    assertThat(limiter.tryAcquire("k")).isFalse();
    ticker.advance(Duration.ofNanos(1)); // the ban ends exactly now
    assertThat(limiter.acquire("k")).isEqualTo(RateLimitDecision.allowed(1));
  }

  @Test
  void banFor_deniedCallsDuringBanDoNotExtendIt() {
    limiter =
        RateLimiter.fixedWindow(1, Duration.ofSeconds(1))
            .banFor(Duration.ofSeconds(10))
            .ticker(ticker::read)
            .build();
    limiter.tryAcquire("k");
    limiter.tryAcquire("k"); // banned until 10 s
    ticker.advance(Duration.ofSeconds(9));
    assertThat(limiter.acquire("k").retryAfter()).isEqualTo(Duration.ofSeconds(1));
    ticker.advance(Duration.ofSeconds(1));
    assertThat(limiter.tryAcquire("k")).isTrue();
  }

  @Test
  void close_laterDecisionsThrow() {
    fixed(1, Duration.ofSeconds(1));
    limiter.close();
    limiter.close(); // idempotent
    assertThatThrownBy(() -> limiter.tryAcquire("k")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void acquire_nullKey_throwsNamingIt() {
    fixed(1, Duration.ofSeconds(1));
    assertThatThrownBy(() -> limiter.acquire(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("key");
  }

  @Test
  void builder_rejectsBadArgumentsAndSecondSet() {
    assertThatThrownBy(() -> RateLimiter.fixedWindow(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> RateLimiter.slidingWindow(1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("period");
    var builder = RateLimiter.fixedWindow(1, Duration.ofSeconds(1)).banFor(Duration.ofSeconds(5));
    assertThatThrownBy(() -> builder.banFor(Duration.ofSeconds(6)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PT5S");
    assertThatThrownBy(() -> builder.maximumKeys(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.banFor(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decision_valueSemantics() {
    assertThat(RateLimitDecision.allowed(3))
        .isEqualTo(RateLimitDecision.allowed(3))
        .hasSameHashCodeAs(RateLimitDecision.allowed(3))
        .isNotEqualTo(RateLimitDecision.allowed(2));
    assertThat(RateLimitDecision.denied(Duration.ofSeconds(1)).retryAfter())
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(RateLimitDecision.allowed(0).retryAfter()).isZero();
    assertThatThrownBy(() -> RateLimitDecision.allowed(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
