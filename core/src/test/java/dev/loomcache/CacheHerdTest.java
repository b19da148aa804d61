package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.Concurrently.Result;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Herd protection: many virtual threads, one load per key. */
class CacheHerdTest {

  static <K> int parked(Cache<K, ?> cache, K key) {
    return ((LocalCache<K, ?>) cache).parkedCount(key);
  }

  @ParameterizedTest(name = "{0} callers")
  @ValueSource(ints = {10, 100, 500, 10_000})
  void get_concurrentCallersOfOneMissingKey_makeExactlyOneLoad(int callers) throws Exception {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      var calls = new AtomicInteger();
      // The loader holds until every other caller parks on its flight: they all overlap the load.
      var results =
          Concurrently.run(
              callers,
              Duration.ofSeconds(60),
              i ->
                  () ->
                      cache.get(
                          "hot",
                          () -> {
                            calls.incrementAndGet();
                            Concurrently.awaitUntil(
                                Duration.ofSeconds(30),
                                "every other caller parks",
                                () -> parked(cache, "hot") == callers - 1);
                            return "value-" + calls.get();
                          }));

      assertThat(calls).hasValue(1);
      assertThat(results).allSatisfy(r -> assertThat(r.value()).isEqualTo("value-1"));
      CacheStats stats = cache.stats();
      assertThat(stats.missCount()).isEqualTo(callers);
      assertThat(stats.loadCount()).isEqualTo(1);
      assertThat(stats.coalescedCount()).isEqualTo(callers - 1);
      assertThat(cache.estimatedSize()).isEqualTo(1);
    }
  }

  @Test
  void get_tenThousandVirtualThreadsOnOneMissingKey_oneLoaderCall_allSameValue() throws Exception {
    try (Cache<String, Object> cache = Loomcache.newBuilder().build()) {
      var calls = new AtomicInteger();
      var results =
          Concurrently.run(
              10_000,
              Duration.ofSeconds(60),
              i ->
                  () ->
                      cache.get("k", SlowLoaders.slow(Duration.ofMillis(50), calls, new Object())));

      assertThat(calls).hasValue(1);
      Object first = results.getFirst().value();
      assertThat(first).isNotNull();
      assertThat(results).allSatisfy(r -> assertThat(r.value()).isSameAs(first));
    }
  }

  @Test
  void get_hundredDistinctKeysWithSlowLoader_loadInParallel() throws Exception {
    try (Cache<Integer, String> cache = Loomcache.newBuilder().build()) {
      var calls = new AtomicInteger();
      long start = System.nanoTime();

      var results =
          Concurrently.run(
              100,
              Duration.ofSeconds(30),
              i -> () -> cache.get(i, SlowLoaders.slow(Duration.ofMillis(50), calls, "v" + i)));

      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      assertThat(calls).hasValue(100);
      for (int i = 0; i < 100; i++) {
        assertThat(results.get(i).value()).isEqualTo("v" + i);
      }
      // Serial loads would take 5 s; parallel ones about 50 ms. The bound is loose for slow CI.
      assertThat(elapsed).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void get_slowLoadOfOneKey_neverBlocksOtherKeys() throws Exception {
    try (Cache<Integer, String> cache = Loomcache.newBuilder().build()) {
      var release = new CountDownLatch(1);
      var slowStarted = new CountDownLatch(1);
      Thread slow =
          Thread.ofVirtual()
              .start(() ->
                  cache.get(
                      0,
                      () -> {
                        slowStarted.countDown();
                        release.await();
                        return "slow";
                      }));
      slowStarted.await();

      // Thousands of other keys, many of them in the slow key's hash bin, load while it is stuck.
      for (int key = 1; key <= 5_000; key++) {
        int k = key;
        assertThat(cache.get(k, () -> "fast" + k)).isEqualTo("fast" + k);
      }
      cache.put(64, "put");
      cache.invalidate(128);

      release.countDown();
      slow.join();
      assertThat(cache.getIfPresent(0)).isEqualTo("slow");
    }
  }

  @Test
  void get_failingLoader_everyConcurrentCallerGetsTheFailure_nothingCached() throws Exception {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      var calls = new AtomicInteger();
      var failure = new IOException("database down");
      int callers = 200;

      var results =
          Concurrently.run(
              callers,
              Duration.ofSeconds(30),
              i ->
                  () ->
                      cache.get(
                          "k",
                          () -> {
                            calls.incrementAndGet();
                            Concurrently.awaitUntil(
                                Duration.ofSeconds(20),
                                "every other caller parks",
                                () -> parked(cache, "k") == callers - 1);
                            throw failure;
                          }));

      assertThat(calls).hasValue(1);
      assertThat(results)
          .allSatisfy(r -> {
            assertThat(r.failure()).isInstanceOf(CacheLoadException.class).hasCause(failure);
          });
      assertThat(cache.getIfPresent("k")).isNull();
      assertThat(cache.get("k", () -> "recovered")).isEqualTo("recovered");
    }
  }

  @Test
  void get_failingLoaderWithUncheckedException_everyCallerGetsTheSameInstance() throws Exception {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      var failure = new IllegalStateException("boom");
      int callers = 50;

      var results =
          Concurrently.run(
              callers,
              Duration.ofSeconds(30),
              i ->
                  () ->
                      cache.get(
                          "k",
                          () -> {
                            Concurrently.awaitUntil(
                                Duration.ofSeconds(20),
                                "every other caller parks",
                                () -> parked(cache, "k") == callers - 1);
                            throw failure;
                          }));

      assertThat(results).extracting(Result::failure).containsOnly(failure);
      assertThat(cache.estimatedSize()).isZero();
    }
  }
}
