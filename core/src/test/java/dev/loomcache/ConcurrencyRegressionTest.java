package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.spi.CacheTier;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.StoredValue;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.Concurrently;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Regressions found in review: each test failed (hung, resurrected a value, or broke an interrupt
 * rule) before its fix. See CONCURRENCY.md for the rules they protect.
 */
class ConcurrencyRegressionTest {

  /** A tier whose delete/clear can be held at a gate. */
  static class GateTier implements CacheTier {
    final ConcurrentHashMap<String, StoredValue> map = new ConcurrentHashMap<>();
    volatile boolean gate;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch go = new CountDownLatch(1);

    @Override
    public String name() {
      return "gate";
    }

    @Override
    public StoredValue read(String k) {
      return map.get(k);
    }

    @Override
    public void write(String k, StoredValue v) {
      map.put(k, v);
    }

    @Override
    public void delete(String k) {
      hold();
      map.remove(k);
    }

    @Override
    public void clear() {
      hold();
      map.clear();
    }

    @Override
    public void close() {}

    private void hold() {
      if (!gate) {
        return;
      }
      entered.countDown();
      try {
        go.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static Cache<String, String> tiered(GateTier tier) {
    return Loomcache.newBuilder()
        .keyCodec(KeyCodec.string())
        .valueCodec(ValueCodec.string())
        .tier(tier)
        .build();
  }

  // invalidate(k) drops L1, then deletes the tier: a load in between promotes the doomed tier
  // value.
  @Test
  void invalidate_withTier_loadBetweenL1AndTierDelete_doesNotResurrect() throws Exception {
    var tier = new GateTier();
    try (Cache<String, String> cache = tiered(tier)) {
      cache.put("k", "old");
      tier.gate = true;
      Thread inv = Thread.ofVirtual().start(() -> cache.invalidate("k"));
      tier.entered.await(); // L1 dropped, tier still holds "old"
      cache.get("k", () -> "fresh"); // new load: tier hit, promoted to L1
      tier.go.countDown();
      inv.join(); // invalidate has returned
      assertThat(tier.map).doesNotContainKey("k");
      assertThat(cache.getIfPresent("k")).isNull();
    }
  }

  @Test
  void invalidateAll_withTier_loadBetweenL1AndTierClear_doesNotResurrect() throws Exception {
    var tier = new GateTier();
    try (Cache<String, String> cache = tiered(tier)) {
      cache.put("k", "old");
      tier.gate = true;
      Thread inv = Thread.ofVirtual().start(cache::invalidateAll);
      tier.entered.await();
      cache.get("k", () -> "fresh");
      tier.go.countDown();
      inv.join();
      assertThat(cache.getIfPresent("k")).isNull();
    }
  }

  // A re-entrant claim in getAll throws after earlier keys were claimed: their flights must not
  // leak.
  @Test
  void getAll_reentrantKey_leavesNoFlightBehind() throws Exception {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      assertThatThrownBy(() ->
              cache.get("a", () -> cache.getAll(List.of("b", "a"), keys -> Map.of()).get("b")))
          .isInstanceOf(IllegalStateException.class);
      // "b" was claimed by this thread and never completed: every later get of "b" hangs
      var r = Concurrently.run(1, Duration.ofSeconds(5), i -> () -> cache.get("b", () -> "b"));
      assertThat(r.getFirst().value()).isEqualTo("b");
    }
  }

  // getAll loading one batch on the caller's thread keeps an interrupt failure to itself.
  @Test
  void getAll_ownerInterrupted_failsOnceAndKeepsItsInterrupt() throws Exception {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      var calls = new AtomicInteger();
      var failure = new AtomicReference<Throwable>();
      var interruptedAfter = new AtomicBoolean();
      Thread t =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  cache.getAll(
                      List.of("k"),
                      keys -> {
                        if (calls.incrementAndGet() == 1) {
                          throw new InterruptedException();
                        }
                        return Map.of("k", "v");
                      });
                } catch (Throwable e) {
                  failure.set(e);
                } finally {
                  interruptedAfter.set(Thread.currentThread().isInterrupted());
                }
              });
      t.join();
      assertThat(calls).hasValue(1);
      assertThat(failure.get()).isInstanceOf(CacheLoadException.class);
      assertThat(interruptedAfter).isTrue();
    }
  }

  @Test
  void getAll_loaderFailingWhileInterrupted_isCalledOnce() {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      var calls = new AtomicInteger();
      try {
        cache.getAll(
            List.of("k"),
            keys -> {
              Thread.currentThread().interrupt();
              if (calls.incrementAndGet() < 10_000) {
                throw new IllegalStateException("cancelled");
              }
              return Map.of("k", "v");
            });
      } catch (RuntimeException expected) {
        // the loader's failure
      }
      Thread.interrupted();
      assertThat(calls).hasValue(1);
    }
  }

  // An interrupted Batcher caller that asks again is not a re-entrant loader.
  @Test
  void batcher_interruptedCaller_laterGetOfSameKey_isNotRecursive() throws Exception {
    try (Cache<String, String> cache =
        Loomcache.newBuilder().batchWindow(Duration.ofHours(1)).build()) {
      Batcher<String, String> batcher = cache.batcher(keys -> Map.of("k", "batched"));
      var second = new AtomicReference<Throwable>();
      Thread t =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  batcher.get("k");
                } catch (CacheLoadException interrupted) {
                  Thread.interrupted();
                  try {
                    cache.get("k", () -> "direct");
                  } catch (Throwable e) {
                    second.set(e);
                  }
                }
              });
      Concurrently.awaitParked(t);
      t.interrupt();
      Concurrently.awaitUntil(
          Duration.ofSeconds(10),
          "second get parks or fails",
          () -> second.get() != null || t.getState() == Thread.State.WAITING);
      assertThat(second.get()).isNull();
    }
  }

  // An interrupted owner whose loader wraps the InterruptedException does not fail its waiters.
  @Test
  void ownerInterrupted_loaderWrapsInterrupt_aWaiterTakesOver() throws Exception {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      var started = new CountDownLatch(1);
      Thread owner =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  cache.get(
                      "k",
                      () -> {
                        started.countDown();
                        try {
                          new CountDownLatch(1).await();
                        } catch (InterruptedException e) {
                          throw new RuntimeException(
                              e); // the common wrap; clears nothing more than await did
                        }
                        return "owner";
                      });
                } catch (RuntimeException expected) {
                  // the owner's own failure
                }
              });
      started.await();
      var waiter = new AtomicReference<Object>();
      Thread w =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  waiter.set(cache.get("k", () -> "waiter"));
                } catch (Throwable e) {
                  waiter.set(e);
                }
              });
      Concurrently.awaitUntil(
          Duration.ofSeconds(10),
          "waiter parks",
          () -> ((LocalCache<String, String>) cache).parkedCount("k") == 1);
      owner.interrupt();
      w.join();
      assertThat(waiter.get()).isEqualTo("waiter");
    }
  }

  // Batch permits are cache-wide; a batch loader that reads another batcher must not deadlock.
  @Test
  void nestedBatchers_withOnePermit_complete() throws Exception {
    try (Cache<String, String> cache =
        Loomcache.newBuilder().batchWindow(Duration.ZERO).maxConcurrentBatches(1).build()) {
      Batcher<String, String> orgs = cache.batcher(keys -> Map.of("org", "o"));
      Batcher<String, String> users = cache.batcher(keys -> Map.of("user", "u+" + orgs.get("org")));
      var r = Concurrently.run(1, Duration.ofSeconds(5), i -> () -> users.get("user"));
      assertThat(r.getFirst().value()).isEqualTo("u+o");
    }
  }

  @Test
  void nestedBatchers_sameBatcherRecursively_withOnePermit_complete() throws Exception {
    try (Cache<String, String> cache =
        Loomcache.newBuilder().batchWindow(Duration.ZERO).maxConcurrentBatches(1).build()) {
      var self = new AtomicReference<Batcher<String, String>>();
      self.set(
          cache.batcher(keys ->
              keys.contains("parent")
                  ? Map.of("parent", "p+" + self.get().get("child"))
                  : Map.of("child", "c")));
      var r = Concurrently.run(1, Duration.ofSeconds(10), i -> () -> self.get().get("parent"));
      assertThat(r.getFirst().value()).isEqualTo("p+c");
    }
  }

  @Test
  void warmup_keyWhoseOtherLoaderWasAbandoned_isLoadedNotSkipped() throws Exception {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      var started = new CountDownLatch(1);
      Thread owner =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  cache.get(
                      "k",
                      () -> {
                        started.countDown();
                        new CountDownLatch(1).await(); // until interrupted
                        return "never";
                      });
                } catch (CacheLoadException expected) {
                  // the owner's own interrupt
                }
              });
      started.await();
      var result = new AtomicReference<WarmupResult<String>>();
      Thread warmer =
          Thread.ofVirtual().start(() -> result.set(cache.warmup(Map.of("k", () -> "warmed"))));
      Concurrently.awaitUntil(
          Duration.ofSeconds(10),
          "warmup parks on the load of k",
          () -> ((LocalCache<String, String>) cache).parkedCount("k") == 1);

      owner.interrupt();
      warmer.join();

      assertThat(result.get().loaded()).containsExactly("k");
      assertThat(cache.getIfPresent("k")).isEqualTo("warmed");
    }
  }

  @Test
  void getIfPresent_ofItsOwnKeyFromALoader_withTiers_returnsNull() {
    var tier = new GateTier();
    try (Cache<String, String> cache = tiered(tier)) {
      assertThat(cache.get("k", () -> String.valueOf(cache.getIfPresent("k")))).isEqualTo("null");
    }
  }

  @Test
  void close_calledConcurrently_closesTiersOnce() throws Exception {
    var closes = new AtomicInteger();
    var tier =
        new GateTier() {
          @Override
          public void close() {
            closes.incrementAndGet();
          }
        };
    Cache<String, String> cache = tiered(tier);
    Concurrently.run(
        16,
        Duration.ofSeconds(10),
        i ->
            () -> {
              cache.close();
              return null;
            });
    assertThat(closes).hasValue(1);
  }
}
