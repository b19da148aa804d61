package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code Cache.asMap()}: reads, writes with the cache's semantics, atomic conditionals. */
class CacheAsMapTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Cache<String, String> cache = Loomcache.newBuilder().build();
  private final ConcurrentMap<String, String> map = cache.asMap();

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void readsAndWrites_areTheCaches() {
    assertThat(map.put("k", "v1")).isNull();
    assertThat(cache.getIfPresent("k")).isEqualTo("v1");
    assertThat(map.put("k", "v2")).isEqualTo("v1");
    assertThat(map.get("k")).isEqualTo("v2");
    assertThat(map.containsKey("k")).isTrue();
    assertThat(map.getOrDefault("absent", "d")).isEqualTo("d");

    assertThat(map.remove("k")).isEqualTo("v2");
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(map.remove("k")).isNull();
    assertThat(cache.asMap()).isSameAs(map);
  }

  @Test
  void conditionalWrites_followConcurrentMapsContract() {
    assertThat(map.putIfAbsent("k", "v1")).isNull();
    assertThat(map.putIfAbsent("k", "v2")).isEqualTo("v1");
    assertThat(map.replace("absent", "x")).isNull();
    assertThat(map.containsKey("absent")).isFalse();
    assertThat(map.replace("k", "v3")).isEqualTo("v1");
    assertThat(map.replace("k", "wrong", "v4")).isFalse();
    assertThat(map.replace("k", new String("v3"), "v4")).isTrue(); // compared with equals
    assertThat(map.remove("k", "wrong")).isFalse();
    assertThat(map.remove("k", null)).isFalse();
    assertThat(map.get("k")).isEqualTo("v4");
    assertThat(map.remove("k", new String("v4"))).isTrue();
    assertThat(map.get("k")).isNull();
  }

  @Test
  void nulls_areRejectedNamingTheParameter() {
    assertThatThrownBy(() -> map.put("k", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("value must not be null");
    assertThatThrownBy(() -> map.get(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("key must not be null");
    assertThatThrownBy(() -> map.computeIfAbsent("k", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("mappingFunction must not be null");
  }

  @Test
  void iteration_seesL1_andWritesThrough() {
    map.put("a", "1");
    map.put("b", "2");
    cache.put("c", "3", Duration.ofMinutes(1)); // a deadline wrapper: unwrapped

    assertThat(new HashMap<>(map)).containsOnly(entry("a", "1"), entry("b", "2"), entry("c", "3"));
    assertThat(map.size()).isEqualTo(3);
    assertThat(map.isEmpty()).isFalse();

    for (Map.Entry<String, String> e : map.entrySet()) {
      if (e.getKey().equals("a")) {
        assertThat(e.setValue("one")).isEqualTo("1");
      }
    }
    assertThat(cache.getIfPresent("a")).isEqualTo("one");
    map.entrySet().removeIf(e -> e.getKey().equals("b"));
    assertThat(cache.getIfPresent("b")).isNull();
    map.keySet().remove("c");
    assertThat(map).containsOnlyKeys("a");
    map.clear();
    assertThat(map.isEmpty()).isTrue();
  }

  @Test
  void iteration_skipsExpiredEntries() {
    var ticker = new FakeTicker();
    try (Cache<String, String> timed = Loomcache.newBuilder().ticker(ticker::read).build()) {
      timed.put("short", "v", Duration.ofMinutes(1));
      timed.put("long", "v", Duration.ofMinutes(10));
      ticker.advance(Duration.ofMinutes(2));

      assertThat(timed.asMap().keySet()).containsExactly("long");
    }
  }

  @Test
  void computeIfAbsent_isSingleFlight_under1000VirtualThreads() throws InterruptedException {
    var calls = new AtomicInteger();
    var release = new CountDownLatch(1);
    int threads = 1_000;
    var started = new CountDownLatch(threads);
    var results =
        Concurrently.run(
            threads,
            WAIT,
            i ->
                () -> {
                  started.countDown();
                  return map.computeIfAbsent(
                      "hot",
                      key -> {
                        calls.incrementAndGet();
                        try {
                          // Hold the load until every caller has arrived, so that they all find it
                          // in flight.
                          started.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                          Concurrently.awaitUntil(
                              WAIT,
                              "the others park",
                              () ->
                                  ((LocalCache<String, String>) cache).parkedCount("hot")
                                          >= threads - 1
                                      || release.getCount() == 0);
                        } catch (InterruptedException e) {
                          throw new IllegalStateException(e);
                        }
                        return "value of " + key;
                      });
                });
    release.countDown();

    assertThat(calls).hasValue(1);
    assertThat(results).allMatch(r -> !r.failed() && r.value().equals("value of hot"));
    assertThat(cache.stats().coalescedCount()).isEqualTo(threads - 1);
    assertThat(map.get("hot")).isEqualTo("value of hot");
  }

  @Test
  void computeIfAbsent_runsOutsideEveryLock_andAPutOfTheSameKeyWins() throws InterruptedException {
    var inFunction = new CountDownLatch(1);
    var putDone = new CountDownLatch(1);
    var result = new String[1];
    Thread computing =
        Thread.ofVirtual()
            .start(() ->
                result[0] =
                    map.computeIfAbsent(
                        "k",
                        key -> {
                          inFunction.countDown();
                          try {
                            assertThat(putDone.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                          } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                          }
                          return "computed";
                        }));
    assertThat(inFunction.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    // Would deadlock if the function ran inside the key's compute, as ConcurrentHashMap's does.
    map.put("k", "put while computing");
    putDone.countDown();
    computing.join(WAIT.toMillis());

    assertThat(result[0]).isEqualTo("computed");
    assertThat(map.get("k")).isEqualTo("put while computing");
  }

  @Test
  void computeIfAbsent_nullStoresNothing_andExceptionsPropagateUnchanged() {
    assertThat(map.computeIfAbsent("k", key -> null)).isNull();
    assertThat(map.containsKey("k")).isFalse();
    var failure = new IllegalArgumentException("boom");
    assertThatThrownBy(() ->
            map.computeIfAbsent(
                "k",
                key -> {
                  throw failure;
                }))
        .isSameAs(failure);
    assertThat(map.computeIfAbsent("k", key -> "v")).isEqualTo("v");
    assertThat(map.computeIfAbsent("k", key -> "other")).isEqualTo("v");
  }

  @Test
  void computeIfAbsent_ofTheSameKeyInsideItsFunction_isRejected() {
    assertThatThrownBy(() -> map.computeIfAbsent("k", key -> map.computeIfAbsent("k", k -> "x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Recursive load");
  }

  @Test
  void remove_duringALoad_winsOverTheLoad() throws InterruptedException {
    var inLoader = new CountDownLatch(1);
    var removed = new CountDownLatch(1);
    Thread loading =
        Thread.ofVirtual()
            .start(() ->
                map.computeIfAbsent(
                    "k",
                    key -> {
                      inLoader.countDown();
                      try {
                        removed.await();
                      } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                      }
                      return "stale";
                    }));
    assertThat(inLoader.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    map.remove("k");
    removed.countDown();
    loading.join(WAIT.toMillis());

    assertThat(map.get("k")).isNull(); // the load began before the remove: not stored
  }

  @Test
  void merge_isAtomic_underContention() throws InterruptedException {
    int threads = 8;
    int increments = 500;
    var results =
        Concurrently.run(
            threads,
            WAIT,
            i ->
                () -> {
                  for (int n = 0; n < increments; n++) {
                    map.merge("counter", "1", (a, b) -> String.valueOf(Integer.parseInt(a) + 1));
                  }
                  return null;
                });

    assertThat(results).noneMatch(Concurrently.Result::failed);
    assertThat(map.get("counter")).isEqualTo(String.valueOf(threads * increments));
  }

  @Test
  void putIfAbsent_waitsForALoadInFlight_andReturnsItsValue() throws InterruptedException {
    var inLoader = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    Thread loading =
        Thread.ofVirtual()
            .start(() ->
                cache.get(
                    "k",
                    () -> {
                      inLoader.countDown();
                      release.await();
                      return "loaded";
                    }));
    assertThat(inLoader.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    var previous = new String[1];
    Thread putting = Thread.ofVirtual().start(() -> previous[0] = map.putIfAbsent("k", "mine"));
    Concurrently.awaitUntil(
        WAIT,
        "putIfAbsent parks on the load",
        () -> ((LocalCache<String, String>) cache).parkedCount("k") == 1);
    release.countDown();
    loading.join(WAIT.toMillis());
    putting.join(WAIT.toMillis());

    assertThat(previous[0]).isEqualTo("loaded");
    assertThat(map.get("k")).isEqualTo("loaded");
  }

  @Test
  void withATier_writesReachIt_andReadsPromoteFromIt() {
    var tier = new MapTier("t");
    try (Cache<String, String> tiered =
        Loomcache.newBuilder()
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(tier)
            .build()) {
      ConcurrentMap<String, String> view = tiered.asMap();
      view.put("k", "v");
      assertThat(tier.store().get("k")).isNotNull();

      try (Cache<String, String> other =
          Loomcache.newBuilder()
              .keyCodec(KeyCodec.string())
              .valueCodec(ValueCodec.string())
              .tier(new MapTier("t", tier.store()))
              .build()) {
        assertThat(other.asMap().get("k")).isEqualTo("v"); // from the tier
        assertThat(other.asMap().replace("k", "v", "w")).isTrue();
        assertThat(other.asMap().remove("k")).isEqualTo("w");
      }
      assertThat(tier.store().get("k")).isNull();
    }
  }

  @Test
  void closedCache_rejectsTheView() {
    Cache<String, String> closed = Loomcache.newBuilder().build();
    ConcurrentMap<String, String> view = closed.asMap();
    closed.close();
    assertThatThrownBy(() -> view.put("k", "v")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> view.get("k")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(closed::asMap).isInstanceOf(IllegalStateException.class);
  }
}
