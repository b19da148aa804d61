package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.limit.RateLimitDecision;
import dev.loomcache.testsupport.Polling;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** What {@link RedisRateLimiter} decides while Redis is down, and that it counts it. */
class RedisRateLimiterFailureTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.perTest();

  @Test
  void acquire_redisKilled_failOpenByDefaultAndCounted() {
    var registry = new SimpleMeterRegistry();
    try (var client = RedisClient.create("127.0.0.1", redis.server().port())) {
      var limiter =
          RedisRateLimiter.newBuilder(client)
              .fixedWindow(1, Duration.ofMinutes(1))
              .name("open")
              .meterRegistry(registry)
              .build();
      assertThat(limiter.tryAcquire("k")).isTrue();
      assertThat(limiter.tryAcquire("k")).isFalse();
      redis.server().kill();
      assertThat(limiter.acquire("k")).isEqualTo(RateLimitDecision.allowed(0));
      assertThat(limiter.tryAcquire("k")).isTrue();
      assertThat(limiter.redisFailureCount()).isEqualTo(2);
      assertThat(
              registry
                  .get("ratelimit.decisions")
                  .tag("result", "redis_down_allowed")
                  .counter()
                  .count())
          .isEqualTo(2.0);

      redis.server().restart(); // an empty Redis: the limit starts again
      Polling.awaitUntil(
          Duration.ofSeconds(10),
          "the limiter reaches Redis again",
          () -> !limiter.tryAcquire("k") && limiter.redisFailureCount() >= 2);
      assertThat(limiter.tryAcquire("k")).isFalse();
    }
  }

  @Test
  void acquire_redisKilled_failClosedDeniesWithRetryAfter() {
    try (var client = RedisClient.create("127.0.0.1", redis.server().port())) {
      var limiter =
          RedisRateLimiter.newBuilder(client)
              .fixedWindow(100, Duration.ofMinutes(1))
              .whenRedisDown(RedisDownPolicy.FAIL_CLOSED)
              .build();
      assertThat(limiter.tryAcquire("k")).isTrue();
      redis.server().kill();
      assertThat(limiter.acquire("k")).isEqualTo(RateLimitDecision.denied(Duration.ofSeconds(1)));
      assertThat(limiter.redisFailureCount()).isEqualTo(1);
    }
  }
}
