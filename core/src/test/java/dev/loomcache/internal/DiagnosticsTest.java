package dev.loomcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Batcher;
import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.testsupport.FakeTicker;
import dev.loomcache.testsupport.Polling;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The hooks NothingLeftBehind reads after every test: each says what its part still holds, and
 * nothing once the work is done. (Diagnostics is enabled by the extension before the first test.)
 */
class DiagnosticsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static boolean reports(String what) {
    return Diagnostics.leftovers().stream().anyMatch(line -> line.contains(what));
  }

  @Test
  void leftovers_loadInProgress_namesTheFlightAndItsParkedWaiter_thenNothing() throws Exception {
    Diagnostics.enable();
    var release = new CountDownLatch(1);
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      Thread owner =
          Thread.ofVirtual()
              .start(() ->
                  cache.get(
                      "stuck",
                      () -> {
                        release.await();
                        return "v";
                      }));
      Polling.awaitUntil(WAIT, "the load is in flight", () -> reports("for keys [stuck]"));
      Thread waiter = Thread.ofVirtual().start(() -> cache.get("stuck", () -> "other"));
      Polling.awaitUntil(WAIT, "the waiter parks on the flight", () -> reports("1 parked waiter"));

      release.countDown();
      owner.join();
      waiter.join();
      Polling.awaitUntil(WAIT, "nothing is left", () -> !reports("stuck"));
    }
  }

  @Test
  void leftovers_keyLaneHeld_namesTheKey_thenNothing() {
    Diagnostics.enable();
    var lanes = new KeyLanes<String>();
    KeyLanes.Lane lane = lanes.enter("busy");
    assertThat(lanes.leftover()).isEqualTo("KeyLanes: lanes of keys [busy] still held");
    assertThat(reports("lanes of keys [busy]")).as("the table registered itself").isTrue();
    lanes.leave("busy", lane);
    assertThat(lanes.leftover()).isNull();
    assertThat(reports("[busy]")).isFalse();
  }

  @Test
  void leftovers_batchWindowOpen_namesTheBatcher_thenNothingOnceItDispatched() throws Exception {
    Diagnostics.enable();
    var release = new CountDownLatch(1);
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .name("diag")
            .batchWindow(Duration.ofMinutes(10))
            .maxBatchSize(2)
            .build()) {
      Batcher<String, String> batcher =
          cache.batcher(keys -> {
            release.await();
            return Map.of("a", "A", "b", "B");
          });
      Thread first = Thread.ofVirtual().start(() -> batcher.get("a"));
      Polling.awaitUntil(WAIT, "a window is open", () -> reports("a window still open"));
      Thread second = Thread.ofVirtual().start(() -> batcher.get("b")); // fills it: dispatched
      Polling.awaitUntil(WAIT, "the batch runs", () -> reports("1 batch(es) running"));

      release.countDown();
      first.join();
      second.join();
      Polling.awaitUntil(WAIT, "nothing is left", () -> !reports("loomcache-batch-diag"));
    }
  }

  @Test
  void leftovers_refreshRunning_namesTheRefreshThread_thenNothingOnceItEnds() throws Exception {
    Diagnostics.enable();
    var ticker = new FakeTicker();
    var release = new CountDownLatch(1);
    var reloading = new CountDownLatch(1);
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .name("diag-refresh")
            .ticker(ticker::read)
            .defaultTtl(Duration.ofMinutes(5))
            .refreshAfter(Duration.ofMinutes(1))
            .build()) {
      cache.get("k", () -> "v1");
      ticker.advance(Duration.ofMinutes(2));
      assertThat(
              cache.get(
                  "k",
                  () -> {
                    reloading.countDown();
                    release.await();
                    return "v2";
                  }))
          .isEqualTo("v1"); // due: served at once, reloaded behind
      assertThat(reloading.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(reports("loomcache-refresh-diag-refresh: 1 refresh thread(s) running")).isTrue();

      release.countDown();
      Polling.awaitUntil(WAIT, "the refresh thread ends", () -> !reports("loomcache-refresh-"));
      assertThat(cache.getIfPresent("k")).isEqualTo("v2");
    }
  }
}
