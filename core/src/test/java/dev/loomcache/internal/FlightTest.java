package dev.loomcache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.internal.Flight.Loaded;
import dev.loomcache.internal.Flight.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The wake-up: waiters register under the flight's lock and park outside it; the completer unparks
 * them after releasing it. Interrupts stay with their waiter.
 */
class FlightTest {
  private static void awaitParked(Flight flight, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (flight.parkedCount() != count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + count + " parked, saw " + flight.parkedCount());
      }
      Thread.yield();
    }
  }

  @Test
  void complete_wakesEveryParkedWaiter_whoReturnWithoutTakingTheLockAgain() throws Exception {
    var flight = new Flight(null, 0);
    var results = new ConcurrentLinkedQueue<Outcome>();
    var threads = new ArrayList<Thread>();
    for (int i = 0; i < 1_000; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(() -> {
                try {
                  results.add(flight.await());
                } catch (InterruptedException e) {
                  throw new AssertionError(e);
                }
              }));
    }
    awaitParked(flight, 1_000);
    Outcome outcome = new Loaded("v");

    flight.complete(outcome);

    for (Thread t : threads) {
      t.join(Duration.ofSeconds(10));
      assertThat(t.isAlive()).isFalse();
    }
    assertThat(results).hasSize(1_000).allMatch(r -> r == outcome);
    assertThat(flight.parkedCount()).isZero();
  }

  @Test
  void await_interrupted_leavesAlone_othersStillGetTheOutcome() throws Exception {
    var flight = new Flight(null, 0);
    var interrupted = new AtomicReference<Throwable>();
    var other = new AtomicReference<Outcome>();
    Thread victim =
        Thread.ofVirtual()
            .start(() -> {
              try {
                flight.await();
              } catch (InterruptedException e) {
                interrupted.set(e);
              }
            });
    Thread survivor =
        Thread.ofVirtual()
            .start(() -> {
              try {
                other.set(flight.await());
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
            });
    awaitParked(flight, 2);

    victim.interrupt();
    victim.join();
    assertThat(interrupted.get()).isInstanceOf(InterruptedException.class);
    assertThat(flight.parkedCount()).isEqualTo(1);

    flight.complete(new Loaded("v"));
    survivor.join();
    assertThat(other.get()).isEqualTo(new Loaded("v"));
  }

  @Test
  void await_spuriousWakeUp_parksAgain() throws Exception {
    var flight = new Flight(null, 0);
    var result = new AtomicReference<Outcome>();
    Thread waiter =
        Thread.ofVirtual()
            .start(() -> {
              try {
                result.set(flight.await());
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
            });
    awaitParked(flight, 1);

    LockSupport.unpark(waiter); // not a completion
    waiter.join(Duration.ofMillis(200));
    assertThat(waiter.isAlive()).isTrue();
    assertThat(result.get()).isNull();

    flight.complete(new Loaded("v"));
    waiter.join();
    assertThat(result.get()).isEqualTo(new Loaded("v"));
  }

  @Test
  void await_afterCompletion_returnsAtOnce_evenIfInterrupted() throws Exception {
    var flight = new Flight(null, 0);
    flight.complete(new Loaded("v"));
    Thread.currentThread().interrupt();
    try {
      assertThat(flight.await()).isEqualTo(new Loaded("v"));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void await_interruptedBeforeParking_throws() {
    var flight = new Flight(null, 0);
    Thread.currentThread().interrupt();
    assertThatThrownBy(flight::await).isInstanceOf(InterruptedException.class);
    assertThat(flight.parkedCount()).isZero();
  }

  @Test
  void complete_secondOutcome_isIgnored() throws Exception {
    var flight = new Flight(null, 0);
    flight.complete(new Loaded("first"));
    flight.complete(new Loaded("second"));
    assertThat(flight.await()).isEqualTo(new Loaded("first"));
  }
}
