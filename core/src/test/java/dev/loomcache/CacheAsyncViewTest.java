package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code Cache.async()}: futures with the blocking calls' values, failures and single flight. */
class CacheAsyncViewTest {
  private static final long WAIT_SECONDS = 60;

  private final Cache<String, String> cache = Loomcache.newBuilder().build();
  private final AsyncView<String, String> async = cache.async();

  @AfterEach
  void close() {
    cache.close();
  }

  private int parked(String key) {
    return ((LocalCache<String, String>) cache).parkedCount(key);
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** What the future failed with, unwrapped from ExecutionException. */
  private static Throwable failureOf(CompletableFuture<?> future) {
    try {
      future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("the future did not fail in time", e);
    }
    throw new AssertionError("the future completed normally");
  }

  @Test
  void get_hit_isCompletedAtOnce_andCountedOnce() {
    cache.put("k", "v");
    CompletableFuture<String> future = async.get("k", () -> "loaded");

    assertThat(future).isCompletedWithValue("v");
    assertThat(cache.stats().hitCount()).isEqualTo(1);
    assertThat(cache.stats().missCount()).isZero();
  }

  @Test
  void get_miss_loadsOnAVirtualThread_andStores() throws Exception {
    var loaderThread = new Thread[1];
    String value =
        await(
            async.get(
                "k",
                () -> {
                  loaderThread[0] = Thread.currentThread();
                  return "loaded";
                }));

    assertThat(value).isEqualTo("loaded");
    assertThat(loaderThread[0].isVirtual()).isTrue();
    assertThat(loaderThread[0]).isNotSameAs(Thread.currentThread());
    assertThat(cache.getIfPresent("k")).isEqualTo("loaded");
    assertThat(cache.stats().missCount()).isEqualTo(1); // one miss, not two
  }

  @Test
  void get_sharesTheFlightWithBlockingCalls() throws Exception {
    var calls = new AtomicInteger();
    var release = new CountDownLatch(1);
    var blocking = new String[1];
    Thread owner =
        Thread.ofVirtual()
            .start(() ->
                blocking[0] =
                    cache.get(
                        "k",
                        () -> {
                          calls.incrementAndGet();
                          release.await();
                          return "shared";
                        }));
    Concurrently.awaitUntil(
        Duration.ofSeconds(WAIT_SECONDS), "the load starts", () -> calls.get() == 1);

    CompletableFuture<String> future = async.get("k", () -> "async " + calls.incrementAndGet());
    Concurrently.awaitUntil(
        Duration.ofSeconds(WAIT_SECONDS), "the async caller parks", () -> parked("k") == 1);
    assertThat(future).isNotDone();
    release.countDown();
    owner.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));

    assertThat(await(future)).isEqualTo("shared").isEqualTo(blocking[0]);
    assertThat(calls).hasValue(1);
    assertThat(cache.stats().coalescedCount()).isEqualTo(1);
  }

  @Test
  void failures_areThoseOfTheBlockingCalls() {
    var checked = new IOException("checked");
    Throwable blockingChecked =
        catchFrom(() ->
            cache.get(
                "a",
                () -> {
                  throw checked;
                }));
    Throwable asyncChecked =
        failureOf(
            async.get(
                "b",
                () -> {
                  throw checked;
                }));
    assertThat(asyncChecked)
        .isInstanceOf(CacheLoadException.class)
        .hasSameClassAs(blockingChecked)
        .hasCause(checked);
    assertThat(asyncChecked.getMessage())
        .isEqualTo(blockingChecked.getMessage().replace("'a'", "'b'"));

    var unchecked = new IllegalArgumentException("unchecked");
    assertThat(
            failureOf(
                async.get(
                    "c",
                    () -> {
                      throw unchecked;
                    })))
        .isSameAs(unchecked);
    assertThat(
            catchFrom(() ->
                cache.get(
                    "c",
                    () -> {
                      throw unchecked;
                    })))
        .isSameAs(unchecked);

    assertThatThrownBy(() ->
            async
                .get(
                    "d",
                    () -> {
                      throw unchecked;
                    })
                .join())
        .isInstanceOf(CompletionException.class)
        .hasCause(unchecked);
  }

  private static Throwable catchFrom(Runnable call) {
    try {
      call.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("no exception");
  }

  @Test
  void get_loaderReturningNull_completesWithNull_andStoresNothing() throws Exception {
    assertThat(await(async.get("k", () -> null))).isNull();
    assertThat(cache.getIfPresent("k")).isNull();
  }

  @Test
  void get_withTtl_storesForThatTtl() throws Exception {
    var ticker = new FakeTicker();
    try (Cache<String, String> timed = Loomcache.newBuilder().ticker(ticker::read).build()) {
      assertThat(await(timed.async().get("k", () -> "v", Duration.ofMinutes(1)))).isEqualTo("v");
      ticker.advance(Duration.ofMinutes(2));
      assertThat(timed.getIfPresent("k")).isNull();
      assertThatThrownBy(() -> timed.async().get("k", () -> "v", Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void cancellingAFuture_doesNotCancelTheSharedLoad() throws Exception {
    var release = new CountDownLatch(1);
    var calls = new AtomicInteger();
    CompletableFuture<String> first =
        async.get(
            "k",
            () -> {
              calls.incrementAndGet();
              release.await();
              return "loaded";
            });
    Concurrently.awaitUntil(
        Duration.ofSeconds(WAIT_SECONDS), "the load starts", () -> calls.get() == 1);
    CompletableFuture<String> second = async.get("k", () -> "second " + calls.incrementAndGet());
    Concurrently.awaitUntil(
        Duration.ofSeconds(WAIT_SECONDS), "the second caller parks", () -> parked("k") == 1);

    assertThat(first.cancel(true)).isTrue();
    release.countDown();

    assertThat(await(second)).isEqualTo("loaded");
    assertThat(calls).hasValue(1);
    assertThat(cache.getIfPresent("k")).isEqualTo("loaded"); // the cancelled owner still stored
    assertThat(first).isCancelled();
  }

  @Test
  void getAll_completesWithTheBlockingResult() throws Exception {
    cache.put("a", "A");
    var batches = new AtomicInteger();
    BatchLoader<String, String> loader =
        keys -> {
          batches.incrementAndGet();
          var found = new HashMap<String, String>();
          for (String key : keys) {
            if (!key.equals("missing")) {
              found.put(key, key.toUpperCase());
            }
          }
          return found;
        };
    Map<String, String> values = await(async.getAll(List.of("a", "b", "c", "missing"), loader));

    assertThat(values)
        .containsExactly(Map.entry("a", "A"), Map.entry("b", "B"), Map.entry("c", "C"));
    assertThat(batches).hasValue(1);
    assertThat(cache.getAll(List.of("a", "b", "c", "missing"), loader)).isEqualTo(values);

    var failure = new IOException("batch failed");
    assertThat(
            failureOf(
                async.getAll(
                    Set.of("x"),
                    keys -> {
                      throw failure;
                    })))
        .isInstanceOf(CacheLoadException.class)
        .hasCause(failure);
  }

  @Test
  void getIfPresent_neverLoads() throws Exception {
    assertThat(async.getIfPresent("k")).isCompletedWithValue(null);
    cache.put("k", "v");
    assertThat(async.getIfPresent("k")).isCompletedWithValue("v");
    assertThat(cache.stats().missCount()).isEqualTo(1);
    assertThat(cache.stats().hitCount()).isEqualTo(1);
  }

  @Test
  void getIfPresent_withATier_readsItOffTheCallingThread() throws Exception {
    var store = new MapTier.Store();
    try (Cache<String, String> writer =
            Loomcache.newBuilder()
                .keyCodec(dev.loomcache.spi.KeyCodec.string())
                .valueCodec(dev.loomcache.spi.ValueCodec.string())
                .tier(new MapTier("t", store))
                .build();
        Cache<String, String> reader =
            Loomcache.newBuilder()
                .keyCodec(dev.loomcache.spi.KeyCodec.string())
                .valueCodec(dev.loomcache.spi.ValueCodec.string())
                .tier(new MapTier("t", store))
                .build()) {
      writer.put("k", "from the tier");

      assertThat(await(reader.async().getIfPresent("k"))).isEqualTo("from the tier");
      assertThat(await(reader.async().getIfPresent("absent"))).isNull();
    }
  }

  @Test
  void close_interruptsRunningCalls_andWaitsForThem() throws Exception {
    Cache<String, String> closing = Loomcache.newBuilder().build();
    var started = new CountDownLatch(1);
    CompletableFuture<String> future =
        closing
            .async()
            .get(
                "k",
                () -> {
                  started.countDown();
                  new CountDownLatch(1).await(); // until interrupted
                  return "never";
                });
    assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    closing.close();

    assertThat(future).isCompletedExceptionally();
    assertThat(failureOf(future))
        .isInstanceOf(CacheLoadException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThatThrownBy(() -> closing.async()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void arguments_andClosedState_areCheckedAtOnce() {
    assertThatThrownBy(() -> async.get(null, () -> "v"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("key must not be null");
    assertThatThrownBy(() -> async.get("k", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("loader must not be null");
    assertThatThrownBy(() -> async.getAll(List.of("a"), null))
        .isInstanceOf(NullPointerException.class);
    Cache<String, String> closed = Loomcache.newBuilder().build();
    AsyncView<String, String> view = closed.async();
    closed.close();
    assertThatThrownBy(() -> view.get("k", () -> "v"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cache 'default' is closed");
  }
}
