package dev.loomcache.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.spi.StoredValue;
import dev.loomcache.testsupport.Polling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Distributed single-flight: instances share one load through a lease in Redis. */
class RedisSingleFlightTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();

  private static StoredValue stored(String value) {
    return StoredValue.of(value.getBytes(UTF_8), StoredValue.NEVER_EXPIRES);
  }

  @Test
  void twoInstancesRacingOnAMissingKey_withASlowLoader_loadItOnceBetweenThem() throws Exception {
    var a =
        redis.services().start("users:", b -> b.distributedSingleFlight(Duration.ofSeconds(10)));
    var b =
        redis.services().start("users:", o -> o.distributedSingleFlight(Duration.ofSeconds(10)));
    var loads = new AtomicInteger();

    for (int round = 0; round < 5; round++) {
      String key = "k" + round;
      long waitsBefore = a.tier().stats().leaseWaitCount() + b.tier().stats().leaseWaitCount();
      var start = new CountDownLatch(1);
      var results = new ArrayList<Future<String>>();
      try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
        for (var service : new Services.Service[] {a, b}) {
          results.add(
              executor.submit(() -> {
                start.await();
                return service
                    .cache()
                    .get(
                        key,
                        () -> {
                          loads.incrementAndGet();
                          // Slow: still loading when the other instance finds the lease and starts
                          // waiting.
                          Polling.awaitUntil(
                              Duration.ofSeconds(10),
                              "the other instance waits",
                              () ->
                                  a.tier().stats().leaseWaitCount()
                                          + b.tier().stats().leaseWaitCount()
                                      > waitsBefore);
                          return "loaded-" + key;
                        });
              }));
        }
        start.countDown();
        for (Future<String> result : results) {
          assertThat(result.get()).isEqualTo("loaded-" + key);
        }
      }
      assertThat(loads).as("loads after round " + round).hasValue(round + 1);
      assertThat(a.tier().stats().leaseWaitServedCount() + b.tier().stats().leaseWaitServedCount())
          .isEqualTo(round + 1);
    }
    assertThat(a.tier().stats().leaseAcquiredCount() + b.tier().stats().leaseAcquiredCount())
        .isEqualTo(5);
    assertThat(redis.raw().keys("users:__lease:*"))
        .isEmpty(); // every lease released by its holder's write
  }

  @Test
  void leaseHolderThatNeverStores_leaseExpires_andAWaiterTakesOverTheLoad() {
    var dead =
        redis.services().start("users:", o -> o.distributedSingleFlight(Duration.ofMillis(300)));
    var alive =
        redis.services().start("users:", o -> o.distributedSingleFlight(Duration.ofMillis(300)));
    assertThat(dead.tier().readForLoad("k"))
        .isNull(); // took the lease, then "died" without storing
    assertThat(dead.tier().stats().leaseAcquiredCount()).isEqualTo(1);

    var loads = new AtomicInteger();
    assertThat(alive.cache().get("k", () -> "loaded-" + loads.incrementAndGet()))
        .isEqualTo("loaded-1");

    RedisTierStats stats = alive.tier().stats();
    assertThat(stats.leaseWaitCount()).isEqualTo(1);
    assertThat(stats.leaseAcquiredCount()).isEqualTo(1); // took the expired lease over
    assertThat(stats.leaseWaitServedCount()).isZero();
  }

  @Test
  void release_isOwnerChecked_aLeaseTakenOverByAnotherInstanceSurvivesTheOldHoldersWrite() {
    var holder =
        redis.services().start("users:", o -> o.distributedSingleFlight(Duration.ofSeconds(10)));
    assertThat(holder.tier().readForLoad("k")).isNull();
    byte[] leaseKey = "users:__lease:k".getBytes(UTF_8);
    assertThat(redis.raw().exists(leaseKey)).isTrue();
    redis
        .raw()
        .set(leaseKey, "another-instance:1".getBytes(UTF_8)); // as if it expired and was taken over

    holder.tier().write("k", stored("v"));

    assertThat(redis.raw().get(leaseKey)).isEqualTo("another-instance:1".getBytes(UTF_8));
  }

  @Test
  void release_byTheHoldersWriteOrDelete_removesItsLease() {
    var holder =
        redis.services().start("users:", o -> o.distributedSingleFlight(Duration.ofSeconds(10)));
    byte[] leaseKey = "users:__lease:k".getBytes(UTF_8);

    assertThat(holder.tier().readForLoad("k")).isNull();
    holder.tier().write("k", stored("v"));
    assertThat(redis.raw().exists(leaseKey)).isFalse();

    holder.tier().delete("k");
    assertThat(holder.tier().readForLoad("k")).isNull();
    assertThat(redis.raw().exists(leaseKey)).isTrue();
    holder.tier().delete("k");
    assertThat(redis.raw().exists(leaseKey)).isFalse();
  }

  @Test
  void getIfPresent_miss_takesNoLease() {
    var instance =
        redis.services().start("users:", o -> o.distributedSingleFlight(Duration.ofSeconds(10)));

    assertThat(instance.cache().getIfPresent("k")).isNull();
    assertThat(instance.tier().read("k")).isNull();

    assertThat(redis.raw().exists("users:__lease:k".getBytes(UTF_8))).isFalse();
    assertThat(instance.tier().stats().leaseAcquiredCount()).isZero();
  }

  @Test
  void loadThatStoresNothing_releasesItsLeaseAtOnce() {
    var instance =
        redis.services().start("users:", o -> o.distributedSingleFlight(Duration.ofSeconds(30)));
    byte[] leaseKey = "users:__lease:k".getBytes(UTF_8);

    assertThatThrownBy(() ->
            instance
                .cache()
                .get(
                    "k",
                    () -> {
                      assertThat(redis.raw().exists(leaseKey))
                          .isTrue(); // held while the loader runs
                      throw new IllegalStateException("database down");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(redis.raw().exists(leaseKey)).isFalse();

    assertThat(instance.cache().get("k", () -> null)).isNull();
    assertThat(redis.raw().exists(leaseKey)).isFalse();
    assertThat(instance.tier().stats().leaseAcquiredCount()).isEqualTo(2);
  }
}
