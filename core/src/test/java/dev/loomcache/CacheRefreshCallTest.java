package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Explicit refresh: {@code Cache.refresh} and {@code Cache.refreshAll}, on a fake ticker with real
 * (virtual) threads; loaders are held with latches, never sleeps.
 */
class CacheRefreshCallTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final FakeTicker ticker = new FakeTicker();
  private final Cache<String, String> cache =
      Loomcache.newBuilder()
          .ticker(ticker::read)
          .defaultTtl(Duration.ofMinutes(10))
          .maxBatchSize(100)
          .build();
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch loading = new CountDownLatch(1);
  private final AtomicInteger loads = new AtomicInteger();

  @AfterEach
  void close() {
    release.countDown();
    cache.close();
  }

  /** A loader body that counts, signals that it runs, waits for {@link #release}, then returns. */
  private String held(String value) throws InterruptedException {
    loads.incrementAndGet();
    loading.countDown();
    if (!release.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("never released");
    }
    return value;
  }

  private void awaitLoading() throws InterruptedException {
    assertThat(loading.await(30, TimeUnit.SECONDS)).as("the reload runs").isTrue();
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(30, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the future completed normally");
  }

  // --- refresh(key, loader) ---

  @Test
  void refresh_replacesTheValue_andCountsARefresh() throws Exception {
    cache.put("k", "v1");

    assertThat(await(cache.refresh("k", () -> "v2"))).isEqualTo("v2");

    assertThat(cache.getIfPresent("k")).isEqualTo("v2");
    assertThat(cache.stats().refreshCount()).isEqualTo(1);
    assertThat(cache.stats().refreshFailureCount()).isZero();
    assertThat(cache.stats().loadCount()).isEqualTo(1);
  }

  @Test
  void refresh_ofAnAbsentKey_loadsAndStoresIt() throws Exception {
    assertThat(await(cache.refresh("k", () -> "v1"))).isEqualTo("v1");

    assertThat(cache.get("k", () -> "unused")).isEqualTo("v1");
  }

  @Test
  void refresh_storesWithTheDefaultTtl() throws Exception {
    cache.put("k", "v1");
    await(cache.refresh("k", () -> "v2"));

    ticker.advance(Duration.ofMinutes(10).minusNanos(1));
    assertThat(cache.getIfPresent("k")).isEqualTo("v2");
    ticker.advance(Duration.ofNanos(1));
    assertThat(cache.getIfPresent("k")).isNull();
  }

  @Test
  void refresh_servesTheOldValueWhileTheReloadRuns_withoutParking() throws Exception {
    cache.put("k", "v1");

    CompletableFuture<String> refreshed = cache.refresh("k", () -> held("v2"));
    awaitLoading();

    // Hits during the reload return the old value at once (they would hang here otherwise).
    var hits = Concurrently.run(100, WAIT, i -> () -> cache.get("k", () -> "unused"));
    assertThat(hits).allSatisfy(r -> assertThat(r.value()).isEqualTo("v1"));
    assertThat(cache.getIfPresent("k")).isEqualTo("v1");
    assertThat(refreshed).isNotDone();

    release.countDown();
    assertThat(await(refreshed)).isEqualTo("v2");
    assertThat(cache.getIfPresent("k")).isEqualTo("v2");
  }

  @Test
  void refresh_returnsBeforeTheReloadRuns_onAThreadOfTheCache() throws Exception {
    var thread = new CompletableFuture<Thread>();
    CompletableFuture<String> refreshed =
        cache.refresh(
            "k",
            () -> {
              thread.complete(Thread.currentThread());
              return held("v");
            });

    assertThat(refreshed).isNotDone(); // the loader is held: the call did not wait for it
    Thread loader = await(thread);
    assertThat(loader).isNotSameAs(Thread.currentThread());
    assertThat(loader.isVirtual()).isTrue();
    assertThat(loader.getName()).startsWith("loomcache-refresh-");
    release.countDown();
    assertThat(await(refreshed)).isEqualTo("v");
  }

  @Test
  void putDuringRefresh_isNeverOverwritten() throws Exception {
    cache.put("k", "v1");
    CompletableFuture<String> refreshed = cache.refresh("k", () -> held("refreshed"));
    awaitLoading();

    cache.put("k", "put");
    release.countDown();

    assertThat(await(refreshed)).as("the future still gets what was loaded").isEqualTo("refreshed");
    assertThat(cache.getIfPresent("k")).isEqualTo("put");
  }

  @Test
  void invalidateDuringRefresh_isNeverUndone() throws Exception {
    cache.put("k", "v1");
    CompletableFuture<String> refreshed = cache.refresh("k", () -> held("refreshed"));
    awaitLoading();

    cache.invalidate("k");
    release.countDown();

    assertThat(await(refreshed)).isEqualTo("refreshed");
    assertThat(cache.getIfPresent("k")).isNull();
  }

  @Test
  void invalidateTagDuringRefresh_isNeverUndone() throws Exception {
    try (Cache<String, String> tagged =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .tags((String key, String value) -> List.of("user"))
            .build()) {
      tagged.put("k", "v1");
      CompletableFuture<String> refreshed = tagged.refresh("k", () -> held("refreshed"));
      awaitLoading();

      tagged.invalidateTag("user");
      release.countDown();

      assertThat(await(refreshed)).isEqualTo("refreshed");
      assertThat(tagged.getIfPresent("k")).isNull();
    }
  }

  @Test
  void invalidateAllDuringRefresh_isNeverUndone() throws Exception {
    cache.put("k", "v1");
    CompletableFuture<String> refreshed = cache.refresh("k", () -> held("refreshed"));
    awaitLoading();

    cache.invalidateAll();
    release.countDown();

    assertThat(await(refreshed)).isEqualTo("refreshed");
    assertThat(cache.getIfPresent("k")).isNull();
  }

  @Test
  void failingRefresh_keepsTheOldValue_failsTheFuture_andIsCounted() throws Exception {
    cache.put("k", "v1");
    var failure = new IllegalStateException("database down");

    CompletableFuture<String> refreshed =
        cache.refresh(
            "k",
            () -> {
              throw failure;
            });

    assertThat(failureOf(refreshed)).isSameAs(failure);
    assertThat(cache.getIfPresent("k")).isEqualTo("v1");
    assertThat(cache.stats().refreshFailureCount()).isEqualTo(1);
    assertThat(cache.stats().refreshCount()).isZero();
  }

  @Test
  void failingRefresh_underStaleIfError_stillFailsTheFuture_andKeepsTheValue() throws Exception {
    try (Cache<String, String> graced =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .defaultTtl(Duration.ofMinutes(1))
            .staleIfError(Duration.ofMinutes(5))
            .build()) {
      graced.put("k", "v1");
      var failure = new IllegalStateException("database down");

      assertThat(
              failureOf(
                  graced.refresh(
                      "k",
                      () -> {
                        throw failure;
                      })))
          .isSameAs(failure);

      assertThat(graced.getIfPresent("k")).isEqualTo("v1");
      assertThat(graced.stats().refreshFailureCount()).isEqualTo(1);
    }
  }

  @Test
  void refreshFutures_failAsTheBlockingCallsThrow() throws Exception {
    var checked = new IOException("disk gone");
    Throwable blocking = null;
    try {
      cache.get(
          "a",
          () -> {
            throw checked;
          });
    } catch (CacheLoadException e) {
      blocking = e;
    }
    assertThat(blocking).isNotNull();

    Throwable refreshed =
        failureOf(
            cache.refresh(
                "b",
                () -> {
                  throw checked;
                }));

    assertThat(refreshed).isInstanceOf(CacheLoadException.class).hasCause(checked);
    assertThat(refreshed.getClass()).isEqualTo(blocking.getClass());
    var error = new AssertionError("an error");
    assertThat(
            failureOf(
                cache.refresh(
                    "c",
                    () -> {
                      throw error;
                    })))
        .isSameAs(error);
  }

  @Test
  void refreshFutures_completeWithTheValuesOfTheBlockingCalls() throws Exception {
    cache.put("k", "v1");
    assertThat(await(cache.refresh("k", () -> "v2"))).isEqualTo(cache.get("k", () -> "unused"));
    assertThat(await(cache.refreshAll(List.of("k", "m"), keys -> Map.of("k", "v3", "m", "m1"))))
        .isEqualTo(cache.getAll(List.of("k", "m"), keys -> Map.of()));
  }

  @Test
  void thousandConcurrentRefreshes_ofOneKey_loadOnce() throws Exception {
    cache.put("k", "v1");

    var calls = Concurrently.run(1_000, WAIT, i -> () -> cache.refresh("k", () -> held("v2")));
    awaitLoading();
    release.countDown();

    for (var call : calls) {
      assertThat(call.failure()).isNull();
      assertThat(await(java.util.Objects.requireNonNull(call.value()))).isEqualTo("v2");
    }
    assertThat(loads).hasValue(1);
    assertThat(cache.stats().refreshCount()).as("joining another load counts nothing").isEqualTo(1);
    assertThat(cache.stats().loadCount()).isEqualTo(1);
  }

  @Test
  void refreshWhileAGetLoads_joinsThatLoad() throws Exception {
    var get =
        CompletableFuture.supplyAsync(
            () -> cache.get("k", () -> held("from get")),
            command -> Thread.ofVirtual().start(command));
    awaitLoading();
    var refreshLoads = new AtomicInteger();

    CompletableFuture<String> refreshed =
        cache.refresh(
            "k",
            () -> {
              refreshLoads.incrementAndGet();
              return "from refresh";
            });
    release.countDown();

    assertThat(await(refreshed)).isEqualTo("from get");
    assertThat(await(get)).isEqualTo("from get");
    assertThat(refreshLoads).hasValue(0);
    assertThat(cache.stats().refreshCount()).isZero();
  }

  @Test
  void getThatMissesDuringARefresh_waitsForIt() throws Exception {
    CompletableFuture<String> refreshed = cache.refresh("k", () -> held("refreshed"));
    var getLoads = new AtomicInteger();
    var get =
        CompletableFuture.supplyAsync(
            () -> cache.get("k", () -> "got" + getLoads.incrementAndGet()),
            command -> Thread.ofVirtual().start(command));
    var local = (LocalCache<String, String>) cache;
    Concurrently.awaitUntil(
        WAIT, "the get parks on the refresh", () -> local.parkedCount("k") == 1);

    release.countDown();

    assertThat(await(get)).isEqualTo("refreshed");
    assertThat(await(refreshed)).isEqualTo("refreshed");
    assertThat(getLoads).hasValue(0);
  }

  @Test
  void getOnTheCallingThread_ofAKeyItsRefreshHasNotStartedYet_waitsInsteadOfFailingAsRecursive()
      throws Exception {
    List<String> keys = IntStream.range(0, 200).mapToObj(i -> "k" + i).toList();
    CompletableFuture<Map<String, String>> refreshed =
        cache.refreshAll(
            keys,
            batch -> {
              held("unused");
              var values = new HashMap<String, String>();
              batch.forEach(k -> values.put(k, "refreshed"));
              return values;
            });
    awaitLoading(); // the first batch is held; k150's batch has not started
    var releaser =
        Thread.ofVirtual()
            .start(() -> {
              Concurrently.awaitUntil(
                  WAIT,
                  "the caller parks on k150",
                  () -> ((LocalCache<String, String>) cache).parkedCount("k150") == 1);
              release.countDown();
            });

    // The calling thread claimed k150 for the refresh; it is not loading it itself.
    assertThat(cache.get("k150", () -> "loaded")).isEqualTo("refreshed");
    releaser.join();
    assertThat(await(refreshed)).hasSize(200);
  }

  @Test
  void refreshFromTheLoaderOfItsOwnKey_isRejected() {
    assertThatThrownBy(() -> cache.get("k", () -> await(cache.refresh("k", () -> "inner"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Recursive load");
  }

  @Test
  void refreshReturningNull_removesTheOldValue_asAGetCachesNothing() throws Exception {
    cache.put("k", "v1");

    assertThat(await(cache.refresh("k", () -> null))).isNull();

    assertThat(cache.getIfPresent("k")).isNull();
  }

  @Test
  void refreshReturningNull_neverRemovesAPutMadeDuringIt() throws Exception {
    cache.put("k", "v1");
    CompletableFuture<String> refreshed =
        cache.refresh(
            "k",
            () -> {
              held("unused");
              return null;
            });
    awaitLoading();

    cache.put("k", "put");
    release.countDown();

    assertThat(await(refreshed)).isNull();
    assertThat(cache.getIfPresent("k")).isEqualTo("put");
  }

  @Test
  void refreshReturningNull_withNegativeTtl_remembersTheAbsence() throws Exception {
    try (Cache<String, String> negative =
        Loomcache.newBuilder().ticker(ticker::read).negativeTtl(Duration.ofMinutes(1)).build()) {
      negative.put("k", "v1");

      assertThat(await(negative.refresh("k", () -> null))).isNull();

      assertThat(negative.get("k", () -> "loaded")).as("a remembered absence").isNull();
      assertThat(negative.stats().negativeHitCount()).isEqualTo(1);
    }
  }

  @Test
  void refresh_withTiers_reloadsFromTheLoader_andWritesTheTiers() throws Exception {
    var tier = new MapTier("t");
    try (Cache<String, String> tiered =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(tier)
            .build()) {
      tiered.put("k", "v1");
      int readsBefore = tier.reads.get();

      assertThat(await(tiered.refresh("k", () -> "v2"))).isEqualTo("v2");

      assertThat(tier.reads.get())
          .as("the tiers hold the value being refreshed")
          .isEqualTo(readsBefore);
      assertThat(
              ValueCodec.string()
                  .decode(java.util.Objects.requireNonNull(tier.store().get("k")).bytes()))
          .isEqualTo("v2");
    }
  }

  @Test
  void refreshReturningNull_withTiers_removesTheTierCopyToo() throws Exception {
    var tier = new MapTier("t");
    try (Cache<String, String> tiered =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(tier)
            .build()) {
      tiered.put("k", "v1");

      assertThat(await(tiered.refresh("k", () -> null))).isNull();

      assertThat(tier.store().get("k")).isNull();
      assertThat(tiered.getIfPresent("k")).isNull();
    }
  }

  @Test
  void refresh_checksItsArguments_andTheClosedState() {
    assertThatThrownBy(() -> cache.refresh(null, () -> "v"))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("key");
    assertThatThrownBy(() -> cache.refresh("k", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("loader");
    assertThatThrownBy(() -> cache.refreshAll(null, keys -> Map.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("keys");
    assertThatThrownBy(() -> cache.refreshAll(java.util.Arrays.asList("a", null), keys -> Map.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("keys must not contain null");
    assertThatThrownBy(() -> cache.refreshAll(List.of("a"), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("loader");

    cache.close();

    assertThatThrownBy(() -> cache.refresh("k", () -> "v"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> cache.refreshAll(List.of("k"), keys -> Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void closeDuringRefresh_interruptsIt_failsTheFuture_andLeavesNoThread() throws Exception {
    cache.put("k", "v1");
    CompletableFuture<String> refreshed = cache.refresh("k", () -> held("never"));
    CompletableFuture<String> joined = cache.refresh("k", () -> "unused");
    awaitLoading();

    cache.close(); // interrupts the reload and the joiner, and joins their threads

    assertThat(((LocalCache<String, String>) cache).refreshingCount()).isZero();
    assertThat(failureOf(refreshed))
        .isInstanceOf(CacheLoadException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(failureOf(joined))
        .isInstanceOf(CacheLoadException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    // NothingLeftBehind then checks that no flight, waiter or reload thread is left.
  }

  @Test
  void asyncView_andRefresh_shareOneFlight() throws Exception {
    CompletableFuture<String> refreshed = cache.refresh("k", () -> held("refreshed"));
    CompletableFuture<String> read = cache.async().get("k", () -> "loaded");
    awaitLoading();
    release.countDown();

    assertThat(await(read)).isEqualTo("refreshed");
    assertThat(await(refreshed)).isEqualTo("refreshed");
    assertThat(loads).hasValue(1);
  }

  // --- refreshAll(keys, batchLoader) ---

  @Test
  void refreshAll_of250Keys_withMaxBatchSize100_makesExactlyThreeBatchCalls() throws Exception {
    List<String> keys = IntStream.range(0, 250).mapToObj(i -> "k" + i).toList();
    keys.forEach(k -> cache.put(k, "old"));
    var batches = new CopyOnWriteArrayList<Set<String>>();

    Map<String, String> refreshed =
        await(
            cache.refreshAll(
                keys,
                batch -> {
                  batches.add(Set.copyOf(batch));
                  var values = new HashMap<String, String>();
                  batch.forEach(k -> values.put(k, "new-" + k));
                  return values;
                }));

    assertThat(batches).hasSize(3);
    assertThat(batches.stream().map(Set::size).toList()).containsExactly(100, 100, 50);
    assertThat(refreshed.keySet()).containsExactlyElementsOf(keys);
    assertThat(keys).allSatisfy(k -> assertThat(cache.getIfPresent(k)).isEqualTo("new-" + k));
    assertThat(cache.stats().refreshCount()).isEqualTo(250);
  }

  @Test
  void refreshAll_servesOldValuesWhileItRuns_andAPutDuringItWins() throws Exception {
    cache.put("a", "a1");
    cache.put("b", "b1");

    CompletableFuture<Map<String, String>> refreshed =
        cache.refreshAll(
            List.of("a", "b"),
            batch -> {
              held("unused");
              return Map.of("a", "a2", "b", "b2");
            });
    awaitLoading();
    assertThat(cache.get("a", () -> "unused")).isEqualTo("a1");
    cache.put("b", "put");
    cache.invalidate("a");
    release.countDown();

    assertThat(await(refreshed)).containsExactly(Map.entry("a", "a2"), Map.entry("b", "b2"));
    assertThat(cache.getIfPresent("a")).isNull();
    assertThat(cache.getIfPresent("b")).isEqualTo("put");
  }

  @Test
  void refreshAll_aPutAfterTheCallReturned_winsEvenBeforeItsKeysBatchStarts() throws Exception {
    List<String> keys = IntStream.range(0, 200).mapToObj(i -> "k" + i).toList();
    keys.forEach(k -> cache.put(k, "old"));
    CompletableFuture<Map<String, String>> refreshed =
        cache.refreshAll(
            keys,
            batch -> {
              held("unused");
              var values = new HashMap<String, String>();
              batch.forEach(k -> values.put(k, "refreshed"));
              return values;
            });
    awaitLoading(); // the first batch is held; k150's batch has not started

    cache.put("k150", "put");
    cache.invalidate("k160");
    release.countDown();

    assertThat(await(refreshed)).containsEntry("k150", "refreshed");
    assertThat(cache.getIfPresent("k150")).isEqualTo("put");
    assertThat(cache.getIfPresent("k160")).isNull();
    assertThat(cache.getIfPresent("k170")).isEqualTo("refreshed");
  }

  @Test
  void refreshAll_keysLeftOut_areNotCached_asWithGetAll() throws Exception {
    cache.put("a", "a1");
    cache.put("b", "b1");

    Map<String, String> refreshed =
        await(cache.refreshAll(List.of("a", "b", "c"), batch -> Map.of("a", "a2")));

    assertThat(refreshed).containsExactly(Map.entry("a", "a2"));
    assertThat(cache.getIfPresent("a")).isEqualTo("a2");
    assertThat(cache.getIfPresent("b")).as("left out: removed").isNull();
    assertThat(cache.getIfPresent("c")).isNull();
    assertThat(cache.getAll(List.of("d"), batch -> Map.of())).isEmpty();
    assertThat(cache.getIfPresent("d")).as("what getAll does").isNull();
  }

  @Test
  void refreshAll_keysLeftOut_withNegativeTtl_areRememberedAsAbsent() throws Exception {
    try (Cache<String, String> negative =
        Loomcache.newBuilder().ticker(ticker::read).negativeTtl(Duration.ofMinutes(1)).build()) {
      negative.put("b", "b1");

      assertThat(await(negative.refreshAll(List.of("a", "b"), batch -> Map.of("a", "a1"))))
          .containsExactly(Map.entry("a", "a1"));

      assertThat(negative.get("b", () -> "loaded")).as("a remembered absence").isNull();
    }
  }

  @Test
  void refreshAll_aFailedBatch_keepsItsOldValues_theOthersStore_andTheFutureFails()
      throws Exception {
    List<String> keys = IntStream.range(0, 150).mapToObj(i -> "k" + i).toList();
    keys.forEach(k -> cache.put(k, "old"));
    var failure = new IllegalStateException("second batch down");
    var calls = new AtomicInteger();

    Throwable thrown =
        failureOf(
            cache.refreshAll(
                keys,
                batch -> {
                  if (calls.incrementAndGet() == 2) {
                    throw failure;
                  }
                  var values = new HashMap<String, String>();
                  batch.forEach(k -> values.put(k, "new"));
                  return values;
                }));

    assertThat(thrown).isSameAs(failure);
    assertThat(calls).hasValue(2);
    assertThat(keys.subList(0, 100))
        .allSatisfy(k -> assertThat(cache.getIfPresent(k)).isEqualTo("new"));
    assertThat(keys.subList(100, 150))
        .allSatisfy(k -> assertThat(cache.getIfPresent(k)).isEqualTo("old"));
    assertThat(cache.stats().refreshCount()).isEqualTo(100);
    assertThat(cache.stats().refreshFailureCount()).isEqualTo(50);
  }

  @Test
  void refreshAll_failsAsGetAllThrows() throws Exception {
    var checked = new IOException("db gone");
    Throwable blocking = null;
    try {
      cache.getAll(
          List.of("a"),
          batch -> {
            throw checked;
          });
    } catch (CacheLoadException e) {
      blocking = e;
    }
    assertThat(blocking).isNotNull();

    Throwable refreshed =
        failureOf(
            cache.refreshAll(
                List.of("b"),
                batch -> {
                  throw checked;
                }));

    assertThat(refreshed).isInstanceOf(CacheLoadException.class).hasCause(checked);
  }

  @Test
  void refreshAll_joinsKeysAlreadyLoading_andLoadsOnlyTheRest() throws Exception {
    var get =
        CompletableFuture.supplyAsync(
            () -> cache.get("a", () -> held("a-from-get")),
            command -> Thread.ofVirtual().start(command));
    awaitLoading();
    var asked = new CopyOnWriteArrayList<Set<String>>();

    CompletableFuture<Map<String, String>> refreshed =
        cache.refreshAll(
            List.of("a", "b"),
            batch -> {
              asked.add(Set.copyOf(batch));
              return Map.of("a", "a-batch", "b", "b-batch");
            });
    release.countDown();

    assertThat(await(refreshed))
        .containsExactly(Map.entry("a", "a-from-get"), Map.entry("b", "b-batch"));
    assertThat(asked).containsExactly(Set.of("b"));
    assertThat(await(get)).isEqualTo("a-from-get");
  }

  @Test
  void refreshAll_duplicatesAreRefreshedOnce_andAnEmptyListCompletesAtOnce() throws Exception {
    var asked = new ArrayList<Set<String>>();

    assertThat(
            await(
                cache.refreshAll(
                    List.of("a", "a", "b"),
                    batch -> {
                      asked.add(Set.copyOf(batch));
                      return Map.of("a", "1", "b", "2");
                    })))
        .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    assertThat(asked).containsExactly(Set.of("a", "b"));
    assertThat(cache.refreshAll(List.of(), batch -> Map.of())).isCompletedWithValue(Map.of());
  }

  @Test
  void closeDuringRefreshAll_failsTheFuture_andLeavesNothingBehind() throws Exception {
    List<String> keys = IntStream.range(0, 250).mapToObj(i -> "k" + i).toList();
    var calls = new AtomicInteger();
    CompletableFuture<Map<String, String>> refreshed =
        cache.refreshAll(
            keys,
            batch -> {
              calls.incrementAndGet();
              held("unused");
              return Map.of();
            });
    awaitLoading();

    cache.close();

    assertThat(failureOf(refreshed)).isInstanceOf(CacheLoadException.class);
    assertThat(calls).as("no batch starts after close").hasValue(1);
    assertThat(((LocalCache<String, String>) cache).refreshingCount()).isZero();
  }
}
