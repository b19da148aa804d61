package dev.loomcache.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScenarioRunnerTest {
  private DemoCaches caches;

  private ScenarioRunner runner(SlowBackend backend) {
    caches =
        new DemoCaches(
            new SimpleMeterRegistry(), backend, TierSetup.none("none"), DemoConfig.defaults());
    return new ScenarioRunner(caches, new LatencyHistogram(), new SimpleMeterRegistry());
  }

  @AfterEach
  void close() {
    if (caches != null) {
      caches.close();
    }
  }

  private static FormValues form(String... fieldsAndValues) {
    var fields = new HashMap<String, String[]>();
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      fields.put(fieldsAndValues[i], new String[] {fieldsAndValues[i + 1]});
    }
    return FormValues.of(fields);
  }

  @Test
  void oneKey_tenThousandVirtualThreadsAgainstASlowBackend_makeOneLoaderCall() {
    Map<String, Object> result =
        runner(SlowBackend.database()).run(Scenario.ONE_KEY, form("requests", "10000"));
    assertThat(result)
        .containsEntry("requests", 10_000)
        .containsEntry("loaderCalls", 1L)
        .containsEntry("distinctValues", 1)
        .containsEntry("failures", 0L);
    assertThat(caches.snapshot().stats().coalescedCount() + caches.snapshot().stats().hitCount())
        .isEqualTo(9_999);
  }

  @Test
  void oneKey_runTwice_loadsAgainBecauseTheKeyIsInvalidatedFirst() {
    ScenarioRunner runner = runner(SlowBackend.database());
    runner.run(Scenario.ONE_KEY, form("requests", "50"));
    Map<String, Object> second = runner.run(Scenario.ONE_KEY, form("requests", "50"));
    assertThat(second).containsEntry("loaderCalls", 1L).containsEntry("run", 2L);
  }

  @Test
  void run_whileAnotherRunHoldsTheBackend_is409AndBadInputStill400() throws Exception {
    var held = new HeldBackend();
    ScenarioRunner runner = runner(held);
    var first =
        CompletableFuture.supplyAsync(
            () -> runner.run(Scenario.ONE_KEY, form("requests", "20")),
            runnable -> Thread.ofVirtual().start(runnable));
    assertThat(held.entered.await(10, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(() -> runner.run(Scenario.UNIQUE_KEYS, form("requests", "5")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409))
        .hasMessageContaining("Another scenario or a rebuild is running");
    assertThatThrownBy(() -> runner.reconfigure(form("maximumSize", "5")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
    assertThatThrownBy(() -> runner.run(Scenario.ONE_KEY, form("requests", "none")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));

    held.release.countDown();
    assertThat(first.get(30, TimeUnit.SECONDS)).containsEntry("loaderCalls", 1L);
    assertThat(runner.reconfigure(form("maximumSize", "5")).maximumSize()).isEqualTo(5);
  }

  @Test
  void warmup_someKeysPresent_skipsThemAndLoadsTheRest() {
    ScenarioRunner runner = runner(new SlowBackend(Duration.ZERO, Duration.ZERO));
    caches.current().cache().put("catalog-0", "already here");
    Map<String, Object> result = runner.run(Scenario.WARMUP, form("requests", "10"));
    assertThat(result.get("warmup")).isEqualTo(Map.of("loaded", 9, "skipped", 1, "failed", 0));
    assertThat(result).containsEntry("loaderCalls", 9L);
    assertThat(caches.current().cache().getIfPresent("catalog-0")).isEqualTo("already here");
  }

  @Test
  void reconfigure_rebuildsTheCacheWithFreshStatistics() {
    ScenarioRunner runner = runner(new SlowBackend(Duration.ZERO, Duration.ZERO));
    runner.run(Scenario.UNIQUE_KEYS, form("requests", "10"));
    DemoConfig config = runner.reconfigure(form("maxBatchSize", "3", "ttlSeconds", "30"));
    assertThat(config).isEqualTo(new DemoConfig(10_000, 30, 5, 3));
    assertThat(caches.current().generation()).isEqualTo(2);
    assertThat(caches.snapshot().stats().missCount()).isZero();
    Map<String, Object> burst = runner.run(Scenario.BATCHED_BURST, form("requests", "7"));
    assertThat((long) burst.get("batchCalls")).isGreaterThanOrEqualTo(3);
    assertThat(caches.snapshot().stats().largestBatchSize()).isLessThanOrEqualTo(3);
  }

  @Test
  void batchedBurst_headline_countsTheBatchLoaderCallsNotZero() {
    Map<String, Object> result =
        runner(new SlowBackend(Duration.ZERO, Duration.ZERO))
            .run(Scenario.BATCHED_BURST, form("requests", "1000"));
    long batchCalls = (long) result.get("batchCalls");
    assertThat(result).containsEntry("loaderCalls", 0L);
    assertThat(batchCalls).isGreaterThanOrEqualTo(10);
    assertThat(result.get("headline"))
        .isEqualTo(
            Map.of(
                "calls",
                batchCalls,
                "label",
                "batch loader calls",
                "of",
                1000,
                "unit",
                "requests",
                "text",
                String.format(
                    Locale.ROOT, "%,d batch loader calls for 1,000 requests", batchCalls)));
    assertThat((String) result.get("summary"))
        .startsWith(
            "1000 requests, 0 loader calls, " + batchCalls + " batch loader calls for 1000 keys;");
  }

  @Test
  void headline_oneKeyAndWarmup_sayLoaderCallsAndWhatTheyWereFor() {
    ScenarioRunner runner = runner(new SlowBackend(Duration.ZERO, Duration.ZERO));
    assertThat(runner.run(Scenario.ONE_KEY, form("requests", "50")).get("headline"))
        .isEqualTo(
            Map.of(
                "calls",
                1L,
                "label",
                "loader call",
                "of",
                50,
                "unit",
                "requests",
                "text",
                "1 loader call for 50 requests"));
    assertThat(runner.run(Scenario.WARMUP, form("requests", "1")).get("headline"))
        .isEqualTo(
            Map.of(
                "calls",
                1L,
                "label",
                "loader call",
                "of",
                1,
                "unit",
                "key",
                "text",
                "1 loader call for 1 key"));
  }

  @Test
  void hitRateChange_secondMix_isAfterMinusBeforeAndTheRunsOwnRateIsApart() {
    ScenarioRunner runner = runner(new SlowBackend(Duration.ZERO, Duration.ZERO));
    runner.run(Scenario.MIX, form("requests", "200", "keys", "10"));
    // Every key is present now: the second run's own reads all hit.
    Map<String, Object> second = runner.run(Scenario.MIX, form("requests", "200", "keys", "10"));
    double before = (double) stats(second, "before").get("hitRate");
    double after = (double) stats(second, "after").get("hitRate");
    assertThat(second).containsEntry("runHitRate", 1.0);
    assertThat((double) stats(second, "delta").get("hitRate"))
        .isCloseTo(after - before, within(1e-9))
        .isLessThan(1.0);
    assertThat(stats(second, "delta").get("size"))
        .isEqualTo(
            (long) stats(second, "after").get("size") - (long) stats(second, "before").get("size"));
  }

  @Test
  void mix_firstRunOnAnEmptyCache_hasHitsLoadsAndWaitsAsItsTextSays() {
    // Loads long enough that the first wave's requests for a hot key arrive while it loads.
    var backend = new SlowBackend(Duration.ofMillis(200), Duration.ofMillis(200));
    Map<String, Object> result =
        runner(backend).run(Scenario.MIX, form("requests", "2000", "keys", "100"));
    Map<String, Object> delta = stats(result, "delta");
    assertThat(result).containsEntry("waves", Scenario.MIX_WAVES).containsEntry("failures", 0L);
    assertThat((long) delta.get("hits")).as("hits").isGreaterThanOrEqualTo(1000);
    assertThat((long) delta.get("loads")).as("loads").isBetween(1L, 100L);
    assertThat((long) delta.get("coalesced")).as("waits for another caller's load").isPositive();
    assertThat((long) delta.get("hits") + (long) delta.get("misses")).isEqualTo(2000);
    assertThat(Scenario.MIX.toJson().get("description").toString())
        .contains("first wave loads")
        .contains("later waves mostly hit");
  }

  @Test
  void mixKey_hundredKeys_aboutOneRequestInTenAsksForTheHottest() {
    long hottest =
        IntStream.range(0, 1000).filter(i -> ScenarioRunner.mixKey(i, 100).equals("mix-0")).count();
    assertThat(hottest).isBetween(90L, 110L);
    assertThat(
            IntStream.range(0, 1000)
                .mapToObj(i -> ScenarioRunner.mixKey(i, 100))
                .distinct()
                .count())
        .isEqualTo(100);
  }

  @Test
  void warmup_result_hasNoDistinctValuesReceivedAndCountsKeys() {
    Map<String, Object> result =
        runner(new SlowBackend(Duration.ZERO, Duration.ZERO))
            .run(Scenario.WARMUP, form("requests", "10"));
    assertThat(result).doesNotContainKey("distinctValues").containsEntry("unit", "keys");
    assertThat((String) result.get("summary"))
        .startsWith("10 keys: 10 loaded, 0 skipped (already present), 0 failed; 10 loader calls;");
  }

  @Test
  void uniqueKeys_result_showsTheLoadsSummedTimeBesideTheElapsedTime() {
    var backend = new SlowBackend(Duration.ofMillis(20), Duration.ofMillis(20));
    Map<String, Object> result = runner(backend).run(Scenario.UNIQUE_KEYS, form("requests", "100"));
    double loaderMillis = (double) result.get("loaderMillis");
    assertThat(loaderMillis).as("100 loads of 20 ms").isGreaterThanOrEqualTo(2_000);
    assertThat((double) result.get("elapsedMillis")).as("run at once").isLessThan(loaderMillis);
    assertThat(Scenario.UNIQUE_KEYS.toJson().get("description").toString())
        .doesNotContain("about as long as one load");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> stats(Map<String, Object> result, String which) {
    return (Map<String, Object>) result.get(which);
  }

  /** A backend whose calls wait until the test releases them. */
  private static final class HeldBackend extends SlowBackend {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    HeldBackend() {
      super(Duration.ZERO, Duration.ZERO);
    }

    @Override
    protected void park() throws InterruptedException {
      entered.countDown();
      release.await();
    }
  }
}
