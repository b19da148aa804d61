package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.limit.RateLimitExceededException;
import dev.loomcache.limit.RateLimited;
import dev.loomcache.testsupport.FakeTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code @RateLimited} methods of a {@link CachingProxy}, driven by a fake ticker. */
class CachingProxyRateLimitTest {

  record Request(String tenant, int size) {}

  interface Payments {
    @RateLimited(limit = 2, period = "1m", key = "{userId}")
    String charge(String userId, long cents);

    @RateLimited(limit = 1, period = "10s", ban = "1m", key = "tenant:{request.tenant}")
    String submit(Request request);

    @RateLimited(limit = 3, period = "1s")
    @Cached
    String quote(int item);

    String unlimited();
  }

  static final class CountingPayments implements Payments {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String charge(String userId, long cents) {
      calls.incrementAndGet();
      return userId + ":" + cents;
    }

    @Override
    public String submit(Request request) {
      calls.incrementAndGet();
      return request.tenant();
    }

    @Override
    public String quote(int item) {
      calls.incrementAndGet();
      return "q" + item;
    }

    @Override
    public String unlimited() {
      return "free";
    }
  }

  private final FakeTicker ticker = new FakeTicker();
  private final CountingPayments target = new CountingPayments();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Payments payments =
      CachingProxy.newBuilder(Payments.class, target)
          .ticker(ticker::read)
          .meterRegistry(registry)
          .build();

  @Test
  void rateLimited_overLimit_throwsWithRetryAfterAndSkipsTarget() {
    assertThat(payments.charge("ada", 1)).isEqualTo("ada:1");
    ticker.advance(Duration.ofSeconds(20));
    assertThat(payments.charge("ada", 2)).isEqualTo("ada:2");
    assertThatThrownBy(() -> payments.charge("ada", 3))
        .isInstanceOfSatisfying(
            RateLimitExceededException.class,
            e -> {
              assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(40));
              assertThat(e.key()).isEqualTo("ada");
              assertThat(e.getMessage()).contains("Payments.charge(String, long)", "'ada'");
            });
    assertThat(target.calls).hasValue(2);
    assertThat(payments.charge("alan", 1)).isEqualTo("alan:1"); // another key, another limit
    ticker.advance(Duration.ofSeconds(40));
    assertThat(payments.charge("ada", 4)).isEqualTo("ada:4");
  }

  @Test
  void rateLimited_accessorKeyAndBan() {
    assertThat(payments.submit(new Request("acme", 1))).isEqualTo("acme");
    assertThat(payments.submit(new Request("globex", 1))).isEqualTo("globex");
    assertThatThrownBy(() -> payments.submit(new Request("acme", 2)))
        .isInstanceOfSatisfying(
            RateLimitExceededException.class,
            e -> {
              assertThat(e.key()).isEqualTo("tenant:acme");
              assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(1));
            });
    ticker.advance(Duration.ofSeconds(30)); // the window is over, the ban is not
    assertThatThrownBy(() -> payments.submit(new Request("acme", 3)))
        .isInstanceOf(RateLimitExceededException.class);
    ticker.advance(Duration.ofSeconds(30));
    assertThat(payments.submit(new Request("acme", 4))).isEqualTo("acme");
  }

  @Test
  void rateLimited_withCached_countsHitsToo() {
    assertThat(payments.quote(1)).isEqualTo("q1");
    assertThat(payments.quote(1)).isEqualTo("q1"); // a hit, still counted
    assertThat(payments.quote(2)).isEqualTo("q2");
    assertThatThrownBy(() -> payments.quote(1)).isInstanceOf(RateLimitExceededException.class);
    assertThat(target.calls).hasValue(2);
  }

  @Test
  void rateLimited_metersCountDecisionsByResult() {
    payments.charge("ada", 1);
    payments.charge("ada", 1);
    assertThatThrownBy(() -> payments.charge("ada", 1))
        .isInstanceOf(RateLimitExceededException.class);
    payments.unlimited();
    assertThat(
            registry
                .get("ratelimit.decisions")
                .tag("limiter", "Payments.charge")
                .tag("result", "allowed")
                .counter()
                .count())
        .isEqualTo(2.0);
    assertThat(
            registry
                .get("ratelimit.decisions")
                .tag("limiter", "Payments.charge")
                .tag("result", "denied")
                .counter()
                .count())
        .isEqualTo(1.0);
    payments.submit(new Request("a", 1));
    assertThatThrownBy(() -> payments.submit(new Request("a", 1)))
        .isInstanceOf(RateLimitExceededException.class);
    assertThat(
            registry
                .get("ratelimit.decisions")
                .tag("limiter", "Payments.submit")
                .tag("result", "banned")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  interface BadPeriod {
    @RateLimited(limit = 1, period = "soon")
    void call();
  }

  interface BadLimit {
    @RateLimited(limit = 0, period = "1s")
    void call();
  }

  interface UnknownParameter {
    @RateLimited(limit = 1, period = "1s", key = "{user}")
    void call(String userId);
  }

  interface UnknownAccessor {
    @RateLimited(limit = 1, period = "1s", key = "{request.owner}")
    void call(Request request);
  }

  interface UnclosedBrace {
    @RateLimited(limit = 1, period = "1s", key = "{userId")
    void call(String userId);
  }

  interface OnToString {
    @Override
    @RateLimited(limit = 1, period = "1s")
    String toString();
  }

  @Test
  void rateLimited_misconfigured_rejectedAtBuildNamingTheMethod() {
    assertThatThrownBy(() -> CachingProxy.of(BadPeriod.class, () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "BadPeriod.call(): @RateLimited(limit = 1, period = \"soon\"): period:");
    assertThatThrownBy(() -> CachingProxy.of(BadLimit.class, () -> {}))
        .hasMessage(
            "BadLimit.call(): @RateLimited(limit = 0, period = \"1s\"): limit must be positive");
    assertThatThrownBy(() -> CachingProxy.of(UnknownParameter.class, u -> {}))
        .hasMessageContaining("no parameter named 'user'; parameters: (userId)");
    assertThatThrownBy(() -> CachingProxy.of(UnknownAccessor.class, r -> {}))
        .hasMessageContaining("Request has no accessible public no-argument method 'owner'");
    assertThatThrownBy(() -> CachingProxy.of(UnclosedBrace.class, u -> {}))
        .hasMessageContaining("'{' at 0 is never closed");
    assertThatThrownBy(() -> CachingProxy.of(OnToString.class, new OnToString() {}))
        .hasMessageContaining("on an Object method");
  }
}
