package dev.loomcache.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.redis.internal.ValueFormat;
import dev.loomcache.spi.StoredValue;
import dev.loomcache.testsupport.Polling;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Write-behind: per-key order, flush on close, a bounded queue whose overflow is repaired. */
class RedisWriteBehindTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();

  private String valueInRedis(String key) {
    byte[] bytes = redis.raw().get(("users:" + key).getBytes(UTF_8));
    return bytes == null ? null : new String(ValueFormat.decode(bytes).bytes(), UTF_8);
  }

  @Test
  void burstOfPutInvalidatePairs_onTheSameKeys_neverLeavesAnInvalidatedValue() throws Exception {
    var service = redis.services().start("users:", b -> b.writeMode(WriteMode.WRITE_BEHIND));
    var start = new CountDownLatch(1);
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 50; t++) {
        int thread = t;
        executor.submit(() -> {
          start.await();
          for (int i = 0; i < 200; i++) {
            String key = "k" + (i % 10);
            service.cache().put(key, "t" + thread + "-" + i);
            service.cache().invalidate(key); // every put is followed by its invalidate
          }
          return null;
        });
      }
      start.countDown();
    }
    service.cache().close(); // flushes

    for (int k = 0; k < 10; k++) {
      assertThat(valueInRedis("k" + k)).as("k" + k).isNull();
    }
  }

  @Test
  void lastWriteOfAKey_isTheOneLeftInRedis() {
    var service = redis.services().start("users:", b -> b.writeMode(WriteMode.WRITE_BEHIND));
    for (int i = 0; i < 1_000; i++) {
      service.cache().put("k", "v" + i);
      service.cache().invalidate("k");
    }
    service.cache().put("k", "last");
    service.cache().close();

    assertThat(valueInRedis("k")).isEqualTo("last");
  }

  @Test
  void close_flushesEveryQueuedWrite() {
    var service = redis.services().start("users:", b -> b.writeMode(WriteMode.WRITE_BEHIND));
    for (int i = 0; i < 1_000; i++) {
      service.cache().put("k" + i, "v" + i);
    }
    service.cache().close();

    for (int i = 0; i < 1_000; i++) {
      assertThat(valueInRedis("k" + i)).isEqualTo("v" + i);
    }
    assertThat(service.tier().stats().writeBehindQueueSize()).isZero();
  }

  @Test
  void fullQueue_dropsAndCounts_readsSeeQueuedWrites_andDroppedKeysAreRepaired() {
    var service =
        redis
            .services()
            .startSilent(
                "users:",
                b ->
                    b.writeMode(WriteMode.WRITE_BEHIND)
                        .writeBehindQueueCapacity(4)
                        .writeBehindThreads(1)
                        .commandTimeout(
                            Duration.ofSeconds(3)) // the flusher stays stuck while Redis is paused
                        .failureThreshold(100));
    for (int i = 0; i < 20; i++) {
      redis
          .raw()
          .set(
              ("users:k" + i).getBytes(UTF_8),
              ValueFormat.encode(
                  StoredValue.of(("old" + i).getBytes(UTF_8), StoredValue.NEVER_EXPIRES)));
    }
    redis.server().pause();

    for (int i = 0; i < 20; i++) {
      service.cache().put("k" + i, "new" + i);
    }

    RedisTierStats stats = service.tier().stats();
    assertThat(stats.writeBehindQueueSize()).isEqualTo(4);
    assertThat(stats.droppedWriteCount()).isEqualTo(16);
    StoredValue queued = service.tier().read("k1"); // from the queue: Redis is paused
    assertThat(new String(queued.bytes(), UTF_8)).isEqualTo("new1");

    redis.server().resume();
    Polling.awaitUntil(
        Duration.ofSeconds(20),
        "the queue drains and dropped keys are repaired",
        () ->
            service.tier().stats().writeBehindQueueSize() == 0
                && service.tier().stats().repairedKeyCount() >= 16
                && service.tier().stats().pendingRepairCount() == 0);
    for (int i = 0; i < 4; i++) {
      assertThat(valueInRedis("k" + i)).isEqualTo("new" + i);
    }
    for (int i = 4; i < 20; i++) {
      assertThat(valueInRedis("k" + i)).as("k" + i + " must not keep its old value").isNull();
    }
  }
}
