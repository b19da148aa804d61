package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CacheWarmupTest {

  @Test
  void warmup_loadsEveryAbsentKeyOnce_neverReloadsOrOverwritesPresentOnes() {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      cache.put("present", "kept");
      var calls = new AtomicInteger();
      var loaders = new LinkedHashMap<String, Callable<String>>();
      loaders.put("present", () -> "overwritten?" + calls.incrementAndGet());
      for (int i = 0; i < 50; i++) {
        String key = "k" + i;
        loaders.put(
            key,
            () -> {
              calls.incrementAndGet();
              return "v-" + key;
            });
      }

      WarmupResult<String> result = cache.warmup(loaders);

      assertThat(calls).hasValue(50);
      assertThat(result.loaded()).hasSize(50).doesNotContain("present");
      assertThat(result.skipped()).containsExactly("present");
      assertThat(result.failed()).isEmpty();
      assertThat(cache.getIfPresent("present")).isEqualTo("kept");
      assertThat(cache.getIfPresent("k7")).isEqualTo("v-k7");
    }
  }

  @Test
  void warmup_oneFailureDoesNotStopTheOthers() {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      var failure = new java.io.IOException("no");
      Map<String, Callable<String>> loaders =
          Map.of(
              "good", () -> "g",
              "bad",
                  () -> {
                    throw failure;
                  },
              "also-good", () -> "a");

      WarmupResult<String> result = cache.warmup(loaders);

      assertThat(result.loaded()).containsExactlyInAnyOrder("good", "also-good");
      assertThat(result.failed()).containsOnlyKeys("bad");
      assertThat(result.failed().get("bad")).isSameAs(failure);
      assertThat(cache.getIfPresent("bad")).isNull();
    }
  }

  @Test
  void warmup_runsAtMostMaxConcurrentBatchesLoadsAtOnce() {
    try (Cache<Integer, Integer> cache = Loomcache.newBuilder().maxConcurrentBatches(3).build()) {
      var running = new AtomicInteger();
      var maxRunning = new AtomicInteger();
      var loaders = new LinkedHashMap<Integer, Callable<Integer>>();
      for (int i = 0; i < 40; i++) {
        int key = i;
        loaders.put(
            key,
            () -> {
              maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
              Thread.yield();
              running.decrementAndGet();
              return key;
            });
      }

      WarmupResult<Integer> result = cache.warmup(loaders);

      assertThat(result.loaded()).hasSize(40);
      assertThat(maxRunning.get()).isBetween(1, 3);
    }
  }

  @Test
  void warmup_badArguments_areRejected() {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      assertThatThrownBy(() -> cache.warmup(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("loaders");
      var withNullLoader = new java.util.HashMap<String, Callable<String>>();
      withNullLoader.put("k", null);
      assertThatThrownBy(() -> cache.warmup(withNullLoader))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("loader");
    }
  }
}
