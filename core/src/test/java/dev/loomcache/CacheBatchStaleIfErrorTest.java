package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.FakeTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code staleIfError} for batch loads ({@code getAll}, {@code Batcher}) and batch refreshes, on a
 * fake ticker: the cases of {@link CacheStaleIfErrorTest}, for a failing batch loader.
 */
class CacheBatchStaleIfErrorTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final FakeTicker ticker = new FakeTicker();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Cache<String, String> cache =
      Loomcache.newBuilder()
          .name("batch-stale")
          .ticker(ticker::read)
          .defaultTtl(Duration.ofMinutes(1))
          .staleIfError(Duration.ofMinutes(10))
          .meterRegistry(registry)
          .build();
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger batchCalls = new AtomicInteger();

  @AfterEach
  void close() {
    release.countDown();
    cache.close();
  }

  private LocalCache<String, String> local() {
    return (LocalCache<String, String>) cache;
  }

  private static Map<String, String> values(Set<? extends String> keys, String version) {
    var values = new HashMap<String, String>();
    for (String key : keys) {
      values.put(key, key + "-" + version);
    }
    return values;
  }

  private static Map<String, String> fail() {
    throw new IllegalStateException("database down");
  }

  /** A batch loader that counts, signals, waits for {@link #release}, then throws. */
  private Map<String, String> blockThenFail(Set<? extends String> keys)
      throws InterruptedException {
    batchCalls.incrementAndGet();
    entered.countDown();
    assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
    return fail();
  }

  private final BatchLoader<String, String> notCalled =
      keys -> {
        batchCalls.incrementAndGet();
        return values(keys, "not-called");
      };

  @Test
  void getAll_insideGrace_aFailingBatchGivesTheCallerAndEveryWaiterTheStaleValues()
      throws Exception {
    cache.getAll(List.of("a", "b"), keys -> values(keys, "v1"));
    ticker.advance(Duration.ofMinutes(2));

    var owner = new AtomicReference<Map<String, String>>();
    Thread ownerThread =
        Thread.ofVirtual()
            .start(() -> owner.set(cache.getAll(List.of("a", "b"), this::blockThenFail)));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    var singles = new ConcurrentLinkedQueue<String>();
    var maps = new ConcurrentLinkedQueue<Map<String, String>>();
    var waiters = new ArrayList<Thread>();
    for (int i = 0; i < 5; i++) {
      waiters.add(Thread.ofVirtual().start(() -> singles.add(cache.get("a", () -> "not-called"))));
      waiters.add(
          Thread.ofVirtual().start(() -> maps.add(cache.getAll(List.of("a", "b"), notCalled))));
    }
    Concurrently.awaitUntil(WAIT, "10 waiters park on key a", () -> local().parkedCount("a") == 10);
    release.countDown();
    ownerThread.join();
    for (Thread waiter : waiters) {
      waiter.join();
    }

    assertThat(owner.get()).containsExactly(Map.entry("a", "a-v1"), Map.entry("b", "b-v1"));
    assertThat(singles).hasSize(5).containsOnly("a-v1");
    assertThat(maps)
        .hasSize(5)
        .allSatisfy(
            map -> assertThat(map).containsExactly(Map.entry("a", "a-v1"), Map.entry("b", "b-v1")));
    assertThat(batchCalls).as("one batch load for everyone").hasValue(1);
    // The owner's two keys, the five single waiters, the five getAll waiters' two keys each.
    assertThat(cache.stats().staleServedCount()).isEqualTo(2 + 5 + 10);
    assertThat(
            registry
                .get("cache.stale.served")
                .tag("cache", "batch-stale")
                .functionCounter()
                .count())
        .isEqualTo(17);
    assertThat(cache.getIfPresent("a")).as("a stale value is served, never stored again").isNull();
  }

  @Test
  void getAll_aKeyWithoutAStaleValueFails_whileTheStaleKeysWaitersGetTheStaleValue()
      throws Exception {
    cache.get("a", () -> "a-v1");
    ticker.advance(Duration.ofMinutes(2));

    var ownerFailure = new AtomicReference<Throwable>();
    Thread ownerThread =
        Thread.ofVirtual()
            .start(() -> {
              try {
                cache.getAll(List.of("new", "a"), this::blockThenFail);
              } catch (Throwable t) {
                ownerFailure.set(t);
              }
            });
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    var waiterValue = new AtomicReference<String>();
    Thread waiter = Thread.ofVirtual().start(() -> waiterValue.set(cache.get("a", () -> "x")));
    Concurrently.awaitUntil(WAIT, "the waiter parks on key a", () -> local().parkedCount("a") == 1);
    release.countDown();
    ownerThread.join();
    waiter.join();

    assertThat(ownerFailure.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("database down");
    assertThat(waiterValue.get()).isEqualTo("a-v1");
    assertThat(batchCalls).hasValue(1);
    assertThat(cache.stats().staleServedCount()).isEqualTo(1);
  }

  @Test
  void getAll_outsideGrace_theBatchFailureIsThrown() {
    cache.getAll(List.of("a", "b"), keys -> values(keys, "v1"));
    ticker.advance(Duration.ofMinutes(11));

    assertThatThrownBy(() -> cache.getAll(List.of("a", "b"), keys -> fail()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("database down");
    assertThat(cache.stats().staleServedCount()).isZero();
  }

  @Test
  void getAll_insideGrace_aSuccessfulBatchReplacesTheStaleValues() {
    cache.getAll(List.of("a", "b"), keys -> values(keys, "v1"));
    ticker.advance(Duration.ofMinutes(2));

    assertThat(cache.getAll(List.of("a", "b"), keys -> values(keys, "v2")))
        .containsExactly(Map.entry("a", "a-v2"), Map.entry("b", "b-v2"));

    assertThat(cache.getIfPresent("a")).isEqualTo("a-v2");
    ticker.advance(Duration.ofSeconds(59));
    assertThat(cache.getAll(List.of("a", "b"), keys -> fail()))
        .containsEntry("a", "a-v2")
        .containsEntry("b", "b-v2");
    assertThat(cache.stats().staleServedCount()).isZero();
  }

  @Test
  void getAll_beforeTheTtl_theValuesAreHits() {
    cache.getAll(List.of("a", "b"), keys -> values(keys, "v1"));
    ticker.advance(Duration.ofMinutes(1).minusNanos(1));

    assertThat(cache.getAll(List.of("a", "b"), keys -> fail())).containsEntry("b", "b-v1");
    assertThat(cache.stats().batchFailureCount()).isZero();
  }

  @Test
  void getAll_aBatchAnsweredFromStaleValues_doesNotCancelTheOtherBatches() throws Exception {
    try (Cache<String, String> batched =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .defaultTtl(Duration.ofMinutes(1))
            .staleIfError(Duration.ofMinutes(10))
            .maxBatchSize(2)
            .build()) {
      batched.getAll(List.of("a", "b"), keys -> values(keys, "v1"));
      ticker.advance(Duration.ofMinutes(2));
      var calls = new CopyOnWriteArrayList<Set<String>>();
      var otherStarted = new CountDownLatch(1);
      var interrupted = new AtomicBoolean();

      Map<String, String> result =
          batched.getAll(
              List.of("a", "b", "c", "d"),
              keys -> {
                calls.add(Set.copyOf(keys));
                if (keys.contains("a")) {
                  assertThat(otherStarted.await(30, TimeUnit.SECONDS)).isTrue();
                  return fail(); // a and b are answered from their stale values
                }
                try {
                  // A fail-fast cancel of this batch would arrive within this window.
                  new CountDownLatch(1).await(500, TimeUnit.MILLISECONDS);
                  otherStarted.countDown();
                  new CountDownLatch(1).await(500, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                  interrupted.set(true);
                  throw e;
                }
                return values(keys, "v2");
              });

      assertThat(result)
          .containsExactly(
              Map.entry("a", "a-v1"),
              Map.entry("b", "b-v1"),
              Map.entry("c", "c-v2"),
              Map.entry("d", "d-v2"));
      assertThat(interrupted).as("the batch of c and d was not cancelled").isFalse();
      assertThat(calls).hasSize(2);
      assertThat(batched.stats().staleServedCount()).isEqualTo(2);
    }
  }

  @Test
  void batcher_insideGrace_aFailingBatchGivesEveryCallerTheStaleValue() throws Exception {
    var down = new AtomicBoolean();
    Batcher<String, String> batcher =
        cache.batcher(
            keys -> {
              if (down.get()) {
                return blockThenFail(keys);
              }
              return values(keys, "v1");
            },
            BatchOptions.defaults().window(Duration.ofMillis(5)));
    assertThat(batcher.getAll(List.of("a", "b"))).containsEntry("a", "a-v1");
    ticker.advance(Duration.ofMinutes(2));
    down.set(true);

    var results = new ConcurrentLinkedQueue<String>();
    var first = Thread.ofVirtual().start(() -> results.add(batcher.get("a")));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    var waiters = new ArrayList<Thread>();
    for (int i = 0; i < 5; i++) {
      waiters.add(Thread.ofVirtual().start(() -> results.add(batcher.get("a"))));
      waiters.add(Thread.ofVirtual().start(() -> results.add(cache.get("a", () -> "x"))));
    }
    Concurrently.awaitUntil(WAIT, "11 callers park on key a", () -> local().parkedCount("a") == 11);
    release.countDown();
    first.join();
    for (Thread waiter : waiters) {
      waiter.join();
    }

    assertThat(results).hasSize(11).containsOnly("a-v1");
    assertThat(batchCalls).hasValue(1);
    assertThat(cache.stats().staleServedCount()).isEqualTo(11);
  }

  @Test
  void batcher_outsideGrace_theFailureIsThrown_andAKeyWithoutAStaleValueFails() {
    var down = new AtomicBoolean();
    Batcher<String, String> batcher =
        cache.batcher(
            keys -> {
              if (down.get()) {
                return fail();
              }
              return values(keys, "v1");
            },
            BatchOptions.defaults().window(Duration.ofMillis(5)));
    batcher.get("old");
    ticker.advance(Duration.ofMinutes(5));
    batcher.get("recent");
    ticker.advance(Duration.ofMinutes(7)); // "old" is past TTL + grace, "recent" inside the grace
    down.set(true);

    assertThatThrownBy(() -> batcher.get("old")).hasMessage("database down");
    assertThatThrownBy(() -> batcher.get("never-loaded")).hasMessage("database down");
    assertThat(batcher.get("recent")).isEqualTo("recent-v1");
    assertThat(batcher.getAll(List.of("recent"))).containsExactly(Map.entry("recent", "recent-v1"));
    assertThat(cache.stats().staleServedCount()).isEqualTo(2);
  }

  @Test
  void getAll_withRefreshAfter_aFailedBatchRefreshKeepsTheValuesThroughTtlPlusGrace() {
    try (Cache<String, String> refreshing =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .defaultTtl(Duration.ofMinutes(1))
            .refreshAfter(Duration.ofSeconds(30))
            .staleIfError(Duration.ofMinutes(10))
            .build()) {
      var calls = new AtomicInteger();
      refreshing.getAll(List.of("a", "b"), keys -> values(keys, "v1"));
      BatchLoader<String, String> failing =
          keys -> {
            calls.incrementAndGet();
            return fail();
          };
      ticker.advance(Duration.ofSeconds(45));

      assertThat(refreshing.getAll(List.of("a", "b"), failing)).containsEntry("a", "a-v1");
      Concurrently.awaitUntil(
          WAIT, "the batch refresh fails", () -> refreshing.stats().refreshFailureCount() == 2);
      assertThat(calls).as("one batch refresh for both keys").hasValue(1);
      assertThat(refreshing.getIfPresent("a"))
          .as("the failed refresh kept the value")
          .isEqualTo("a-v1");
      assertThat(refreshing.stats().staleServedCount())
          .as("no caller waited for the refresh")
          .isZero();

      ticker.advance(Duration.ofMinutes(5)); // past the TTL, inside the grace
      assertThat(refreshing.getAll(List.of("a", "b"), failing))
          .containsExactly(Map.entry("a", "a-v1"), Map.entry("b", "b-v1"));
      assertThat(refreshing.stats().staleServedCount()).isEqualTo(2);

      ticker.advance(Duration.ofMinutes(6)); // past TTL + grace
      assertThatThrownBy(() -> refreshing.getAll(List.of("a", "b"), failing))
          .hasMessage("database down");
    }
  }

  @Test
  void batcher_withRefreshAfter_aFailedQueuedRefreshKeepsTheValuesThroughTtlPlusGrace() {
    try (Cache<String, String> refreshing =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .defaultTtl(Duration.ofMinutes(1))
            .refreshAfter(Duration.ofSeconds(30))
            .staleIfError(Duration.ofMinutes(10))
            .build()) {
      var down = new AtomicBoolean();
      Batcher<String, String> batcher =
          refreshing.batcher(
              keys -> {
                if (down.get()) {
                  return fail();
                }
                return values(keys, "v1");
              },
              BatchOptions.defaults().window(Duration.ofMillis(5)));
      batcher.getAll(List.of("a", "b"));
      down.set(true);
      ticker.advance(Duration.ofSeconds(45));

      assertThat(batcher.getAll(List.of("a", "b"))).containsEntry("b", "b-v1");
      Concurrently.awaitUntil(
          WAIT, "the queued refresh fails", () -> refreshing.stats().refreshFailureCount() == 2);
      assertThat(refreshing.getIfPresent("b")).isEqualTo("b-v1");

      ticker.advance(Duration.ofMinutes(5)); // past the TTL, inside the grace
      assertThat(batcher.getAll(List.of("a", "b")))
          .containsExactly(Map.entry("a", "a-v1"), Map.entry("b", "b-v1"));
      assertThat(refreshing.stats().staleServedCount()).isEqualTo(2);

      ticker.advance(Duration.ofMinutes(6)); // past TTL + grace
      assertThatThrownBy(() -> batcher.get("a")).hasMessage("database down");
    }
  }

  @Test
  void withoutStaleIfError_aFailedBatchRefreshKeepsTheValuesUntilTheTtl_thenFails() {
    try (Cache<String, String> refreshing =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .defaultTtl(Duration.ofMinutes(1))
            .refreshAfter(Duration.ofSeconds(30))
            .build()) {
      refreshing.getAll(List.of("a", "b"), keys -> values(keys, "v1"));
      ticker.advance(Duration.ofSeconds(45));

      assertThat(refreshing.getAll(List.of("a", "b"), keys -> fail())).containsEntry("a", "a-v1");
      Concurrently.awaitUntil(
          WAIT, "the batch refresh fails", () -> refreshing.stats().refreshFailureCount() == 2);
      assertThat(refreshing.getIfPresent("a")).isEqualTo("a-v1");

      ticker.advance(Duration.ofSeconds(15)); // at the TTL
      assertThatThrownBy(() -> refreshing.getAll(List.of("a", "b"), keys -> fail()))
          .hasMessage("database down");
      assertThat(refreshing.stats().staleServedCount()).isZero();
    }
  }
}
