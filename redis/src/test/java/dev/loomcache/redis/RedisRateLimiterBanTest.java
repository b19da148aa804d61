package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.limit.RateLimitDecision;
import dev.loomcache.limit.RateLimiter;
import dev.loomcache.testsupport.Polling;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * Bans of the Redis fixed window against the window's end, on Redis's clock: a ban that outlasts
 * the window keeps the key until the ban ends, then a fresh window starts; a ban that ends inside a
 * full window is followed by another ban at the next call, as in process.
 */
class RedisRateLimiterBanTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();
  private RedisClient client;

  private RateLimiter limiter(Duration period, Duration ban, String prefix) {
    client = RedisClient.create("127.0.0.1", redis.server().port());
    return RedisRateLimiter.newBuilder(client)
        .fixedWindow(1, period)
        .banFor(ban)
        .keyPrefix(prefix)
        .build();
  }

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void banFor_banOutlastsWindow_keyKeptUntilBanEndsThenFreshWindow() {
    try (RateLimiter limiter = limiter(Duration.ofMillis(200), Duration.ofSeconds(3), "long:")) {
      assertThat(limiter.acquire("k")).isEqualTo(RateLimitDecision.allowed(0));
      RateLimitDecision banned = limiter.acquire("k");
      assertThat(banned.allowed()).isFalse();
      assertThat(banned.retryAfter()).isEqualTo(Duration.ofSeconds(3));
      assertThat(redis.raw().pttl("long:k")).isGreaterThan(2_000); // not the window's 200 ms
      var allowedDuringBan = new AtomicBoolean();
      // Calls only while over a second of the ban is left, so that none races its end.
      Polling.awaitUntil(
          Duration.ofSeconds(10),
          "the ban ends",
          () -> {
            long left = redis.raw().pttl("long:k");
            if (left > 1_000 && limiter.tryAcquire("k")) {
              allowedDuringBan.set(true);
            }
            return left == -2; // no such key
          });
      assertThat(allowedDuringBan).isFalse();
      assertThat(limiter.acquire("k")).isEqualTo(RateLimitDecision.allowed(0));
    }
  }

  @Test
  void banFor_banEndsInsideFullWindow_nextCallBansAgain() {
    Duration ban = Duration.ofMillis(500);
    try (RateLimiter limiter = limiter(Duration.ofMinutes(1), ban, "short:")) {
      assertThat(limiter.tryAcquire("k")).isTrue();
      assertThat(limiter.acquire("k").retryAfter()).isEqualTo(ban);
      var allowed = new AtomicBoolean();
      var sawRest = new AtomicBoolean();
      // Calls during the ban answer with its rest (less than the ban once a millisecond has
      // passed; polls are at most 32 ms apart); the first call after it starts a new, whole ban.
      Polling.awaitUntil(
          Duration.ofSeconds(10),
          "a second ban",
          () -> {
            RateLimitDecision d = limiter.acquire("k");
            allowed.compareAndSet(false, d.allowed());
            if (d.retryAfter().compareTo(ban) < 0) {
              sawRest.set(true);
              return false;
            }
            return sawRest.get() && d.retryAfter().equals(ban);
          });
      assertThat(allowed).as("the window is still full").isFalse();
      assertThat(redis.raw().pttl("short:k")).isGreaterThan(30_000); // the window's expiry
    }
  }
}
