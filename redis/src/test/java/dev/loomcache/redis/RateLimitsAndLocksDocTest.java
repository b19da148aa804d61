package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.limit.RateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * The Redis half of {@code docs/rate-limits-and-locks.md}, compiled and run against a real {@code
 * redis-server}; core's {@code DocPagesTest} checks that the page shows it as it is.
 */
class RateLimitsAndLocksDocTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();

  /** Stands in for the page's report builder, which takes the lock's fencing token. */
  static final class Reports {
    final List<Long> tokens = new CopyOnWriteArrayList<>();

    void build(long fencingToken) {
      tokens.add(fencingToken);
    }
  }

  @Test
  void sharedLimiterAndLock() throws Exception {
    try (RedisClient jedis =
        RedisClient.builder().hostAndPort("127.0.0.1", redis.server().port()).build()) {
      var reports = new Reports();

      // README-BEGIN redis-rate-limiter
      RateLimiter shared = RedisRateLimiter.newBuilder(jedis)                    // every instance shares it
          .slidingWindow(100, Duration.ofMinutes(1)).keyPrefix("api:").build();
      // README-END redis-rate-limiter
      RedisLocks locks = RedisLocks.newBuilder(jedis).keyPrefix("locks:").build();
      // README-BEGIN redis-lock
      try (RedisLock.Held held = locks.lock("nightly-report", Duration.ofSeconds(30), Duration.ofSeconds(5))) {
        reports.build(held.fencingToken());            // pass the token to what you protect
      }
      // README-END redis-lock

      for (int i = 0; i < 100; i++) {
        assertThat(shared.tryAcquire("u1")).isTrue();
      }
      assertThat(shared.acquire("u1").allowed()).isFalse();
      assertThat(jedis.exists("api:u1")).isTrue();
      try (RedisLock.Held again =
          locks.lock("nightly-report", Duration.ofSeconds(30), Duration.ofSeconds(5))) {
        assertThat(again.fencingToken()).isGreaterThan(reports.tokens.getFirst());
      }
      assertThat(locks.isLocked("nightly-report")).isFalse();
      locks.close();
      shared.close();
    }
  }
}
