package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.limit.RateLimitDecision;
import dev.loomcache.limit.RateLimiter;
import dev.loomcache.testsupport.Polling;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** {@link RedisRateLimiter} against a real redis-server, shared by two clients. */
class RedisRateLimiterTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeClients() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
  }

  private RedisClient client() {
    var client = RedisClient.create("127.0.0.1", redis.server().port());
    opened.add(client);
    return client;
  }

  @Test
  void acquire_fixedWindow_countsDownThenDeniesWithRetryAfter() {
    RateLimiter limiter =
        RedisRateLimiter.newBuilder(client()).fixedWindow(3, Duration.ofMinutes(1)).build();
    assertThat(limiter.acquire("u1")).isEqualTo(RateLimitDecision.allowed(2));
    assertThat(limiter.acquire("u1")).isEqualTo(RateLimitDecision.allowed(1));
    assertThat(limiter.acquire("u1")).isEqualTo(RateLimitDecision.allowed(0));
    RateLimitDecision denied = limiter.acquire("u1");
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
    assertThat(limiter.tryAcquire("u2")).isTrue();
    // one hash per key, expiring with its window
    assertThat(redis.raw().pttl("ratelimit:u1")).isPositive().isLessThanOrEqualTo(60_000);
  }

  @Test
  void tryAcquire_fixedWindowEnds_nextWindowAllowsAgain() {
    RateLimiter limiter =
        RedisRateLimiter.newBuilder(client())
            .fixedWindow(2, Duration.ofMillis(300))
            .keyPrefix("short:")
            .build();
    assertThat(limiter.tryAcquire("k")).isTrue();
    assertThat(limiter.tryAcquire("k")).isTrue();
    assertThat(limiter.tryAcquire("k")).isFalse();
    // Redis's clock decides; wait for the window's hash to expire rather than sleep a guess
    Polling.awaitUntil(
        Duration.ofSeconds(5), "the window expires", () -> !redis.raw().exists("short:k"));
    assertThat(limiter.tryAcquire("k")).isTrue();
    assertThat(limiter.tryAcquire("k")).isTrue();
    assertThat(limiter.tryAcquire("k")).isFalse();
  }

  @Test
  void tryAcquire_twoInstancesRacing_shareOneLimit() throws Exception {
    for (boolean sliding : new boolean[] {false, true}) {
      String prefix = sliding ? "shared-sliding:" : "shared-fixed:";
      var a = builder(client(), sliding, 150, Duration.ofHours(1)).keyPrefix(prefix).build();
      var b = builder(client(), sliding, 150, Duration.ofHours(1)).keyPrefix(prefix).build();
      var allowed = new AtomicInteger();
      var start = new CountDownLatch(1);
      var futures = new ArrayList<Future<?>>();
      try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 1_000; i++) {
          RateLimiter limiter = i % 2 == 0 ? a : b;
          futures.add(
              executor.submit(() -> {
                start.await();
                if (limiter.tryAcquire("hot")) {
                  allowed.incrementAndGet();
                }
                return null;
              }));
        }
        start.countDown();
        for (Future<?> f : futures) {
          f.get();
        }
      }
      assertThat(allowed).as("sliding=%s", sliding).hasValue(150);
    }
  }

  private static RedisRateLimiterBuilder builder(
      RedisClient client, boolean sliding, int limit, Duration period) {
    var builder = RedisRateLimiter.newBuilder(client);
    return sliding ? builder.slidingWindow(limit, period) : builder.fixedWindow(limit, period);
  }

  @Test
  void acquire_slidingWindow_allowsLimitThenDenies() {
    RateLimiter limiter =
        RedisRateLimiter.newBuilder(client())
            .slidingWindow(10, Duration.ofHours(1))
            .keyPrefix("sliding:")
            .build();
    for (int i = 9; i >= 0; i--) {
      assertThat(limiter.acquire("k")).isEqualTo(RateLimitDecision.allowed(i));
    }
    RateLimitDecision denied = limiter.acquire("k");
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofHours(2));
    // kept for this window and the next, which reads it as "previous"
    assertThat(redis.raw().pttl("sliding:k")).isPositive().isLessThanOrEqualTo(2 * 3_600_000);
  }

  @Test
  void banFor_firstDenialBansAcrossInstances() {
    var registry = new SimpleMeterRegistry();
    RateLimiter a =
        RedisRateLimiter.newBuilder(client())
            .fixedWindow(1, Duration.ofMinutes(1))
            .banFor(Duration.ofMinutes(10))
            .keyPrefix("ban:")
            .name("api")
            .meterRegistry(registry)
            .build();
    RateLimiter b =
        RedisRateLimiter.newBuilder(client())
            .fixedWindow(1, Duration.ofMinutes(1))
            .banFor(Duration.ofMinutes(10))
            .keyPrefix("ban:")
            .build();
    assertThat(a.tryAcquire("k")).isTrue();
    assertThat(a.acquire("k").retryAfter()).isEqualTo(Duration.ofMinutes(10));
    RateLimitDecision onB = b.acquire("k");
    assertThat(onB.allowed()).isFalse();
    assertThat(onB.retryAfter())
        .isGreaterThan(Duration.ofMinutes(9))
        .isLessThanOrEqualTo(Duration.ofMinutes(10));
    assertThat(redis.raw().pttl("ban:k")).isGreaterThan(9 * 60_000L);
    assertThat(
            registry
                .get("ratelimit.decisions")
                .tag("limiter", "api")
                .tag("result", "allowed")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(
            registry
                .get("ratelimit.decisions")
                .tag("limiter", "api")
                .tag("result", "banned")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void acquire_scriptFlushed_reloadsItself() {
    RateLimiter limiter =
        RedisRateLimiter.newBuilder(client())
            .fixedWindow(5, Duration.ofMinutes(1))
            .keyPrefix("flush:")
            .build();
    assertThat(limiter.tryAcquire("k")).isTrue();
    redis.raw().scriptFlush();
    assertThat(limiter.acquire("k")).isEqualTo(RateLimitDecision.allowed(3));
  }

  @Test
  void builder_requiresOneWindowAndChecksArguments() {
    var client = client();
    assertThatThrownBy(() -> RedisRateLimiter.newBuilder(client).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fixedWindow");
    var builder = RedisRateLimiter.newBuilder(client).fixedWindow(1, Duration.ofSeconds(1));
    assertThatThrownBy(() -> builder.slidingWindow(1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fixedWindow(1, PT1S)");
    assertThatThrownBy(() -> builder.banFor(Duration.ofNanos(10)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> RedisRateLimiter.newBuilder(client).fixedWindow(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(builder.build().redisDownPolicy()).isEqualTo(RedisDownPolicy.FAIL_OPEN);
  }
}
