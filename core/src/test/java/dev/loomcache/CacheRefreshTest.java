package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Refresh-ahead ({@code refreshAfter}), on a fake ticker. */
class CacheRefreshTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final FakeTicker ticker = new FakeTicker();
  private final Cache<String, String> cache =
      Loomcache.newBuilder()
          .ticker(ticker::read)
          .defaultTtl(Duration.ofMinutes(10))
          .refreshAfter(Duration.ofMinutes(1))
          .build();
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch reloading = new CountDownLatch(1);
  private final AtomicInteger reloads = new AtomicInteger();

  @AfterEach
  void close() {
    release.countDown();
    cache.close();
  }

  private LocalCache<String, String> local() {
    return (LocalCache<String, String>) cache;
  }

  /** A loader that counts, signals that it runs, waits for {@link #release}, then returns. */
  private String blockingReload(String value) throws InterruptedException {
    reloads.incrementAndGet();
    reloading.countDown();
    if (!release.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("never released");
    }
    return value;
  }

  private void awaitReloadsDone() {
    Concurrently.awaitUntil(WAIT, "the reloads end", () -> local().refreshingCount() == 0);
  }

  @Test
  void staleHit_returnsStoredValueWithoutParking_andStartsExactlyOneReload() throws Exception {
    cache.get("k", () -> "v1");
    ticker.advance(Duration.ofMinutes(2));

    // 1,000 concurrent stale hits all return while the one reload is held: none of them parks.
    var results =
        Concurrently.run(1_000, WAIT, i -> () -> cache.get("k", () -> blockingReload("v2")));

    assertThat(results).allSatisfy(r -> assertThat(r.value()).isEqualTo("v1"));
    assertThat(reloading.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(reloads).hasValue(1);
    release.countDown();
    awaitReloadsDone();
    assertThat(reloads).hasValue(1);
    assertThat(cache.stats().refreshCount()).isEqualTo(1);
    assertThat(cache.stats().hitCount()).isEqualTo(1_000);
  }

  @Test
  void reload_replacesTheValue_andRestartsTheRefreshPeriod() throws Exception {
    cache.get("k", () -> "v1");
    ticker.advance(Duration.ofMinutes(2));
    release.countDown();

    assertThat(cache.get("k", () -> blockingReload("v2"))).isEqualTo("v1");
    awaitReloadsDone();

    assertThat(cache.get("k", () -> "unused")).isEqualTo("v2");
    assertThat(reloads).hasValue(1);
    ticker.advance(Duration.ofSeconds(59));
    cache.get("k", () -> blockingReload("v3"));
    awaitReloadsDone();
    assertThat(reloads).as("the new entry is not due yet").hasValue(1);
  }

  @Test
  void hitBeforeRefreshAfter_startsNothing() {
    cache.get("k", () -> "v1");
    ticker.advance(Duration.ofMinutes(1).minusNanos(1));

    assertThat(cache.get("k", () -> "v2")).isEqualTo("v1");

    assertThat(local().refreshingCount()).isZero();
    assertThat(cache.stats().refreshCount()).isZero();
  }

  @Test
  void invalidateDuringReload_isNotUndone() throws Exception {
    cache.get("k", () -> "v1");
    ticker.advance(Duration.ofMinutes(2));
    cache.get("k", () -> blockingReload("v2"));
    assertThat(reloading.await(30, TimeUnit.SECONDS)).isTrue();

    cache.invalidate("k");
    release.countDown();
    awaitReloadsDone();

    assertThat(cache.getIfPresent("k")).isNull();
  }

  @Test
  void putDuringReload_wins() throws Exception {
    cache.get("k", () -> "v1");
    ticker.advance(Duration.ofMinutes(2));
    cache.get("k", () -> blockingReload("v2"));
    assertThat(reloading.await(30, TimeUnit.SECONDS)).isTrue();

    cache.put("k", "put");
    release.countDown();
    awaitReloadsDone();

    assertThat(cache.getIfPresent("k")).isEqualTo("put");
  }

  @Test
  void failingReload_keepsTheStoredValue_isCounted_andALaterHitTriesAgain() {
    cache.get("k", () -> "v1");
    ticker.advance(Duration.ofMinutes(2));

    assertThat(
            cache.get(
                "k",
                () -> {
                  throw new IllegalStateException("database down");
                }))
        .isEqualTo("v1");
    Concurrently.awaitUntil(
        WAIT, "the failure is counted", () -> cache.stats().refreshFailureCount() == 1);
    awaitReloadsDone();
    assertThat(cache.getIfPresent("k")).isEqualTo("v1");

    assertThat(cache.get("k", () -> "v2")).isEqualTo("v1");
    Concurrently.awaitUntil(
        WAIT, "the second reload stores", () -> "v2".equals(cache.getIfPresent("k")));
    awaitReloadsDone();
    assertThat(cache.stats().refreshCount()).isEqualTo(1);
    assertThat(cache.stats().refreshFailureCount()).isEqualTo(1);
  }

  @Test
  void reload_usesTheTriggeringCallsLoader() {
    cache.get("k", () -> "from-first-loader");
    ticker.advance(Duration.ofMinutes(2));

    cache.get("k", () -> "from-triggering-loader");
    awaitReloadsDone();

    assertThat(cache.getIfPresent("k")).isEqualTo("from-triggering-loader");
  }

  @Test
  void getIfPresent_neverRefreshes() {
    cache.get("k", () -> "v1");
    ticker.advance(Duration.ofMinutes(5));

    for (int i = 0; i < 100; i++) {
      assertThat(cache.getIfPresent("k")).isEqualTo("v1");
    }

    assertThat(local().refreshingCount()).isZero();
    assertThat(cache.stats().refreshCount() + cache.stats().refreshFailureCount()).isZero();
  }

  @Test
  void missDuringReload_joinsIt() throws Exception {
    var shortTtl =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .defaultTtl(Duration.ofMinutes(2))
            .refreshAfter(Duration.ofMinutes(1))
            .build();
    try (shortTtl) {
      @SuppressWarnings("unchecked")
      var c = (Cache<String, String>) (Cache<?, ?>) shortTtl;
      c.get("k", () -> "v1");
      ticker.advance(Duration.ofSeconds(90));
      c.get("k", () -> blockingReload("v2"));
      assertThat(reloading.await(30, TimeUnit.SECONDS)).isTrue();
      ticker.advance(Duration.ofMinutes(1)); // the entry expires while it is being reloaded

      var missLoads = new AtomicInteger();
      var result = new AtomicReference<String>();
      Thread miss =
          Thread.ofVirtual()
              .start(() -> result.set(c.get("k", () -> "miss-" + missLoads.incrementAndGet())));
      Concurrently.awaitUntil(
          WAIT,
          "the miss parks on the reload",
          () -> ((LocalCache<String, String>) c).parkedCount("k") == 1);
      release.countDown();
      miss.join();

      assertThat(result.get()).isEqualTo("v2");
      assertThat(missLoads).hasValue(0);
    }
  }

  @Test
  void close_duringReload_interruptsIt_andLeavesNoThread() throws Exception {
    var reloadThread = new AtomicReference<Thread>();
    cache.get("k", () -> "v1");
    ticker.advance(Duration.ofMinutes(2));
    cache.get(
        "k",
        () -> {
          reloadThread.set(Thread.currentThread());
          return blockingReload("v2");
        });
    assertThat(reloading.await(30, TimeUnit.SECONDS)).isTrue();

    cache.close();

    assertThat(reloadThread.get().isAlive()).isFalse();
    assertThat(local().refreshingCount()).isZero();
  }

  @Test
  void staleHitsAfterClose_areRefused() {
    cache.get("k", () -> "v1");
    ticker.advance(Duration.ofMinutes(2));
    cache.close();

    assertThat(local().refreshingCount()).isZero();
  }

  @Test
  void batcherKeys_areReloadedThroughTheBatchLoader_batched() throws Exception {
    var calls = new CopyOnWriteArrayList<Set<String>>();
    var version = new AtomicInteger(1);
    Batcher<String, String> batcher =
        cache.batcher(
            keys -> {
              calls.add(Set.copyOf(keys));
              var values = new java.util.HashMap<String, String>();
              for (String key : keys) {
                values.put(key, key + "-v" + version.get());
              }
              return values;
            },
            BatchOptions.defaults().window(Duration.ofMillis(50)));
    assertThat(batcher.getAll(List.of("a", "b"))).containsEntry("a", "a-v1");
    calls.clear();
    version.set(2);
    ticker.advance(Duration.ofMinutes(2));

    assertThat(batcher.getAll(List.of("a", "b")))
        .containsEntry("a", "a-v1")
        .containsEntry("b", "b-v1");

    Concurrently.awaitUntil(
        WAIT,
        "both keys are reloaded",
        () -> "a-v2".equals(cache.getIfPresent("a")) && "b-v2".equals(cache.getIfPresent("b")));
    assertThat(calls).as("one batch for both keys").containsExactly(Set.of("a", "b"));
    Concurrently.awaitUntil(
        WAIT, "the refreshes are counted", () -> cache.stats().refreshCount() == 2);
  }

  @Test
  void getAllKeys_areReloadedThroughItsBatchLoader_inOneCall() {
    var calls = new CopyOnWriteArrayList<Set<String>>();
    BatchLoader<String, String> loader =
        keys -> {
          calls.add(Set.copyOf(keys));
          var values = new java.util.HashMap<String, String>();
          for (String key : keys) {
            values.put(key, key + "-" + calls.size());
          }
          return values;
        };
    cache.getAll(List.of("a", "b", "c"), loader);
    ticker.advance(Duration.ofMinutes(2));

    Map<String, String> stale = cache.getAll(List.of("a", "b", "c"), loader);

    assertThat(stale).containsEntry("a", "a-1").containsEntry("c", "c-1");
    Concurrently.awaitUntil(
        WAIT, "the keys are reloaded", () -> "c-2".equals(cache.getIfPresent("c")));
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1)).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(new ArrayList<>(List.of(cache.getIfPresent("a"), cache.getIfPresent("b"))))
        .containsExactly("a-2", "b-2");
  }

  @Test
  void reload_withATier_callsTheLoaderNotTheTier_andWritesTheTier() {
    var store = new MapTier.Store();
    try (Cache<String, String> tiered =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .defaultTtl(Duration.ofMinutes(10))
            .refreshAfter(Duration.ofMinutes(1))
            .keyCodec(dev.loomcache.spi.KeyCodec.string())
            .valueCodec(dev.loomcache.spi.ValueCodec.string())
            .tier(new MapTier("t", store))
            .build()) {
      tiered.get("k", () -> "v1");
      ticker.advance(Duration.ofMinutes(2));

      assertThat(tiered.get("k", () -> "v2")).isEqualTo("v1");
      Concurrently.awaitUntil(
          WAIT,
          "the reload ends",
          () -> ((LocalCache<String, String>) tiered).refreshingCount() == 0);

      assertThat(tiered.getIfPresent("k")).isEqualTo("v2");
      assertThat(new String(store.get("k").bytes(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo("v2");
    }
  }
}
