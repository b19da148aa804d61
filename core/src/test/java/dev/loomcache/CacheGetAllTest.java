package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class CacheGetAllTest {

  private static BatchLoader<Integer, String> recording(List<Set<Integer>> batches) {
    return keys -> {
      batches.add(Set.copyOf(keys));
      var values = new HashMap<Integer, String>();
      keys.forEach(k -> values.put(k, "v" + k));
      return values;
    };
  }

  @Test
  void getAll_presentKeysFromCache_missingOnesInAsFewBatchesAsTheSizeAllows() {
    try (Cache<Integer, String> cache = Loomcache.newBuilder().maxBatchSize(10).build()) {
      cache.put(0, "cached");
      var batches = new CopyOnWriteArrayList<Set<Integer>>();
      var keys = new ArrayList<Integer>();
      for (int i = 0; i <= 25; i++) {
        keys.add(i);
      }

      Map<Integer, String> values = cache.getAll(keys, recording(batches));

      assertThat(values).hasSize(26).containsEntry(0, "cached").containsEntry(25, "v25");
      assertThat(values.keySet()).containsExactlyElementsOf(keys); // the caller's order
      assertThat(batches).hasSize(3);
      assertThat(batches)
          .allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(10).doesNotContain(0));
      assertThat(cache.getIfPresent(25)).isEqualTo("v25");
      assertThat(cache.stats().batchCount()).isEqualTo(3);
    }
  }

  @Test
  void getAll_keysLeftOutByTheLoader_areAbsentAndNotCached() {
    try (Cache<Integer, String> cache = Loomcache.newBuilder().build()) {
      Map<Integer, String> values =
          cache.getAll(List.of(1, 2, 3), keys -> Map.of(1, "one", 99, "ignored"));

      assertThat(values).containsExactly(Map.entry(1, "one"));
      assertThat(cache.getIfPresent(2)).isNull();
      assertThat(cache.getIfPresent(99)).isNull();
    }
  }

  @Test
  void getAll_keyBeingLoadedByGet_isWaitedFor_notLoadedTwice() throws Exception {
    try (Cache<Integer, String> cache = Loomcache.newBuilder().build()) {
      var started = new CountDownLatch(1);
      var release = new CountDownLatch(1);
      Thread getter =
          Thread.ofVirtual()
              .start(() ->
                  cache.get(
                      1,
                      () -> {
                        started.countDown();
                        release.await();
                        return "from get";
                      }));
      started.await();
      var batches = new CopyOnWriteArrayList<Set<Integer>>();
      var result = new AtomicReference<Map<Integer, String>>();
      Thread bulk =
          Thread.ofVirtual()
              .start(() -> result.set(cache.getAll(List.of(1, 2), recording(batches))));
      Concurrently.awaitUntil(
          Duration.ofSeconds(10),
          "getAll parks on key 1",
          () -> CacheHerdTest.parked(cache, 1) == 1);

      release.countDown();
      getter.join();
      bulk.join();

      assertThat(result.get()).containsEntry(1, "from get").containsEntry(2, "v2");
      assertThat(batches).containsExactly(Set.of(2));
    }
  }

  @Test
  void getAll_failingBatch_throwsItsFailure_failFast_andCachesNothingOfIt() {
    try (Cache<Integer, String> cache = Loomcache.newBuilder().maxBatchSize(2).build()) {
      var failure = new java.io.IOException("down");
      assertThatThrownBy(() ->
              cache.getAll(
                  List.of(1, 2, 3, 4, 5, 6),
                  keys -> {
                    if (keys.contains(3)) {
                      throw failure;
                    }
                    var values = new HashMap<Integer, String>();
                    keys.forEach(k -> values.put(k, "v" + k));
                    return values;
                  }))
          .isInstanceOf(CacheLoadException.class)
          .hasCause(failure);

      assertThat(cache.getIfPresent(3)).isNull();
      assertThat(cache.getIfPresent(4)).isNull();
      // the cache stays usable, and the failure was not cached
      assertThat(cache.getAll(List.of(3), keys -> Map.of(3, "three"))).containsEntry(3, "three");
    }
  }

  @Test
  void getAll_batchLoaderReturningNull_failsWithAClearMessage() {
    try (Cache<Integer, String> cache = Loomcache.newBuilder().build()) {
      assertThatThrownBy(() -> cache.getAll(List.of(1), keys -> null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("batch loader returned null");
    }
  }

  @Test
  void getAll_singleBatch_runsOnTheCallingThread() {
    try (Cache<Integer, String> cache = Loomcache.newBuilder().build()) {
      var loaderThread = new AtomicReference<Thread>();
      cache.getAll(
          List.of(1, 2),
          keys -> {
            loaderThread.set(Thread.currentThread());
            return Map.of(1, "a", 2, "b");
          });
      assertThat(loaderThread.get()).isSameAs(Thread.currentThread());
    }
  }

  @Test
  void getAll_batchLoaderAskingForAKeyOfItsOwnBatch_getsIllegalStateException() {
    try (Cache<Integer, String> cache = Loomcache.newBuilder().build()) {
      assertThatThrownBy(
              () -> cache.getAll(List.of(1, 2), keys -> Map.of(1, cache.get(2, () -> "x"))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Recursive load");
    }
  }

  @Test
  void getAll_concurrentCallersOverlappingKeys_loadEachKeyOnce() throws Exception {
    try (Cache<Integer, String> cache = Loomcache.newBuilder().maxBatchSize(16).build()) {
      var loads = new java.util.concurrent.ConcurrentHashMap<Integer, AtomicInteger>();
      BatchLoader<Integer, String> loader =
          keys -> {
            var values = new HashMap<Integer, String>();
            for (Integer key : keys) {
              loads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
              values.put(key, "v" + key);
            }
            return values;
          };

      var results =
          Concurrently.run(
              100,
              Duration.ofSeconds(30),
              i ->
                  () -> {
                    var keys = new ArrayList<Integer>();
                    for (int k = i % 10; k < 200; k += 3) {
                      keys.add(k);
                    }
                    return cache.getAll(keys, loader);
                  });

      assertThat(results).allSatisfy(r -> assertThat(r.failed()).isFalse());
      assertThat(loads.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    }
  }

  @Test
  void getAll_badArguments_areRejected() {
    try (Cache<Integer, String> cache = Loomcache.newBuilder().build()) {
      assertThatThrownBy(() -> cache.getAll(null, keys -> Map.of()))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("keys");
      assertThatThrownBy(() -> cache.getAll(java.util.Arrays.asList(1, null), keys -> Map.of()))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("keys");
      assertThatThrownBy(() -> cache.getAll(List.of(1), null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("loader");
    }
  }
}
