package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Concurrently;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Generations: a load that began before an invalidation or a put never stores its value after it
 * (no stale resurrection), while the callers waiting for that load still receive it.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TierSetup.class)
class CacheInvalidationDuringLoadTest {
  private final Cache<String, String> cache;

  CacheInvalidationDuringLoadTest(TierSetup tiers) {
    this.cache = tiers.builder().build();
  }

  @AfterEach
  void close() {
    cache.close();
  }

  /**
   * Runs a load of "k" returning "old", does {@code during} while it is stuck, then lets it end.
   */
  private LoadRace raceALoadWith(Consumer<Cache<String, String>> during) throws Exception {
    var started = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var ownerResult = new AtomicReference<String>();
    var waiterResult = new AtomicReference<String>();
    var waiterLoads = new AtomicInteger();

    Thread owner =
        Thread.ofVirtual()
            .start(() ->
                ownerResult.set(
                    cache.get(
                        "k",
                        () -> {
                          started.countDown();
                          release.await();
                          return "old";
                        })));
    started.await();
    Thread waiter =
        Thread.ofVirtual()
            .start(() ->
                waiterResult.set(
                    cache.get(
                        "k",
                        () -> {
                          waiterLoads.incrementAndGet();
                          return "waiter's own";
                        })));
    Concurrently.awaitUntil(
        java.time.Duration.ofSeconds(10),
        "the waiter parks",
        () -> CacheHerdTest.parked(cache, "k") == 1);

    during.accept(cache);
    release.countDown();
    owner.join();
    waiter.join();
    return new LoadRace(ownerResult.get(), waiterResult.get(), waiterLoads.get());
  }

  private record LoadRace(String owner, String waiter, int waiterLoads) {}

  @Test
  void invalidate_duringLoad_waitersGetValue_cacheDoesNotKeepIt() throws Exception {
    LoadRace race = raceALoadWith(c -> c.invalidate("k"));

    assertThat(race.owner()).isEqualTo("old");
    assertThat(race.waiter()).isEqualTo("old");
    assertThat(race.waiterLoads()).isZero();
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.get("k", () -> "new")).isEqualTo("new");
  }

  @Test
  void invalidateKeys_duringLoad_cacheDoesNotKeepIt() throws Exception {
    LoadRace race = raceALoadWith(c -> c.invalidateAll(java.util.List.of("k", "other")));

    assertThat(race.waiter()).isEqualTo("old");
    assertThat(cache.getIfPresent("k")).isNull();
  }

  @Test
  void invalidateAll_duringLoad_waitersGetValue_cacheDoesNotKeepIt() throws Exception {
    cache.put("unrelated", "x");

    LoadRace race = raceALoadWith(Cache::invalidateAll);

    assertThat(race.owner()).isEqualTo("old");
    assertThat(race.waiter()).isEqualTo("old");
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.getIfPresent("unrelated")).isNull();
    assertThat(cache.estimatedSize()).isZero();
    assertThat(cache.get("k", () -> "new")).isEqualTo("new");
  }

  @Test
  void put_duringLoad_isNotOverwrittenByTheLoad() throws Exception {
    LoadRace race = raceALoadWith(c -> c.put("k", "put"));

    assertThat(race.owner()).isEqualTo("old");
    assertThat(race.waiter()).isEqualTo("old");
    assertThat(cache.getIfPresent("k")).isEqualTo("put");
    assertThat(cache.get("k", () -> "loaded")).isEqualTo("put");
  }

  @Test
  void invalidateBeforeMutation_readAfterMutationReloads_evenIfTheMutationThrows()
      throws Exception {
    // The pattern agents and @Invalidates rely on: invalidate, mutate, read. A read that started
    // before the mutation must not leave the pre-mutation value behind.
    var database = new AtomicReference<>("v1");
    LoadRace race =
        raceALoadWith(c -> {
          c.invalidate("k");
          database.set("v2");
        });

    assertThat(race.owner()).isEqualTo("old");
    assertThat(cache.get("k", database::get)).isEqualTo("v2");
  }

  @Test
  void loadAfterInvalidateReturned_isStored() {
    cache.put("k", "a");
    cache.invalidate("k");

    assertThat(cache.get("k", () -> "fresh")).isEqualTo("fresh");
    assertThat(cache.getIfPresent("k")).isEqualTo("fresh");
  }
}
