package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Concurrently;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The flights of {@code getAll} and {@code Batcher.getAll}: every one leaves the flight table when
 * its batch completes, and a key that a single {@code get} and a batch ask for at once is loaded
 * once, whichever claims it first.
 */
class CacheGetAllFlightsTest {

  private static Map<Integer, String> values(Set<? extends Integer> keys, String prefix) {
    var values = new HashMap<Integer, String>();
    keys.forEach(k -> values.put(k, prefix + k));
    return values;
  }

  private static int inFlight(Cache<Integer, String> cache) {
    return ((LocalCache<Integer, String>) cache).inFlightCount();
  }

  private static List<Integer> range(int from, int to) {
    var keys = new ArrayList<Integer>();
    for (int i = from; i < to; i++) {
      keys.add(i);
    }
    return keys;
  }

  @Test
  void getAll_afterItReturns_noFlightIsLeftAndEveryLoadedKeyIsStoredAndCounted() {
    try (Cache<Integer, String> cache = Loomcache.newBuilder().maxBatchSize(10).build()) {
      // One batch on the caller, then several fanned out, then keys the loader leaves out.
      Map<Integer, String> one = cache.getAll(range(0, 10), keys -> values(keys, "v"));
      Map<Integer, String> many = cache.getAll(range(10, 45), keys -> values(keys, "v"));
      Map<Integer, String> none = cache.getAll(range(45, 50), keys -> Map.of());

      assertThat(one).hasSize(10);
      assertThat(many).hasSize(35);
      assertThat(many.keySet()).containsExactlyElementsOf(range(10, 45));
      assertThat(none).isEmpty();
      assertThat(inFlight(cache)).isZero();
      assertThat(cache.getIfPresent(44)).isEqualTo("v44");
      assertThat(cache.getIfPresent(45)).isNull();
      assertThat(cache.stats().putCount()).isEqualTo(45);
    }
  }

  @Test
  void batcherGetAll_afterItReturns_noFlightIsLeft() {
    try (Cache<Integer, String> cache = Loomcache.newBuilder().maxBatchSize(10).build()) {
      Batcher<Integer, String> batcher = cache.batcher(keys -> values(keys, "b"));

      // 25 keys: two full windows on the caller, the other 5 through a window's batch thread.
      Map<Integer, String> values = batcher.getAll(range(0, 25));

      assertThat(values.keySet()).containsExactlyElementsOf(range(0, 25));
      assertThat(inFlight(cache)).isZero();
      assertThat(cache.stats().putCount()).isEqualTo(25);
    }
  }

  @Test
  void getAll_aGetIsLoadingOneOfItsKeys_waitsForItAndLoadsTheRestOnce() throws Exception {
    try (Cache<Integer, String> cache = Loomcache.newBuilder().build()) {
      var release = new CountDownLatch(1);
      var getLoads = new AtomicInteger();
      Thread getter =
          Thread.ofVirtual()
              .start(() ->
                  cache.get(
                      5,
                      () -> {
                        getLoads.incrementAndGet();
                        release.await();
                        return "from get";
                      }));
      Concurrently.awaitUntil(Duration.ofSeconds(10), "the get loads", () -> inFlight(cache) == 1);
      var batches = new CopyOnWriteArrayList<Set<Integer>>();
      var result = new AtomicReference<Map<Integer, String>>();
      Thread batch =
          Thread.ofVirtual()
              .start(() ->
                  result.set(
                      cache.getAll(
                          range(0, 10),
                          keys -> {
                            batches.add(Set.copyOf(keys));
                            return values(keys, "v");
                          })));
      Concurrently.awaitUntil(
          Duration.ofSeconds(10),
          "the getAll parks on the get's flight",
          () -> ((LocalCache<Integer, String>) cache).parkedCount(5) == 1);

      release.countDown();
      getter.join();
      batch.join();

      assertThat(getLoads).hasValue(1);
      assertThat(batches).hasSize(1);
      assertThat(batches.getFirst()).hasSize(9).doesNotContain(5);
      assertThat(result.get()).containsEntry(5, "from get").containsEntry(0, "v0").hasSize(10);
      assertThat(cache.stats().coalescedCount()).isEqualTo(1);
      assertThat(inFlight(cache)).isZero();
    }
  }

  @Test
  void get_aBatchIsLoadingItsKey_waitsForTheBatchAndNeverLoads() throws Exception {
    try (Cache<Integer, String> cache = Loomcache.newBuilder().build()) {
      var release = new CountDownLatch(1);
      var batchStarted = new CountDownLatch(1);
      var result = new AtomicReference<Map<Integer, String>>();
      Thread batch =
          Thread.ofVirtual()
              .start(() ->
                  result.set(
                      cache.getAll(
                          range(0, 10),
                          keys -> {
                            batchStarted.countDown();
                            release.await();
                            return values(keys, "v");
                          })));
      batchStarted.await();
      var getLoads = new AtomicInteger();
      var got = new AtomicReference<String>();
      Thread getter =
          Thread.ofVirtual()
              .start(() ->
                  got.set(
                      cache.get(
                          5,
                          () -> {
                            getLoads.incrementAndGet();
                            return "from get";
                          })));
      Concurrently.awaitUntil(
          Duration.ofSeconds(10),
          "the get parks on the batch's flight",
          () -> ((LocalCache<Integer, String>) cache).parkedCount(5) == 1);

      release.countDown();
      batch.join();
      getter.join();

      assertThat(getLoads).hasValue(0);
      assertThat(got.get()).isEqualTo("v5");
      assertThat(result.get()).hasSize(10);
      assertThat(inFlight(cache)).isZero();
    }
  }
}
