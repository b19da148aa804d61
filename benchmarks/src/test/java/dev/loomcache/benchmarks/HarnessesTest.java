package dev.loomcache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.Batcher;
import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Each harness at a small scale: it runs, it measures what it says, and its checks hold. */
class HarnessesTest {

  static java.util.List<Rival> caches() {
    return Rival.caches();
  }

  @ParameterizedTest
  @MethodSource("caches")
  void stampede_everyRival_loadsEachKeyOnce(Rival rival) throws Exception {
    StampedeHarness.Round round = StampedeHarness.runOnce(rival, 500, 10, Duration.ofMillis(5));
    assertThat(round.loaderCalls()).isEqualTo(10);
    assertThat(round.waits().count()).isEqualTo(500);
    assertThat(round.wallNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(5).toNanos());
  }

  @ParameterizedTest
  @EnumSource(SpringCaching.Manager.class)
  void springStampede_eachManager_callsTheSyncMethodOncePerKey(SpringCaching.Manager manager)
      throws Exception {
    SpringStampedeHarness.Round round =
        SpringStampedeHarness.runOnce(manager, 500, 10, Duration.ofMillis(5));
    assertThat(round.methodCalls()).isEqualTo(10);
    assertThat(round.waits().count()).isEqualTo(500);
    assertThat(round.wallNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(5).toNanos());
  }

  @Test
  void springStampede_main_wrongArguments_namesTheUsage() {
    assertThatThrownBy(() -> SpringStampedeHarness.main(new String[] {"10000"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LOOMCACHE|CAFFEINE callers keys loadMillis warmups rounds");
  }

  @Test
  void stampede_noCache_isTheFloor_everyCallerLoads() throws Exception {
    StampedeHarness.Round round =
        StampedeHarness.runOnce(Rival.NONE, 500, 10, Duration.ofMillis(5));
    assertThat(round.loaderCalls()).isEqualTo(500);
    assertThat(round.waits().count()).isEqualTo(500);
    assertThat(Rival.caches()).doesNotContain(Rival.NONE).hasSize(Rival.values().length - 1);
  }

  @ParameterizedTest
  @MethodSource("caches")
  void collateral_everyRival_measuresFastOpsAndSlowLoads(Rival rival) throws Exception {
    CollateralHarness.Result result =
        CollateralHarness.run(
            rival, Duration.ofMillis(300), 2, Duration.ofMillis(20), Duration.ofMillis(1));
    assertThat(result.slowLoads()).isPositive();
    assertThat(result.loads().count()).isPositive().isEqualTo(result.reads().count());
    assertThat(result.all().count()).isEqualTo(2 * result.loads().count());
  }

  @Test
  void pinning_loomcacheStampede_pinsNothingOutsideClassLoading() throws Exception {
    PinningHarness.Result result =
        PinningHarness.run(Rival.LOOMCACHE, 500, 10, Duration.ofMillis(5));
    assertThat(result.other()).isZero();
    assertThat(result.otherSites()).isEmpty();
  }

  @Test
  void memory_concurrentHashMap_countsEveryEntryAndItsKeysAndValues() {
    MemoryHarness.Result result =
        MemoryHarness.measure(MemoryHarness.Subject.CONCURRENT_HASH_MAP, 20_000);
    assertThat(result.entries()).isEqualTo(20_000);
    // the total includes the key and value objects the structure figure leaves out
    assertThat(result.totalBytesPerEntry()).isGreaterThan(result.structureBytesPerEntry());
    assertThat(result.structureBytesPerEntry()).isPositive();
  }

  @Test
  void batchLatency_loneKey_waitsForTheWindow() {
    try (Cache<Integer, Integer> cache =
        Loomcache.newBuilder().batchWindow(Duration.ofMillis(2)).build()) {
      Batcher<Integer, Integer> batcher = cache.batcher(BatchLatencyHarness.IDENTITY);
      Latencies lone = BatchLatencyHarness.loneKey(batcher, new AtomicInteger(), 5);
      assertThat(lone.count()).isEqualTo(5);
      assertThat(lone.percentile(0.1)).isGreaterThanOrEqualTo(Duration.ofMillis(2).toNanos());
    }
  }

  @Test
  void batchLatency_fullWindow_dispatchesWithoutWaitingForTheTimer() throws Exception {
    try (Cache<Integer, Integer> cache =
        Loomcache.newBuilder().batchWindow(Duration.ofSeconds(30)).build()) {
      Batcher<Integer, Integer> batcher = cache.batcher(BatchLatencyHarness.IDENTITY);
      // a 30 s window: only batches closed by their size can complete within the test's time limit
      Latencies full = BatchLatencyHarness.fullWindow(batcher, new AtomicInteger(), 2);
      assertThat(full.count()).isEqualTo(200);
      assertThat(full.max()).isLessThan(Duration.ofSeconds(30).toNanos());
      assertThat(cache.stats().batchCount()).isEqualTo(2);
    }
  }

  @Test
  void batchLatency_manyCallers_coalescesIntoBatches() throws Exception {
    try (Cache<Integer, Integer> cache = Loomcache.newBuilder().build()) {
      Batcher<Integer, Integer> batcher = cache.batcher(BatchLatencyHarness.IDENTITY);
      BatchLatencyHarness.Throughput many =
          BatchLatencyHarness.manyCallers(
              cache, batcher, new AtomicInteger(), 200, Duration.ofMillis(200));
      assertThat(many.keysPerSecond()).isPositive();
      assertThat(many.meanBatchSize()).isGreaterThan(1).isLessThanOrEqualTo(100);
    }
  }
}
