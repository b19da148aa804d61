package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.Polling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** Redis killed, paused and restarted under a cache: callers never see it, the tier comes back. */
class RedisTierFailureTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.perTest();
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeTiersAndCaches() throws Exception {
    redis.server().resume();
    for (AutoCloseable closeable : opened.reversed()) {
      closeable.close();
    }
  }

  private RedisTier tier() {
    var client = RedisClient.create("127.0.0.1", redis.server().port());
    opened.add(client);
    return RedisTier.newBuilder(client)
        .keyPrefix("users:")
        .commandTimeout(Duration.ofMillis(200))
        .failureThreshold(5)
        .probeInterval(Duration.ofMillis(50))
        .build();
  }

  /** A cache whose L1 stores nothing, so that every get goes to Redis. */
  private Cache<String, String> cacheWithoutL1(RedisTier tier) {
    Cache<String, String> cache =
        Loomcache.newBuilder()
            .maximumSize(0)
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(tier)
            .build();
    opened.add(cache);
    return cache;
  }

  private Cache<String, String> cache(RedisTier tier) {
    Cache<String, String> cache =
        Loomcache.newBuilder()
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(tier)
            .build();
    opened.add(cache);
    return cache;
  }

  @Test
  void sigkillDuringTenThousandGets_noCallerFails_loaderServes_breakerOpens_restartResumes()
      throws Exception {
    RedisTier tier = tier();
    Cache<String, String> cache = cacheWithoutL1(tier);
    for (int k = 0; k < 100; k++) {
      cache.put("k" + k, "v-k" + k);
    }
    var loads = new AtomicInteger();
    var completed = new AtomicInteger();
    var failures = new ConcurrentLinkedQueue<Throwable>();
    var wrong = new ConcurrentLinkedQueue<String>();

    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      var tasks = new ArrayList<Future<?>>();
      for (int t = 0; t < 100; t++) {
        int thread = t;
        tasks.add(
            executor.submit(() -> {
              for (int i = 0; i < 100; i++) {
                String key = "k" + ((thread + i) % 100);
                try {
                  String value =
                      cache.get(
                          key,
                          () -> {
                            loads.incrementAndGet();
                            return "v-" + key;
                          });
                  if (!("v-" + key).equals(value)) {
                    wrong.add(key + "=" + value);
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
                if (completed.incrementAndGet() == 3_000) {
                  redis.server().kill(); // SIGKILL, a third of the way through
                }
              }
            }));
      }
      for (Future<?> task : tasks) {
        task.get();
      }
    }

    assertThat(completed).hasValue(10_000);
    assertThat(failures).isEmpty();
    assertThat(wrong).isEmpty();
    assertThat(loads.get()).isGreaterThan(0); // after the kill, the loader served
    assertThat(tier.stats().breakerOpenCount()).isGreaterThanOrEqualTo(1);
    assertThat(tier.stats().skippedCommandCount())
        .isGreaterThan(1_000); // Redis skipped, not timed out

    redis.server().restart(); // same port, empty
    Polling.awaitUntil(
        Duration.ofSeconds(10),
        "the breaker closes and the repairs are done",
        () -> !tier.stats().breakerOpen() && tier.stats().pendingRepairCount() == 0);
    try (var raw = RedisClient.create("127.0.0.1", redis.server().port())) {
      cache.put("after", "restart");
      assertThat(raw.exists("users:after")).isTrue();
      int loadsBefore = loads.get();
      assertThat(cache.get("after", () -> "loaded")).isEqualTo("restart"); // an L2 hit again
      assertThat(loads).hasValue(loadsBefore);
    }
  }

  @Test
  void sigstop_getsAreBoundedByTheCommandTimeoutThenByTheBreaker() throws Exception {
    RedisTier tier = tier();
    Cache<String, String> cache = cacheWithoutL1(tier);
    cache.put("k", "stored");
    redis.server().pause();

    var slowest = Duration.ZERO;
    for (int i = 0; i < 200; i++) {
      long start = System.nanoTime();
      assertThat(cache.get("k", () -> "loaded")).isEqualTo("loaded");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      slowest = took.compareTo(slowest) > 0 ? took : slowest;
    }

    // Each get did a read and a write: the first ones paid the 200 ms timeout, then the breaker
    // opened and the rest skipped Redis. Generous bounds: timings on a shared machine vary.
    assertThat(slowest).isLessThan(Duration.ofSeconds(1));
    RedisTierStats stats = tier.stats();
    assertThat(stats.breakerOpen()).isTrue();
    assertThat(stats.commandTimeoutCount()).isBetween(5L, 20L);
    assertThat(stats.skippedCommandCount()).isGreaterThan(350);

    redis.server().resume();
    // Writes that failed during the pause are repaired (deleted) once Redis answers; a put before
    // the repair is done could be deleted by it (a miss, never a stale value).
    Polling.awaitUntil(
        Duration.ofSeconds(10),
        "the breaker closes and the repairs are done",
        () -> !tier.stats().breakerOpen() && tier.stats().pendingRepairCount() == 0);
    cache.put("k", "stored again");
    assertThat(cache.get("k", () -> "loaded")).isEqualTo("stored again");
  }

  @Test
  void invalidateWhileTheBreakerIsOpen_isAppliedToRedisWhenItAnswersAgain() throws Exception {
    RedisTier failing = tier();
    Cache<String, String> a = cache(failing);
    Cache<String, String> b = cache(tier());
    a.put("u1", "v0");
    assertThat(b.get("u1", () -> "loaded")).isEqualTo("v0");

    redis.server().pause();
    for (int i = 0; !failing.stats().breakerOpen(); i++) {
      assertThat(a.getIfPresent("missing" + i)).isNull(); // each read times out
    }
    a.invalidate("u1"); // skipped: the breaker is open
    assertThat(failing.stats().pendingRepairCount()).isEqualTo(1);
    redis.server().resume();

    Polling.awaitUntil(
        Duration.ofSeconds(10),
        "the delete reaches Redis",
        () -> failing.stats().repairedKeyCount() == 1);
    try (var raw = RedisClient.create("127.0.0.1", redis.server().port())) {
      assertThat(raw.exists("users:u1")).isFalse();
    }
    Polling.awaitUntil(
        Duration.ofSeconds(10),
        "b drops its stale copy",
        () -> "reloaded".equals(b.get("u1", () -> "reloaded")));
  }
}
