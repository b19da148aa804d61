package dev.loomcache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.spi.ValueCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.cache.Cache.ValueRetrievalException;
import org.springframework.cache.support.NullValue;

class LoomcacheCacheTest {
  private final LoomcacheCacheManager manager = new LoomcacheCacheManager();

  @AfterEach
  void closeManager() {
    manager.close();
  }

  private LoomcacheCache cache(String name) {
    return (LoomcacheCache) manager.getCache(name);
  }

  /** A cache with one tier over {@code store}, whose reads the test may hold. */
  private LoomcacheCache tieredCache(LoomcacheCacheManager on, SharedMapTier tier) {
    on.setValueCodec(ValueCodec.string());
    on.setTierFactory(name -> List.of(tier));
    return (LoomcacheCache) on.getCache("tiered");
  }

  @Test
  void put_thenGet_returnsTheValue_andEvictRemovesIt() {
    LoomcacheCache books = cache("books");
    books.put("isbn-1", "Dune");

    assertThat(books.get("isbn-1").get()).isEqualTo("Dune");
    assertThat(books.get("isbn-1", String.class)).isEqualTo("Dune");
    books.evict("isbn-1");
    assertThat(books.get("isbn-1")).isNull();
  }

  @Test
  void put_null_isCachedAsNullValue() {
    LoomcacheCache books = cache("books");
    books.put("none", null);

    assertThat(books.get("none")).isNotNull();
    assertThat(books.get("none").get()).isNull();
    assertThat(books.getNativeCache().getIfPresent("none")).isSameAs(NullValue.INSTANCE);
  }

  @Test
  void put_nullWhenNullsAreNotAllowed_throws() {
    manager.setAllowNullValues(false);

    assertThatThrownBy(() -> cache("books").put("none", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null");
  }

  @Test
  void clear_andInvalidate_removeEverything() {
    LoomcacheCache books = cache("books");
    books.put("a", "1");
    books.put("b", "2");

    books.clear();
    assertThat(books.get("a")).isNull();
    books.put("c", "3");
    assertThat(books.invalidate()).isTrue();
    assertThat(books.get("c")).isNull();
    assertThat(books.invalidate()).isFalse();
  }

  @Test
  void evictIfPresent_saysWhetherTheKeyHadAValue() {
    LoomcacheCache books = cache("books");
    books.put("a", "1");

    assertThat(books.evictIfPresent("a")).isTrue();
    assertThat(books.evictIfPresent("a")).isFalse();
  }

  @Test
  void putIfAbsent_storesOnlyWhenAbsent_andReturnsWhatWasThere() {
    LoomcacheCache books = cache("books");

    assertThat(books.putIfAbsent("a", "first")).isNull();
    Cache.ValueWrapper existing = books.putIfAbsent("a", "second");
    assertThat(existing.get()).isEqualTo("first");
    assertThat(books.get("a").get()).isEqualTo("first");
  }

  @Test
  void getWithLoader_concurrentCallers_runTheLoaderOnce() throws Exception {
    LoomcacheCache books = cache("books");
    int callers = 500;
    var calls = new AtomicInteger();
    var release = new CountDownLatch(1);
    var started = new CountDownLatch(1);
    var results = new ArrayList<Future<String>>();
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < callers; i++) {
        results.add(
            threads.submit(() ->
                books.get(
                    "k",
                    () -> {
                      calls.incrementAndGet();
                      started.countDown();
                      release.await();
                      return "loaded";
                    })));
      }
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      release.countDown();
      for (Future<String> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("loaded");
      }
    }
    assertThat(calls).hasValue(1);
    assertThat(books.get("k").get()).isEqualTo("loaded");
  }

  @Test
  void getWithLoader_checkedFailure_isAValueRetrievalExceptionWithTheCause_andNothingIsCached() {
    LoomcacheCache books = cache("books");
    var failure = new IOException("disk gone");

    assertThatThrownBy(() ->
            books.get(
                "k",
                () -> {
                  throw failure;
                }))
        .isInstanceOf(ValueRetrievalException.class)
        .hasCause(failure);
    assertThat(books.get("k")).isNull();
    assertThat(books.get("k", () -> "second try")).isEqualTo("second try");
  }

  @Test
  void getWithLoader_uncheckedFailure_isWrappedToo() {
    var failure = new IllegalStateException("bug");

    assertThatThrownBy(() ->
            cache("books")
                .get(
                    "k",
                    () -> {
                      throw failure;
                    }))
        .isInstanceOf(ValueRetrievalException.class)
        .hasCause(failure);
  }

  @Test
  void getWithLoader_nullResult_isCachedWhenNullsAreAllowed() {
    LoomcacheCache books = cache("books");
    var calls = new AtomicInteger();

    String loaded =
        books.get(
            "k",
            () -> {
              calls.incrementAndGet();
              return null;
            });
    assertThat(loaded).isNull();
    assertThat(books.get("k", () -> "not called")).isNull();
    assertThat(calls).hasValue(1);
  }

  @Test
  void retrieve_miss_isAFutureOfNull_neverANullFuture() throws Exception {
    CompletableFuture<?> miss = cache("books").retrieve("absent");

    assertThat(miss).isNotNull();
    assertThat(miss.get(10, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void retrieve_hit_isAValueWrapper_soACachedNullIsNotAMiss() throws Exception {
    LoomcacheCache books = cache("books");
    books.put("a", "1");
    books.put("none", null);

    assertThat(((Cache.ValueWrapper) books.retrieve("a").get(10, TimeUnit.SECONDS)).get())
        .isEqualTo("1");
    assertThat(((Cache.ValueWrapper) books.retrieve("none").get(10, TimeUnit.SECONDS)).get())
        .isNull();
  }

  @Test
  void retrieve_hitWithoutNulls_isThePlainValue() throws Exception {
    manager.setAllowNullValues(false);
    LoomcacheCache books = cache("books");
    books.put("a", "1");

    assertThat(books.retrieve("a").get(10, TimeUnit.SECONDS)).isEqualTo("1");
  }

  @Test
  void retrieveWithLoader_concurrentCallers_callTheLoaderOnce() throws Exception {
    LoomcacheCache books = cache("books");
    var calls = new AtomicInteger();
    var value = new CompletableFuture<String>();
    var futures = new ArrayList<CompletableFuture<String>>();
    for (int i = 0; i < 1_000; i++) {
      futures.add(
          books.retrieve(
              "k",
              () -> {
                calls.incrementAndGet();
                return value;
              }));
    }
    assertThat(futures).allSatisfy(future -> assertThat(future).isNotDone());

    value.complete("loaded");

    for (CompletableFuture<String> future : futures) {
      assertThat(future.get(10, TimeUnit.SECONDS)).isEqualTo("loaded");
    }
    assertThat(calls).hasValue(1);
    assertThat(books.retrieve("k", () -> CompletableFuture.completedFuture("no")).get())
        .isEqualTo("loaded");
  }

  @Test
  void retrieveWithLoader_hitInMemory_completesAtOnce() {
    LoomcacheCache books = cache("books");
    books.put("k", "v");

    CompletableFuture<String> hit =
        books.retrieve(
            "k",
            () -> {
              throw new AssertionError("not called on a hit");
            });

    assertThat(hit).isCompletedWithValue("v");
  }

  @Test
  void retrieveWithLoader_failedFuture_failsEveryCallerWithTheCause_andCachesNothing() {
    LoomcacheCache books = cache("books");
    var failure = new IOException("backend down");
    var value = new CompletableFuture<String>();
    var first = books.retrieve("k", () -> value);
    var second = books.retrieve("k", () -> value);

    value.completeExceptionally(failure);

    for (CompletableFuture<String> future : List.of(first, second)) {
      assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCause(failure);
    }
    assertThat(books.get("k")).isNull();
  }

  @Test
  void retrieveWithLoader_loaderThrowsOrReturnsNull_failsTheFutureInsteadOfThrowing() {
    LoomcacheCache books = cache("books");
    var failure = new IllegalStateException("no");

    CompletableFuture<String> thrown =
        books.retrieve(
            "a",
            () -> {
              throw failure;
            });
    CompletableFuture<String> nullFuture = books.retrieve("b", () -> null);

    assertThatThrownBy(() -> thrown.get(10, TimeUnit.SECONDS)).hasCause(failure);
    assertThatThrownBy(() -> nullFuture.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("valueLoader returned a null future");
  }

  @Test
  void retrieveWithLoader_nullValue_isCachedAsNull() throws Exception {
    LoomcacheCache books = cache("books");

    assertThat(
            books
                .retrieve("k", () -> CompletableFuture.completedFuture((String) null))
                .get(10, TimeUnit.SECONDS))
        .isNull();
    assertThat(books.get("k")).isNotNull();
    assertThat(books.get("k").get()).isNull();
  }

  @Test
  void retrieve_withTiers_neverBlocksTheCallerOnTierReads() throws Exception {
    var tier = new SharedMapTier(SharedMapTier.newStore(), "");
    LoomcacheCache tiered = tieredCache(manager, tier);
    var gate = new CountDownLatch(1);
    tier.holdReadsUntil(gate);

    CompletableFuture<?> plain = tiered.retrieve("k");
    CompletableFuture<String> loading =
        tiered.retrieve("k2", () -> CompletableFuture.completedFuture("v2"));

    assertThat(plain).isNotDone();
    assertThat(loading).isNotDone();
    gate.countDown();
    assertThat(plain.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(loading.get(10, TimeUnit.SECONDS)).isEqualTo("v2");
  }

  @Test
  void retrieve_afterTheManagerIsClosed_failsTheFuture() {
    var other = new LoomcacheCacheManager();
    LoomcacheCache tiered = tieredCache(other, new SharedMapTier(SharedMapTier.newStore(), ""));
    other.close();

    assertThat(tiered.retrieve("k")).isCompletedExceptionally();
  }

  @Test
  void nullValue_throughASharedTier_isACachedNullForAnotherInstance() {
    var store = SharedMapTier.newStore();
    var first = new LoomcacheCacheManager();
    var second = new LoomcacheCacheManager();
    try {
      LoomcacheCache a = tieredCache(first, new SharedMapTier(store, "books:"));
      LoomcacheCache b = tieredCache(second, new SharedMapTier(store, "books:"));

      String stored = a.get("missing-book", () -> null);
      assertThat(stored).isNull();
      a.put("present", "Dune");

      var calls = new AtomicInteger();
      String fromTier =
          b.get(
              "missing-book",
              () -> {
                calls.incrementAndGet();
                return "loaded";
              });
      assertThat(fromTier).isNull();
      assertThat(calls).as("the cached null came from the tier").hasValue(0);
      assertThat(b.get("missing-book")).isNotNull();
      assertThat(b.get("present").get()).isEqualTo("Dune");
    } finally {
      first.close();
      second.close();
    }
  }
}
