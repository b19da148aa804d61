package dev.loomcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Ticker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** No user code under a lock: the loader runs outside every lock and every map compute. */
class FlightTableLockTest {
  private final StatsCounter stats = new StatsCounter();
  private final L1Store<String, String> l1 =
      new L1Store<>(1_000, false, Ticker.systemTicker(), null, stats);
  private final FlightTable<String> flights = new FlightTable<>();
  private final WritePath<String, String> writes =
      new WritePath<>(flights, l1, stats, Tiers.none());
  private final Loads<String, String> table =
      new Loads<>(flights, l1, writes, Tiers.none(), stats, Ticker.systemTicker());

  @Test
  void load_loaderRunsWithoutHoldingAnyLockOfOurs() throws Exception {
    var waiterParked = new CountDownLatch(1);
    var violations = new AtomicReference<String>();
    Thread waiter = Thread.ofVirtual().unstarted(() -> table.load("k", () -> "unused", Ttl.NEVER));

    String value =
        table.load(
            "k",
            () -> {
              // Make the flight's lock live: a waiter parks on it while we load.
              waiter.start();
              while (flights.parkedCount("k") != 1) {
                Thread.onSpinWait();
              }
              waiterParked.countDown();
              if (flights.holdsAnyFlightLock()) {
                violations.set("the loader holds a flight lock");
              }
              if (Thread.holdsLock(flights) || Thread.holdsLock(l1)) {
                violations.set("the loader holds a monitor of the cache");
              }
              // If the loader ran inside flights.compute (or any lock covering the key), these
              // writes
              // from another thread would block on it until the loader returned: a deadlock here.
              var fromAnotherThread =
                  CompletableFuture.runAsync(
                      () -> {
                        writes.invalidate("k");
                        writes.put("k2", "other", Ttl.NEVER);
                        writes.invalidateAll();
                      },
                      r -> Thread.ofVirtual().start(r));
              fromAnotherThread.get(10, TimeUnit.SECONDS);
              return "v";
            },
            Ttl.NEVER);

    waiter.join(Duration.ofSeconds(10));
    assertThat(violations.get()).isNull();
    assertThat(value).isEqualTo("v");
    assertThat(waiterParked.getCount()).isZero();
  }

  @Test
  void load_flightLeavesTheTableWhateverTheLoaderDid() {
    try {
      table.load(
          "k",
          () -> {
            throw new OutOfMemoryError("simulated");
          },
          Ttl.NEVER);
    } catch (OutOfMemoryError expected) {
      // the failure is the caller's
    }
    assertThat(flights.inFlightCount()).isZero();
    assertThat(table.load("k", () -> "ok", Ttl.NEVER)).isEqualTo("ok");
    assertThat(flights.inFlightCount()).isZero();
  }
}
