package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.limit.RateLimiter;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * Round trips to Redis, counted on the client (every command sent) and cross-checked on the server
 * ({@code INFO commandstats}): an uncontended lock acquire plus release takes two, a rate-limit
 * decision one.
 */
class RedisLimitsRoundTripTest {
  private static final int OPS = 200;

  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();
  private final CountingConnectionProvider[] counter = new CountingConnectionProvider[1];
  private RedisClient client;

  private RedisClient countingClient() {
    client = CountingConnectionProvider.client(redis.server().hostAndPort(), counter);
    return client;
  }

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  /** Calls of EVALSHA and EVAL the server has run: commands a script cannot send itself. */
  private static long scriptCalls() {
    long calls = 0;
    for (String line : redis.raw().info("commandstats").split("\r\n")) {
      if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
        calls += Long.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(',')));
      }
    }
    return calls;
  }

  @Test
  void lockThenRelease_uncontended_twoRoundTrips() {
    try (RedisLocks locks = RedisLocks.newBuilder(countingClient()).build()) {
      locks.lock("warm-up", Duration.ofSeconds(30), Duration.ZERO).close(); // loads the scripts
      long sent = counter[0].commandCount();
      long scripts = scriptCalls();
      for (int i = 0; i < OPS; i++) {
        try (RedisLock.Held held = locks.lock("job", Duration.ofSeconds(30), Duration.ZERO)) {
          assertThat(held.isHeld()).isTrue();
        }
      }
      assertThat(counter[0].commandCount() - sent).as("commands sent").isEqualTo(2L * OPS);
      assertThat(scriptCalls() - scripts).as("scripts run by the server").isEqualTo(2L * OPS);
      assertThat(locks.isLocked("job")).isFalse();
    }
  }

  @Test
  void tryLockThenRelease_uncontended_twoRoundTrips() {
    try (RedisLocks locks = RedisLocks.newBuilder(countingClient()).build()) {
      locks.tryLock("warm-up", Duration.ofSeconds(30)).orElseThrow().close();
      long sent = counter[0].commandCount();
      for (int i = 0; i < OPS; i++) {
        locks.tryLock("job", Duration.ofSeconds(30)).orElseThrow().close();
      }
      assertThat(counter[0].commandCount() - sent).isEqualTo(2L * OPS);
    }
  }

  @Test
  void acquire_everyAlgorithm_oneRoundTripPerDecision() {
    RedisClient counting = countingClient();
    var builders =
        new RedisRateLimiterBuilder[] {
          RedisRateLimiter.newBuilder(counting)
              .fixedWindow(10, Duration.ofMinutes(1))
              .keyPrefix("f:"),
          RedisRateLimiter.newBuilder(counting)
              .fixedWindow(10, Duration.ofMinutes(1))
              .banFor(Duration.ofMinutes(1))
              .keyPrefix("fb:"),
          RedisRateLimiter.newBuilder(counting)
              .slidingWindow(10, Duration.ofMinutes(1))
              .keyPrefix("s:")
        };
    for (RedisRateLimiterBuilder builder : builders) {
      try (RateLimiter limiter = builder.build()) {
        limiter.acquire("warm-up"); // loads the script
        long sent = counter[0].commandCount();
        long scripts = scriptCalls();
        long allowed = 0;
        int decisions = 20 * 15; // 20 keys, 15 calls each: 10 allowed, then denied (or banned)
        for (int i = 0; i < decisions; i++) {
          allowed += limiter.tryAcquire("k" + (i % 20)) ? 1 : 0;
        }
        assertThat(allowed).as(limiter.toString()).isEqualTo(20 * 10);
        assertThat(counter[0].commandCount() - sent).as(limiter.toString()).isEqualTo(decisions);
        assertThat(scriptCalls() - scripts).as(limiter.toString()).isEqualTo(decisions);
      }
    }
  }
}
