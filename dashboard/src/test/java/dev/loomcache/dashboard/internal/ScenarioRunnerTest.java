package dev.loomcache.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScenarioRunnerTest {
  private DemoCaches caches;

  private ScenarioRunner runner(SlowBackend backend) {
    caches = new DemoCaches(new SimpleMeterRegistry(), backend, TierSetup.none("none"),
        DemoConfig.defaults());
    return new ScenarioRunner(caches, new LatencyHistogram(), new SimpleMeterRegistry());
  }

  @AfterEach
  void close() {
    caches.close();
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
    assertThat(result).containsEntry("requests", 10_000).containsEntry("loaderCalls", 1L)
        .containsEntry("distinctValues", 1).containsEntry("failures", 0L);
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
    var first = CompletableFuture.supplyAsync(
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
