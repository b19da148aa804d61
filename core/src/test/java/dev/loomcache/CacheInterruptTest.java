package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Concurrently;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Interrupts stay with their thread: waiters leave alone, owners hand the load over. */
@ParameterizedClass(name = "{0}")
@EnumSource(TierSetup.class)
class CacheInterruptTest {
  private final Cache<String, String> cache;

  CacheInterruptTest(TierSetup tiers) {
    this.cache = tiers.builder().build();
  }

  @AfterEach
  void close() {
    cache.close();
  }

  /** What one caller saw: its value or failure, and its interrupt status afterwards. */
  private static final class Caller {
    final AtomicReference<String> value = new AtomicReference<>();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final AtomicBoolean interruptedAfter = new AtomicBoolean();
    Thread thread;

    Caller start(Runnable body) {
      thread =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  body.run();
                } catch (Throwable t) {
                  failure.set(t);
                } finally {
                  interruptedAfter.set(Thread.currentThread().isInterrupted());
                }
              });
      return this;
    }
  }

  private Caller call(String key, java.util.concurrent.Callable<String> loader) {
    var caller = new Caller();
    return caller.start(() -> caller.value.set(cache.get(key, loader)));
  }

  private void awaitParked(String key, int count) {
    Concurrently.awaitUntil(
        Duration.ofSeconds(10),
        count + " callers park",
        () -> CacheHerdTest.parked(cache, key) == count);
  }

  @Test
  void ownerInterrupted_waitersStillGetAValue_oneOfThemTookOver() throws Exception {
    var ownerStarted = new CountDownLatch(1);
    var takeOvers = new AtomicInteger();
    Caller owner =
        call(
            "k",
            () -> {
              ownerStarted.countDown();
              new CountDownLatch(1).await(); // blocks until interrupted
              return "never";
            });
    ownerStarted.await();
    List<Caller> waiters = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waiters.add(call("k", () -> "taken over " + takeOvers.incrementAndGet()));
    }
    awaitParked("k", 5);

    owner.thread.interrupt();
    owner.thread.join();
    for (Caller waiter : waiters) {
      waiter.thread.join();
    }

    assertThat(owner.failure.get())
        .isInstanceOf(CacheLoadException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(owner.interruptedAfter).isTrue();
    assertThat(takeOvers).hasValue(1);
    for (Caller waiter : waiters) {
      assertThat(waiter.failure.get()).isNull();
      assertThat(waiter.value.get()).isEqualTo("taken over 1");
      assertThat(waiter.interruptedAfter).isFalse();
    }
    assertThat(cache.getIfPresent("k")).isEqualTo("taken over 1");
  }

  @Test
  void ownerInterrupted_loaderFailsWithUncheckedException_failureIsTheOwnersAlone()
      throws Exception {
    var ownerStarted = new CountDownLatch(1);
    var gaveUp = new IllegalStateException("gave up after interrupt");
    Caller owner =
        call(
            "k",
            () -> {
              ownerStarted.countDown();
              while (!Thread.currentThread().isInterrupted()) {
                // parks, keeping the interrupt status: a spin would hold a carrier, and on a
                // one-CPU machine (one carrier) the waiter it waits for would never run
                LockSupport.parkNanos(1_000_000);
              }
              throw gaveUp;
            });
    ownerStarted.await();
    Caller waiter = call("k", () -> "waiter's load");
    awaitParked("k", 1);

    owner.thread.interrupt();
    owner.thread.join();
    waiter.thread.join();

    assertThat(owner.failure.get()).isSameAs(gaveUp);
    assertThat(owner.interruptedAfter).isTrue();
    assertThat(waiter.value.get()).isEqualTo("waiter's load");
    assertThat(waiter.failure.get()).isNull();
  }

  @Test
  void ownerInterrupted_withNoWaiters_failsAndNextGetLoads() throws Exception {
    var ownerStarted = new CountDownLatch(1);
    Caller owner =
        call(
            "k",
            () -> {
              ownerStarted.countDown();
              new CountDownLatch(1).await();
              return "never";
            });
    ownerStarted.await();
    Concurrently.awaitParked(owner.thread);

    owner.thread.interrupt();
    owner.thread.join();

    assertThat(owner.failure.get()).hasCauseInstanceOf(InterruptedException.class);
    assertThat(cache.get("k", () -> "next")).isEqualTo("next");
  }

  @Test
  void ownerInterrupted_butLoaderSucceeds_everyoneGetsTheValue_andOwnerKeepsItsFlag()
      throws Exception {
    var ownerStarted = new CountDownLatch(1);
    Caller owner =
        call(
            "k",
            () -> {
              ownerStarted.countDown();
              while (!Thread.currentThread().isInterrupted()) {
                // parks, keeping the interrupt status: a spin would hold a carrier, and on a
                // one-CPU machine (one carrier) the waiter it waits for would never run
                LockSupport.parkNanos(1_000_000);
              }
              return "finished anyway";
            });
    ownerStarted.await();
    Caller waiter = call("k", () -> "unused");
    awaitParked("k", 1);

    owner.thread.interrupt();
    owner.thread.join();
    waiter.thread.join();

    assertThat(owner.value.get()).isEqualTo("finished anyway");
    assertThat(owner.interruptedAfter).isTrue();
    assertThat(waiter.value.get()).isEqualTo("finished anyway");
    assertThat(cache.getIfPresent("k")).isEqualTo("finished anyway");
  }

  @Test
  void waiterInterrupted_leavesAlone_loadGoesOnForTheOthers() throws Exception {
    var ownerStarted = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var loads = new AtomicInteger();
    Caller owner =
        call(
            "k",
            () -> {
              loads.incrementAndGet();
              ownerStarted.countDown();
              release.await();
              return "value";
            });
    ownerStarted.await();
    Caller leaving = call("k", () -> "leaving's load");
    Caller staying = call("k", () -> "staying's load");
    awaitParked("k", 2);

    leaving.thread.interrupt();
    leaving.thread.join();
    assertThat(leaving.failure.get())
        .isInstanceOf(CacheLoadException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(leaving.interruptedAfter).isTrue();
    awaitParked("k", 1);

    release.countDown();
    owner.thread.join();
    staying.thread.join();

    assertThat(owner.value.get()).isEqualTo("value");
    assertThat(staying.value.get()).isEqualTo("value");
    assertThat(staying.interruptedAfter).isFalse();
    assertThat(loads).hasValue(1);
    assertThat(cache.getIfPresent("k")).isEqualTo("value");
  }

  @Test
  void waiterAlreadyInterrupted_failsAtOnce_loadUnaffected() throws Exception {
    var ownerStarted = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    Caller owner =
        call(
            "k",
            () -> {
              ownerStarted.countDown();
              release.await();
              return "value";
            });
    ownerStarted.await();

    var caller = new Caller();
    caller.start(() -> {
      Thread.currentThread().interrupt();
      caller.value.set(cache.get("k", () -> "unused"));
    });
    caller.thread.join();
    release.countDown();
    owner.thread.join();

    assertThat(caller.failure.get()).hasCauseInstanceOf(InterruptedException.class);
    assertThat(caller.interruptedAfter).isTrue();
    assertThat(owner.value.get()).isEqualTo("value");
  }

  @Test
  void interruptedCallerOnAHit_getsTheValue_andKeepsItsFlag() throws Exception {
    cache.put("k", "present");
    var caller = new Caller();
    caller.start(() -> {
      Thread.currentThread().interrupt();
      caller.value.set(cache.get("k", () -> "unused"));
    });
    caller.thread.join();

    assertThat(caller.value.get()).isEqualTo("present");
    assertThat(caller.interruptedAfter).isTrue();
  }
}
