package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Concurrently;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Linearizable single-key operations: a read that begins after an invalidating call returned never
 * receives the value of a load that began before it. It starts (or joins) a current load instead,
 * while the callers that were already waiting for the old load still receive its value.
 *
 * <p>Each test holds a load of "k" (returning "old") in its loader, runs the invalidating call to
 * completion, and only then starts a second read. Before the engine v2, that read joined the
 * superseded flight and returned "old" (the Lincheck counterexample {@code [t1] get(1): 10 | [t2]
 * invalidate(1), get(1): 10}).
 */
class CacheLinearizabilityTest {
  private final Cache<String, String> cache = Loomcache.newBuilder().build();

  @AfterEach
  void close() {
    cache.close();
  }

  private record Race(String oldLoad, String oldWaiter, String after, int loadsAfter) {}

  /** Holds a load of "k" with one waiter on it, runs {@code invalidation}, then reads "k" again. */
  private Race readAfter(Consumer<Cache<String, String>> invalidation) throws Exception {
    var started = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var oldLoad = new AtomicReference<String>();
    var oldWaiter = new AtomicReference<String>();
    Thread owner =
        Thread.ofVirtual()
            .start(() ->
                oldLoad.set(
                    cache.get(
                        "k",
                        () -> {
                          started.countDown();
                          release.await();
                          return "old";
                        })));
    started.await();
    Thread waiter = Thread.ofVirtual().start(() -> oldWaiter.set(cache.get("k", () -> "unused")));
    Concurrently.awaitUntil(
        Duration.ofSeconds(10), "the waiter parks", () -> CacheHerdTest.parked(cache, "k") == 1);

    invalidation.accept(cache); // returns before the next read begins

    var loadsAfter = new AtomicInteger();
    var after = new AtomicReference<String>();
    Thread reader =
        Thread.ofVirtual()
            .start(() ->
                after.set(
                    cache.get(
                        "k",
                        () -> {
                          loadsAfter.incrementAndGet();
                          return "new";
                        })));
    // Correct: the read completes on its own. The bug: it parks on the old load (2 parked).
    Concurrently.awaitUntil(
        Duration.ofSeconds(10),
        "the read after the invalidation ends or parks",
        () -> !reader.isAlive() || CacheHerdTest.parked(cache, "k") == 2);
    release.countDown();
    reader.join();
    owner.join();
    waiter.join();
    return new Race(oldLoad.get(), oldWaiter.get(), after.get(), loadsAfter.get());
  }

  @Test
  void get_afterInvalidateReturned_startsItsOwnLoad() throws Exception {
    Race race = readAfter(c -> c.invalidate("k"));

    assertThat(race.after()).isEqualTo("new");
    assertThat(race.loadsAfter()).isEqualTo(1);
    assertThat(race.oldLoad()).isEqualTo("old");
    assertThat(race.oldWaiter()).isEqualTo("old"); // it asked before the invalidation
    assertThat(cache.getIfPresent("k")).isEqualTo("new");
  }

  @Test
  void get_afterInvalidateAllReturned_startsItsOwnLoad() throws Exception {
    Race race = readAfter(Cache::invalidateAll);

    assertThat(race.after()).isEqualTo("new");
    assertThat(race.loadsAfter()).isEqualTo(1);
    assertThat(race.oldWaiter()).isEqualTo("old");
    assertThat(cache.getIfPresent("k")).isEqualTo("new");
  }

  @Test
  void get_afterInvalidateAllOfKeysReturned_startsItsOwnLoad() throws Exception {
    Race race = readAfter(c -> c.invalidateAll(java.util.List.of("k")));

    assertThat(race.after()).isEqualTo("new");
    assertThat(race.loadsAfter()).isEqualTo(1);
  }

  @Test
  void get_afterPutReturned_seesThePut_andThePutSurvivesTheOldLoad() throws Exception {
    Race race = readAfter(c -> c.put("k", "put"));

    assertThat(race.after()).isEqualTo("put");
    assertThat(race.loadsAfter()).isZero();
    assertThat(race.oldWaiter()).isEqualTo("old");
    assertThat(cache.getIfPresent("k")).isEqualTo("put");
  }

  @Test
  void get_afterPutReturned_inACacheThatStoresNothing_loadsAfresh() throws Exception {
    try (Cache<String, String> nothing = Loomcache.newBuilder().maximumSize(0).build()) {
      var started = new CountDownLatch(1);
      var release = new CountDownLatch(1);
      Thread owner =
          Thread.ofVirtual()
              .start(() ->
                  nothing.get(
                      "k",
                      () -> {
                        started.countDown();
                        release.await();
                        return "old";
                      }));
      started.await();
      // Stores nothing, so the read after the put misses L1; it must not join the old load either.
      nothing.put("k", "put");

      var after = new AtomicReference<String>();
      Thread reader = Thread.ofVirtual().start(() -> after.set(nothing.get("k", () -> "new")));
      Concurrently.awaitUntil(
          Duration.ofSeconds(10),
          "the read after the put ends or parks",
          () -> !reader.isAlive() || CacheHerdTest.parked(nothing, "k") == 1);
      release.countDown();
      reader.join();
      owner.join();
      assertThat(after.get()).isEqualTo("new");
    }
  }

  @Test
  void proxyRead_afterInvalidatingMethodReturned_neverSeesTheOldLoad() throws Exception {
    var data = new AtomicReference<>("old");
    var started = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var slowFirstRead = new AtomicInteger();
    Catalog target =
        new Catalog() {
          @Override
          public String find(String id) throws InterruptedException {
            String seen = data.get();
            if (slowFirstRead.getAndIncrement() == 0) {
              started.countDown();
              release.await();
            }
            return seen;
          }

          @Override
          public void rename(String id, String name) {
            data.set(name);
          }
        };
    Catalog catalog = CachingProxy.of(Catalog.class, target);
    var oldRead = new AtomicReference<String>();
    Thread reader =
        Thread.ofVirtual()
            .start(() -> {
              try {
                oldRead.set(catalog.find("k"));
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
            });
    started.await();

    catalog.rename("k", "new"); // invalidates before and after the mutation

    var after = new AtomicReference<String>();
    Thread second =
        Thread.ofVirtual()
            .start(() -> {
              try {
                after.set(catalog.find("k"));
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
            });
    second.join(Duration.ofSeconds(5)); // the bug parks it on the old read until released
    release.countDown();
    second.join();
    reader.join();
    assertThat(after.get()).isEqualTo("new");
    assertThat(oldRead.get()).isEqualTo("old");
    assertThat(catalog.find("k")).isEqualTo("new");
  }

  /** A service whose reads are cached and whose rename invalidates them. */
  public interface Catalog {
    @Cached
    String find(@ParamName("id") String id) throws InterruptedException;

    @Invalidates(value = "find", keys = "id")
    void rename(@ParamName("id") String id, String name);
  }
}
