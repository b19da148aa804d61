package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Concurrently;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A {@link CachingProxy} under many virtual threads: one target call per key, interrupts. */
class CachingProxyConcurrencyTest {

  interface Catalog {
    @Cached
    String fetch(String key) throws InterruptedException;

    @Cached
    String fetchQuietly(String key);

    @Invalidates(value = "fetch", keys = "key")
    void update(String key, String value);
  }

  /** A target whose first call of each method can be held until the test releases it. */
  static final class HeldCatalog implements Catalog {
    final Map<String, String> values = new ConcurrentHashMap<>();
    final AtomicInteger runs = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);

    /** When set, every run arrives here and waits until all expected runs are inside. */
    volatile @Nullable CountDownLatch allInside;

    @Override
    public String fetch(String key) throws InterruptedException {
      int run = runs.incrementAndGet();
      String value = values.getOrDefault(key, key + "-v1");
      CountDownLatch barrier = allInside;
      if (barrier != null) {
        barrier.countDown();
        barrier.await();
      } else if (run == 1) {
        release.await();
      }
      return value + "#" + run;
    }

    @Override
    public String fetchQuietly(String key) {
      try {
        return fetch(key);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void update(String key, String value) {
      values.put(key, value);
    }
  }

  private final HeldCatalog target = new HeldCatalog();
  private final Catalog catalog = CachingProxy.of(Catalog.class, target);

  private Thread startFirstCall(String key, AtomicReference<Object> outcome) {
    var thread =
        Thread.ofVirtual()
            .start(() -> {
              try {
                outcome.set(catalog.fetch(key));
              } catch (Throwable t) {
                outcome.set(t);
              }
            });
    Concurrently.awaitUntil(
        Duration.ofSeconds(10), "the first call reaches the target", () -> target.runs.get() == 1);
    return thread;
  }

  @ParameterizedTest(name = "{0} callers")
  @ValueSource(ints = {100, 10_000})
  void concurrentEqualCalls_runTheTargetOnce(int callers) throws Exception {
    var first = startFirstCall("hot", new AtomicReference<>());
    // Released once every caller has missed: each then either waits on the running call or, if
    // it comes late, finds its stored result; none may call the target again.
    Thread.ofVirtual()
        .start(() -> {
          Concurrently.awaitUntil(
              Duration.ofSeconds(30),
              "every caller misses",
              () -> CachingProxy.stats(catalog, "fetch").missCount() == callers + 1);
          target.release.countDown();
        });

    var results =
        Concurrently.run(callers, Duration.ofSeconds(60), i -> () -> catalog.fetch("hot"));
    first.join();

    assertThat(target.runs).hasValue(1);
    assertThat(results).allSatisfy(r -> assertThat(r.value()).isEqualTo("hot-v1#1"));
    assertThat(CachingProxy.stats(catalog, "fetch").coalescedCount()).isEqualTo(callers);
  }

  @Test
  void differentArguments_runInParallel() throws Exception {
    int keys = 50;
    // Each call waits inside the target until all of them are there: only parallel calls can.
    target.allInside = new CountDownLatch(keys);

    var results =
        Concurrently.run(keys, Duration.ofSeconds(30), i -> () -> catalog.fetchQuietly("k" + i));

    for (int i = 0; i < keys; i++) {
      assertThat(results.get(i).value()).startsWith("k" + i + "-v1#");
    }
    assertThat(target.runs).hasValue(keys);
    assertThat(CachingProxy.stats(catalog, "fetchQuietly").loadCount()).isEqualTo(keys);
  }

  @Test
  void invalidatesDuringARunningCall_theCallDoesNotCacheItsStaleResult() throws Exception {
    var stale = new AtomicReference<Object>();
    var reader = startFirstCall("k", stale);

    catalog.update("k", "k-v2");
    target.release.countDown();
    reader.join();

    assertThat(stale).hasValue("k-v1#1");
    assertThat(catalog.fetch("k")).isEqualTo("k-v2#2");
    assertThat(catalog.fetch("k")).isEqualTo("k-v2#2");
  }

  @Test
  void interruptedWaiter_onAMethodDeclaringInterruptedException_getsIt_andTheCallGoesOn()
      throws Exception {
    var ownerResult = new AtomicReference<Object>();
    var owner = startFirstCall("k", ownerResult);
    var waiterFailure = new AtomicReference<Throwable>();
    var waiterStillInterrupted = new AtomicBoolean(true);
    var waiter =
        Thread.ofVirtual()
            .start(() -> {
              try {
                catalog.fetch("k");
              } catch (Throwable t) {
                waiterFailure.set(t);
                waiterStillInterrupted.set(Thread.currentThread().isInterrupted());
              }
            });
    Concurrently.awaitParked(waiter);

    waiter.interrupt();
    waiter.join();
    target.release.countDown();
    owner.join();

    assertThat(waiterFailure.get()).isInstanceOf(InterruptedException.class);
    assertThat(waiterStillInterrupted).isFalse();
    assertThat(ownerResult).hasValue("k-v1#1");
    assertThat(catalog.fetch("k")).isEqualTo("k-v1#1");
    assertThat(target.runs).hasValue(1);
  }

  @Test
  void interruptedWaiter_onAMethodNotDeclaringIt_getsCacheLoadException_withItsInterruptKept()
      throws Exception {
    var owner = Thread.ofVirtual().start(() -> catalog.fetchQuietly("k"));
    Concurrently.awaitUntil(
        Duration.ofSeconds(10), "the first call reaches the target", () -> target.runs.get() == 1);
    var waiterFailure = new AtomicReference<Throwable>();
    var waiterStillInterrupted = new AtomicBoolean();
    var waiter =
        Thread.ofVirtual()
            .start(() -> {
              try {
                catalog.fetchQuietly("k");
              } catch (Throwable t) {
                waiterFailure.set(t);
                waiterStillInterrupted.set(Thread.currentThread().isInterrupted());
              }
            });
    Concurrently.awaitParked(waiter);

    waiter.interrupt();
    waiter.join();
    target.release.countDown();
    owner.join();

    assertThat(waiterFailure.get())
        .isInstanceOf(CacheLoadException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(waiterStillInterrupted).isTrue();
    assertThat(catalog.fetchQuietly("k")).isEqualTo("k-v1#1");
  }

  @Test
  void interruptedOwner_getsTheTargetsInterruptedException_andAWaiterTakesTheCallOver()
      throws Exception {
    var ownerResult = new AtomicReference<Object>();
    var owner = startFirstCall("k", ownerResult);
    var waiterResult = new AtomicReference<Object>();
    var waiter =
        Thread.ofVirtual()
            .start(() -> {
              try {
                waiterResult.set(catalog.fetch("k"));
              } catch (Throwable t) {
                waiterResult.set(t);
              }
            });
    Concurrently.awaitParked(waiter);

    owner.interrupt();
    owner.join();
    waiter.join();

    assertThat(ownerResult.get()).isInstanceOf(InterruptedException.class);
    assertThat(waiterResult).hasValue("k-v1#2");
    assertThat(target.runs).hasValue(2);
  }
}
