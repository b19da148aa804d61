package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.loomcache.testsupport.Polling;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** Redis killed while a lock is held: clear exceptions, no hang. */
class RedisLocksFailureTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.perTest();

  @Test
  void redisKilledWhileHeld_releaseThrowsAndWatchdogGivesUp() {
    try (var client = RedisClient.create("127.0.0.1", redis.server().port());
        var locks = RedisLocks.newBuilder(client).build()) {
      RedisLock.Held held = locks.lock("job", Duration.ofMillis(600), Duration.ZERO);
      redis.server().kill();
      // The watchdog cannot renew; once its last lease has run out it stops believing.
      Polling.awaitUntil(
          Duration.ofSeconds(10),
          "the holder knows it may have lost the lock",
          () -> !held.isHeld());
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () -> {
            assertThatThrownBy(held::release)
                .isInstanceOf(RedisLockException.class)
                .hasMessageContaining("Could not release lock 'job'");
            assertThatThrownBy(
                    () -> locks.lock("job", Duration.ofSeconds(1), Duration.ofMinutes(5)))
                .isInstanceOf(RedisLockException.class)
                .hasMessageContaining("Could not acquire lock 'job'");
            assertThatThrownBy(() -> locks.isLocked("job")).isInstanceOf(RedisLockException.class);
          });
      assertThat(locks.heldCount()).isZero();
    }
  }
}
