package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.internal.FanOut;
import dev.loomcache.internal.context.ScopedContexts;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.Concurrently;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bypass scopes. Surefire runs this class three times: on the selected scoped context (a {@code
 * ScopedValue} on Java 25), with preview enabled (fan-out forks on {@code StructuredTaskScope}),
 * and with the Java 21 inheritable thread-local forced.
 */
class CacheScopeTest {
  static final boolean PREVIEW = Boolean.getBoolean("loomcache.test.preview");

  private final List<Cache<?, ?>> caches = new ArrayList<>();

  private Cache<String, String> cache(String name) {
    Cache<String, String> cache = Loomcache.newBuilder().name(name).build();
    caches.add(cache);
    return cache;
  }

  @AfterEach
  void closeCaches() {
    caches.forEach(Cache::close);
  }

  private static Callable<String> failing() {
    return () -> {
      throw new AssertionError("the loader must not run");
    };
  }

  @Test
  void noCache_get_skipsL1_loadsFresh_andStoresTheResult() throws Exception {
    var users = cache("users");
    users.put("k", "old");

    String inside = CacheScope.noCache().call(() -> users.get("k", () -> "new"));

    assertThat(inside).isEqualTo("new");
    assertThat(users.get("k", failing())).isEqualTo("new");
    CacheStats stats = users.stats();
    assertThat(stats.bypassCount()).isEqualTo(1);
    assertThat(stats.hitCount()).as("only the get outside the scope").isEqualTo(1);
    assertThat(stats.missCount()).isZero();
    assertThat(stats.loadCount()).isEqualTo(1);
  }

  @Test
  void bypasses_areAMeter() throws Exception {
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    Cache<String, String> users =
        Loomcache.newBuilder().name("users").meterRegistry(registry).build();
    caches.add(users);

    CacheScope.noStore().run(() -> users.get("k", () -> "v"));

    assertThat(registry.get("cache.bypasses").tag("cache", "users").functionCounter().count())
        .isEqualTo(1);
  }

  @Test
  void noCache_get_skipsTheTiers() throws Exception {
    var store = new MapTier.Store();
    Cache<String, String> writer = tiered("writer", store);
    Cache<String, String> reader = tiered("reader", store);
    writer.put("k", "in-tier"); // in the shared tier; not in the reader's L1
    assertThat(store.get("k")).isNotNull();

    String inside = CacheScope.noCache().call(() -> reader.get("k", () -> "fresh"));

    assertThat(inside).isEqualTo("fresh");
  }

  private Cache<String, String> tiered(String name, MapTier.Store store) {
    Cache<String, String> cache =
        Loomcache.newBuilder()
            .name(name)
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(new MapTier("t", store))
            .build();
    caches.add(cache);
    return cache;
  }

  @Test
  void noStore_get_looksUpAsUsual_butDoesNotStoreWhatItLoads() throws Exception {
    var users = cache("users");
    users.put("present", "cached");
    var loads = new AtomicInteger();

    CacheScope.noStore()
        .run(() -> {
          assertThat(users.get("present", failing())).isEqualTo("cached");
          assertThat(users.get("absent", () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
          assertThat(users.get("absent", () -> "v" + loads.incrementAndGet(), Duration.ofHours(1)))
              .isEqualTo("v2");
        });

    assertThat(users.getIfPresent("absent")).isNull();
    assertThat(users.stats().bypassCount()).isEqualTo(3);
  }

  @Test
  void disabled_get_neitherLooksUpNorStores() throws Exception {
    var users = cache("users");
    users.put("k", "old");

    String inside = CacheScope.disabled().call(() -> users.get("k", () -> "new"));

    assertThat(inside).isEqualTo("new");
    assertThat(users.getIfPresent("k")).isEqualTo("old");
  }

  @Test
  void getIfPresent_withoutLookups_returnsNull_andWithLookups_theValue() throws Exception {
    var users = cache("users");
    users.put("k", "v");

    assertThat(CacheScope.noCache().call(() -> users.getIfPresent("k"))).isNull();
    assertThat(CacheScope.disabled().call(() -> users.getIfPresent("k"))).isNull();
    assertThat(CacheScope.noStore().call(() -> users.getIfPresent("k"))).isEqualTo("v");
  }

  @Test
  void namedScope_appliesOnlyToTheNamedCaches() throws Exception {
    var users = cache("users");
    var orgs = cache("orgs");
    users.put("k", "old");
    orgs.put("k", "old");

    CacheScope.noCache("users")
        .run(() -> {
          assertThat(users.get("k", () -> "new")).isEqualTo("new");
          assertThat(orgs.get("k", failing())).isEqualTo("old");
        });

    assertThat(users.stats().bypassCount()).isEqualTo(1);
    assertThat(orgs.stats().bypassCount()).isZero();
  }

  @Test
  void nestedScopes_addUp_andTheOuterIsBackAfterTheInnerReturns() throws Exception {
    var users = cache("users");
    var orgs = cache("orgs");
    users.put("k", "old");

    CacheScope.noCache()
        .run(() -> {
          CacheScope.noStore("users")
              .run(() -> {
                // noCache + noStore = disabled, for users only
                assertThat(users.get("k", () -> "inner")).isEqualTo("inner");
                assertThat(orgs.get("o", () -> "org")).isEqualTo("org");
              });
          assertThat(users.getIfPresent("k")).as("noCache: no lookups").isNull();
          assertThat(users.get("k", () -> "outer")).isEqualTo("outer");
        });

    assertThat(users.get("k", failing())).as("stored by the outer noCache").isEqualTo("outer");
    assertThat(orgs.get("o", failing())).as("stored: orgs was only in noCache").isEqualTo("org");
  }

  @Test
  void nestedCalls_throughACachedFunction_seeTheScope() throws Exception {
    var calls = new AtomicInteger();
    CachedFunction<String, String> fn =
        Loomcache.newBuilder().name("fn").buildFunction((String a) -> a + calls.incrementAndGet());
    assertThat(fn.apply("a")).isEqualTo("a1");

    String inside = CacheScope.noCache().call(() -> fn.apply("a"));

    assertThat(inside).isEqualTo("a2");
    assertThat(fn.apply("a")).isEqualTo("a2");
    fn.invalidateAll();
  }

  @Test
  void scope_doesNotLeakToThreadsOutsideIt_norOutliveTheCall() throws Exception {
    var users = cache("users");
    users.put("k", "cached");
    var outsiderMayRead = new CountDownLatch(1);
    var outsiderSaw = new AtomicReference<@Nullable String>();
    Thread outsider =
        Thread.ofVirtual()
            .start(() -> {
              awaitLatch(outsiderMayRead);
              outsiderSaw.set(users.get("k", () -> "loaded-by-outsider"));
            });

    CacheScope.disabled()
        .run(() -> {
          outsiderMayRead.countDown();
          joinThread(outsider);
          assertThat(users.get("k", () -> "fresh")).isEqualTo("fresh");
        });

    assertThat(outsiderSaw.get()).isEqualTo("cached");
    assertThat(users.get("k", failing())).isEqualTo("cached");
    assertThat(users.stats().bypassCount()).isEqualTo(1);
  }

  @Test
  void noCache_stillJoinsTheLoadInFlight() throws Exception {
    var users = cache("users");
    var ownerStarted = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var ownerValue = new AtomicReference<@Nullable String>();
    Thread owner =
        Thread.ofVirtual()
            .start(() ->
                ownerValue.set(
                    users.get(
                        "k",
                        () -> {
                          ownerStarted.countDown();
                          awaitLatch(release);
                          return "from-owner";
                        })));
    assertThat(ownerStarted.await(30, TimeUnit.SECONDS)).isTrue();

    var joined = new AtomicReference<@Nullable String>();
    Thread scoped =
        Thread.ofVirtual()
            .start(() -> CacheScope.noCache().run(() -> joined.set(users.get("k", failing()))));
    Concurrently.awaitParked(scoped); // on the owner's flight
    release.countDown();
    joinThread(owner);
    joinThread(scoped);

    assertThat(joined.get()).isEqualTo("from-owner");
    assertThat(users.stats().loadCount()).isEqualTo(1);
  }

  @Test
  void getAll_withoutLookups_loadsEveryKeyOnce_andStoresUnlessDisabled() throws Exception {
    var users = cache("users");
    users.put("a", "old-a");
    var asked = new ArrayList<Set<String>>();
    BatchLoader<String, String> loader =
        keys -> {
          asked.add(Set.copyOf(keys));
          var result = new java.util.HashMap<String, String>();
          for (String key : keys) {
            if (!key.equals("none")) {
              result.put(key, "new-" + key);
            }
          }
          return result;
        };

    Map<String, String> fresh =
        CacheScope.noCache().call(() -> users.getAll(List.of("a", "b", "none", "a"), loader));

    assertThat(fresh).containsExactly(Map.entry("a", "new-a"), Map.entry("b", "new-b"));
    assertThat(asked).containsExactly(Set.of("a", "b", "none"));
    assertThat(users.getIfPresent("a")).isEqualTo("new-a");
    assertThat(users.getIfPresent("none")).isNull();

    Map<String, String> disabled =
        CacheScope.disabled().call(() -> users.getAll(List.of("a", "c"), loader));
    assertThat(disabled).containsEntry("c", "new-c");
    assertThat(users.getIfPresent("c")).isNull();
  }

  @Test
  void getAll_noStore_servesPresentKeys_andLoadsTheRestWithoutStoring() throws Exception {
    var users = cache("users");
    users.put("a", "cached-a");

    Map<String, String> result =
        CacheScope.noStore()
            .call(() ->
                users.getAll(
                    List.of("a", "b"),
                    keys -> {
                      assertThat(keys).containsExactly("b");
                      return Map.of("b", "loaded-b");
                    }));

    assertThat(result).containsEntry("a", "cached-a").containsEntry("b", "loaded-b");
    assertThat(users.getIfPresent("b")).isNull();
  }

  @Test
  void getAll_withoutLookups_wrapsCheckedFailures() throws Exception {
    var users = cache("users");
    var failure = new Exception("db down");
    assertThatThrownBy(() ->
            CacheScope.noCache()
                .run(() ->
                    users.getAll(
                        List.of("a"),
                        keys -> {
                          throw failure;
                        })))
        .isInstanceOf(CacheLoadException.class)
        .hasCause(failure);
  }

  @Test
  void scope_followsFanOutForks_whenStructured_orOnJava21() throws Exception {
    var users = cache("users");
    users.put("k", "cached");
    var tasks = new ArrayList<Callable<@Nullable String>>();
    for (int i = 0; i < 6; i++) {
      tasks.add(() -> users.get("k", () -> "fresh"));
    }

    var outcomes = CacheScope.disabled().call(() -> FanOut.get().runAll(tasks, 3, false));

    boolean follows =
        PREVIEW || ScopedContexts.selected().name().equals(ScopedContexts.INHERITABLE);
    for (var outcome : outcomes) {
      assertThat(outcome.value()).isEqualTo(follows ? "fresh" : "cached");
    }
  }

  @Test
  void scope_endsWhenTheTaskThrows() throws Exception {
    var users = cache("users");
    users.put("k", "cached");
    assertThatThrownBy(() ->
            CacheScope.disabled()
                .run(() -> {
                  throw new IllegalStateException("boom");
                }))
        .hasMessage("boom");
    assertThat(users.get("k", failing())).isEqualTo("cached");
  }

  @Test
  void call_passesTheTasksExceptionThroughUnchanged() throws Exception {
    var checked = new Exception("checked");
    assertThatThrownBy(() ->
            CacheScope.noStore()
                .call(() -> {
                  throw checked;
                }))
        .isSameAs(checked);
  }

  @Test
  void factories_rejectNullNames_andDescribeThemselves() throws Exception {
    assertThatThrownBy(() -> CacheScope.noCache("users", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("cacheNames[1] must not be null");
    assertThatThrownBy(() -> CacheScope.noStore().run(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("task must not be null");
    assertThat(CacheScope.noCache("users").toString()).isEqualTo("CacheScope.noCache[users]");
    assertThat(CacheScope.disabled().toString()).isEqualTo("CacheScope.disabled()");
    assertThat(CacheScope.noStore("a", "b").cacheNames()).containsExactlyInAnyOrder("a", "b");
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void joinThread(Thread thread) {
    try {
      if (!thread.join(Duration.ofSeconds(30))) {
        throw new AssertionError(thread + " did not finish within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
