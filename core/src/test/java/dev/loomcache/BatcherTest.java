package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.Concurrently;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TierSetup.class)
class BatcherTest {
  private final TierSetup tiers;

  BatcherTest(TierSetup tiers) {
    this.tiers = tiers;
  }

  /** A batch loader that records every batch it receives and returns "V(key)" for each key. */
  static final class RecordingLoader implements BatchLoader<String, String> {
    final List<Set<String>> batches = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, String> load(Set<String> keys) throws Exception {
      batches.add(Set.copyOf(keys));
      var values = new HashMap<String, String>();
      for (String key : keys) {
        values.put(key, "V(" + key + ")");
      }
      return values;
    }

    List<Integer> sizes() {
      var sizes = new ArrayList<Integer>();
      for (Set<String> batch : batches) {
        sizes.add(batch.size());
      }
      Collections.sort(sizes);
      return sizes;
    }
  }

  private Cache<String, String> cache(Duration window, int maxBatchSize) {
    return tiers.builder().batchWindow(window).maxBatchSize(maxBatchSize).build();
  }

  @Test
  void get_threeConcurrentCallersInOneWindow_oneBatchCall_eachGetsItsOwnValue() throws Exception {
    try (Cache<String, String> cache = cache(Duration.ofSeconds(1), 100)) {
      var loader = new RecordingLoader();
      Batcher<String, String> batcher = cache.batcher(loader);

      var results = Concurrently.run(3, Duration.ofSeconds(20), i -> () -> batcher.get("k" + i));

      assertThat(loader.batches).containsExactly(Set.of("k0", "k1", "k2"));
      for (int i = 0; i < 3; i++) {
        assertThat(results.get(i).value()).isEqualTo("V(k" + i + ")");
      }
      assertThat(cache.getIfPresent("k1")).isEqualTo("V(k1)");
      assertThat(batcher.get("k1")).isEqualTo("V(k1)"); // now a hit: no new batch
      assertThat(loader.batches).hasSize(1);
    }
  }

  @Test
  void get_sevenConcurrentKeysWithLongWindowAndSizeThree_loadInBatchesOfThreeThreeOne()
      throws Exception {
    try (Cache<String, String> cache = cache(Duration.ofMillis(500), 3)) {
      var loader = new RecordingLoader();
      Batcher<String, String> batcher = cache.batcher(loader);

      var results = Concurrently.run(7, Duration.ofSeconds(20), i -> () -> batcher.get("k" + i));

      assertThat(loader.sizes()).containsExactly(1, 3, 3);
      assertThat(results).allSatisfy(r -> assertThat(r.value()).startsWith("V(k"));
      CacheStats stats = cache.stats();
      assertThat(stats.batchCount()).isEqualTo(3);
      assertThat(stats.batchedKeyCount()).isEqualTo(7);
      assertThat(stats.largestBatchSize()).isEqualTo(3);
    }
  }

  @Test
  void getAll_fromOneThread_sizeTriggersFlushesAndAFreshWindowFollows() {
    try (Cache<String, String> cache = cache(Duration.ofMillis(200), 3)) {
      var loader = new RecordingLoader();
      Batcher<String, String> batcher = cache.batcher(loader);

      Map<String, String> values = batcher.getAll(List.of("a", "b", "c", "d", "e", "f", "g", "a"));

      assertThat(values.keySet()).containsExactly("a", "b", "c", "d", "e", "f", "g");
      // Batches run concurrently: the order they reach the loader is not fixed.
      assertThat(loader.batches)
          .containsExactlyInAnyOrder(Set.of("a", "b", "c"), Set.of("d", "e", "f"), Set.of("g"));
    }
  }

  @Test
  void get_failingBatchLoader_failsEveryKeyOfThatBatchAndOnlyThatBatch() throws Exception {
    try (Cache<String, String> cache = cache(Duration.ofMillis(300), 2)) {
      var failedBatches = new CopyOnWriteArrayList<Set<String>>();
      var failure = new java.io.IOException("shard down");
      Batcher<String, String> batcher =
          cache.batcher(keys -> {
            if (keys.contains("k0")) {
              failedBatches.add(Set.copyOf(keys));
              throw failure;
            }
            var values = new HashMap<String, String>();
            keys.forEach(k -> values.put(k, "V(" + k + ")"));
            return values;
          });

      var results = Concurrently.run(6, Duration.ofSeconds(20), i -> () -> batcher.get("k" + i));

      assertThat(failedBatches).hasSize(1);
      Set<String> failedKeys = failedBatches.getFirst();
      for (int i = 0; i < 6; i++) {
        String key = "k" + i;
        if (failedKeys.contains(key)) {
          assertThat(results.get(i).failure())
              .isInstanceOf(CacheLoadException.class)
              .hasCause(failure);
          assertThat(cache.getIfPresent(key)).isNull();
        } else {
          assertThat(results.get(i).value()).isEqualTo("V(" + key + ")");
        }
      }
      // the batcher keeps working after a failed batch
      assertThat(batcher.get("k5")).isEqualTo("V(k5)");
    }
  }

  @Test
  void get_keysLeftOutOfTheBatchResult_areAbsentAndNotCached() {
    try (Cache<String, String> cache = cache(Duration.ZERO, 100)) {
      var calls = new AtomicInteger();
      Batcher<String, String> batcher =
          cache.batcher(keys -> {
            calls.incrementAndGet();
            return keys.contains("found") ? Map.of("found", "yes") : Map.of();
          });

      assertThat(batcher.getAll(List.of("found", "missing")))
          .containsExactly(Map.entry("found", "yes"));
      assertThat(batcher.get("missing")).isNull();
      assertThat(cache.getIfPresent("missing")).isNull();
      assertThat(calls).hasValue(2); // "missing" was asked for again: it was not cached as null
    }
  }

  @Test
  void get_interruptedWaiter_leavesAlone_batchCompletesForOthers_batcherKeepsWorking()
      throws Exception {
    try (Cache<String, String> cache = cache(Duration.ofMillis(300), 100)) {
      var release = new CountDownLatch(1);
      var loader = new RecordingLoader();
      Batcher<String, String> batcher =
          cache.batcher(keys -> {
            release.await();
            return loader.load(keys);
          });
      var leavingFailure = new AtomicReference<Throwable>();
      var leavingFlag = new AtomicReference<Boolean>();
      var stayingValue = new AtomicReference<String>();
      Thread leaving =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  batcher.get("a");
                } catch (Throwable t) {
                  leavingFailure.set(t);
                }
                leavingFlag.set(Thread.currentThread().isInterrupted());
              });
      Thread staying = Thread.ofVirtual().start(() -> stayingValue.set(batcher.get("b")));
      Concurrently.awaitParked(leaving);
      Concurrently.awaitParked(staying);

      leaving.interrupt();
      leaving.join();
      release.countDown();
      staying.join();

      assertThat(leavingFailure.get())
          .isInstanceOf(CacheLoadException.class)
          .hasCauseInstanceOf(InterruptedException.class);
      assertThat(leavingFlag.get()).isTrue();
      assertThat(stayingValue.get()).isEqualTo("V(b)");
      assertThat(loader.batches.stream().flatMap(Set::stream)).containsExactlyInAnyOrder("a", "b");
      assertThat(cache.getIfPresent("a"))
          .isEqualTo("V(a)"); // the interrupted caller's key still loaded
      assertThat(batcher.get("c")).isEqualTo("V(c)");
    }
  }

  @Test
  void get_loaderCreatedPerCall_stillBatches_becauseBatchingIsPerBatcherObject() throws Exception {
    try (Cache<String, String> cache = cache(Duration.ofSeconds(1), 100)) {
      var batches = new AtomicInteger();
      Batcher<String, String> batcher = cache.batcher(newLoaderFor(batches));

      Concurrently.run(20, Duration.ofSeconds(20), i -> () -> batcher.get("k" + i));

      assertThat(batches).hasValue(1);
    }
  }

  private static BatchLoader<String, String> newLoaderFor(AtomicInteger batches) {
    return keys -> {
      batches.incrementAndGet();
      var values = new HashMap<String, String>();
      keys.forEach(k -> values.put(k, k));
      return values;
    };
  }

  @Test
  void batches_runConcurrently_neverOneAfterAnotherUnderALock() throws Exception {
    try (Cache<String, String> cache =
        tiers
            .builder()
            .batchWindow(Duration.ZERO)
            .maxBatchSize(1)
            .maxConcurrentBatches(4)
            .build()) {
      var bothRunning = new CountDownLatch(2);
      Batcher<String, String> batcher =
          cache.batcher(keys -> {
            bothRunning.countDown();
            // Each batch waits for the other: batches run one after another would time out here.
            if (!bothRunning.await(20, TimeUnit.SECONDS)) {
              throw new IllegalStateException("batches did not overlap");
            }
            return Map.of(keys.iterator().next(), "ok");
          });

      var results = Concurrently.run(2, Duration.ofSeconds(30), i -> () -> batcher.get("k" + i));

      assertThat(results).allSatisfy(r -> assertThat(r.value()).isEqualTo("ok"));
    }
  }

  @Test
  void maxConcurrentBatches_capsBatchesInFlight() throws Exception {
    try (Cache<String, String> cache =
        tiers
            .builder()
            .batchWindow(Duration.ZERO)
            .maxBatchSize(1)
            .maxConcurrentBatches(2)
            .build()) {
      var running = new AtomicInteger();
      var maxRunning = new AtomicInteger();
      Batcher<String, String> batcher =
          cache.batcher(keys -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.yield();
            running.decrementAndGet();
            return Map.of(keys.iterator().next(), "ok");
          });

      Concurrently.run(50, Duration.ofSeconds(30), i -> () -> batcher.get("k" + i));

      assertThat(maxRunning.get()).isBetween(1, 2);
    }
  }

  @Test
  void getAndBatcherGet_ofTheSameKeyAtTheSameMoment_loadOnce() throws Exception {
    try (Cache<String, String> cache = cache(Duration.ofMillis(100), 100)) {
      var loader = new RecordingLoader();
      Batcher<String, String> batcher = cache.batcher(loader);
      var release = new CountDownLatch(1);
      var started = new CountDownLatch(1);
      var getResult = new AtomicReference<String>();
      Thread getter =
          Thread.ofVirtual()
              .start(() ->
                  getResult.set(
                      cache.get(
                          "k",
                          () -> {
                            started.countDown();
                            release.await();
                            return "from get";
                          })));
      started.await();
      var batchedResult = new AtomicReference<String>();
      Thread batched = Thread.ofVirtual().start(() -> batchedResult.set(batcher.get("k")));
      Concurrently.awaitUntil(
          Duration.ofSeconds(10),
          "the batched caller parks on the get's load",
          () -> CacheHerdTest.parked(cache, "k") == 1);

      release.countDown();
      getter.join();
      batched.join();

      assertThat(getResult.get()).isEqualTo("from get");
      assertThat(batchedResult.get()).isEqualTo("from get");
      assertThat(loader.batches).isEmpty();
    }
  }

  @Test
  void batcherGetThenGet_ofTheSameKey_getWaitsForTheBatch() throws Exception {
    try (Cache<String, String> cache = cache(Duration.ofMillis(100), 100)) {
      var release = new CountDownLatch(1);
      var inBatch = new CountDownLatch(1);
      Batcher<String, String> batcher =
          cache.batcher(keys -> {
            inBatch.countDown();
            release.await();
            return Map.of("k", "from batch");
          });
      var batchedResult = new AtomicReference<String>();
      Thread batched = Thread.ofVirtual().start(() -> batchedResult.set(batcher.get("k")));
      inBatch.await();
      var getLoads = new AtomicInteger();
      var getResult = new AtomicReference<String>();
      Thread getter =
          Thread.ofVirtual()
              .start(() ->
                  getResult.set(
                      cache.get(
                          "k",
                          () -> {
                            getLoads.incrementAndGet();
                            return "from get";
                          })));
      Concurrently.awaitUntil(
          Duration.ofSeconds(10),
          "get parks on the batch",
          () -> CacheHerdTest.parked(cache, "k") == 2);

      release.countDown();
      batched.join();
      getter.join();

      assertThat(getLoads).hasValue(0);
      assertThat(getResult.get()).isEqualTo("from batch");
      assertThat(batchedResult.get()).isEqualTo("from batch");
    }
  }

  @Test
  void tenThousandVirtualThreads_thousandDistinctKeys_eachLoadedOnce_batchesNeverTooLarge()
      throws Exception {
    try (Cache<String, String> cache = cache(Duration.ofMillis(5), 100)) {
      var loadsPerKey = new ConcurrentHashMap<String, AtomicInteger>();
      var largest = new AtomicInteger();
      Batcher<String, String> batcher =
          cache.batcher(keys -> {
            largest.accumulateAndGet(keys.size(), Math::max);
            var values = new HashMap<String, String>();
            for (String key : keys) {
              loadsPerKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
              values.put(key, "V(" + key + ")");
            }
            return values;
          });

      var results =
          Concurrently.run(
              10_000, Duration.ofSeconds(60), i -> () -> batcher.get("k" + (i % 1_000)));

      for (int i = 0; i < 10_000; i++) {
        assertThat(results.get(i).value()).isEqualTo("V(k" + (i % 1_000) + ")");
      }
      assertThat(loadsPerKey).hasSize(1_000);
      assertThat(loadsPerKey.values()).allSatisfy(count -> assertThat(count).hasValue(1));
      assertThat(largest.get()).isLessThanOrEqualTo(100);
      assertThat(cache.stats().largestBatchSize()).isLessThanOrEqualTo(100);
    }
  }

  @Test
  void close_dispatchesTheOpenWindow_andLaterCallsFail() throws Exception {
    Cache<String, String> cache = cache(Duration.ofMinutes(10), 100);
    var loader = new RecordingLoader();
    Batcher<String, String> batcher = cache.batcher(loader);
    var result = new AtomicReference<String>();
    Thread caller = Thread.ofVirtual().start(() -> result.set(batcher.get("k")));
    Concurrently.awaitParked(caller);

    cache.close();
    caller.join();

    assertThat(result.get()).isEqualTo("V(k)");
    assertThatThrownBy(() -> batcher.get("k")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> cache.batcher(loader)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void batchOptions_overrideTheCacheSettings() throws Exception {
    try (Cache<String, String> cache = cache(Duration.ofMinutes(10), 100)) {
      var loader = new RecordingLoader();
      Batcher<String, String> batcher =
          cache.batcher(loader, BatchOptions.defaults().window(Duration.ZERO).maxBatchSize(2));

      assertThat(batcher.getAll(List.of("a", "b", "c"))).hasSize(3); // no 10-minute wait
      assertThat(loader.batches).containsExactlyInAnyOrder(Set.of("a", "b"), Set.of("c"));
    }
  }

  @Test
  void badArguments_areRejected() {
    try (Cache<String, String> cache = cache(Duration.ZERO, 10)) {
      Batcher<String, String> batcher = cache.batcher(new RecordingLoader());
      assertThatThrownBy(() -> batcher.get(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("key");
      assertThatThrownBy(() -> batcher.getAll(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("keys");
      assertThatThrownBy(() -> cache.batcher(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("loader");
      assertThatThrownBy(() -> BatchOptions.defaults().maxBatchSize(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maxBatchSize");
      assertThatThrownBy(() -> BatchOptions.defaults().window(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("window");
      assertThatThrownBy(() -> Loomcache.newBuilder().maxBatchSize(0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Loomcache.newBuilder().batchWindow(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Loomcache.newBuilder().maxConcurrentBatches(0))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
