package dev.loomcache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollingTest {
  @Test
  void awaitUntil_conditionBecomesTrue_returns() {
    var checks = new AtomicInteger();
    Polling.awaitUntil(
        Duration.ofSeconds(30), "the third check", () -> checks.incrementAndGet() >= 3);
    assertThat(checks).hasValue(3);
  }

  @Test
  void awaitUntil_neverTrue_failsNamingWhatItWaitedFor() {
    assertThatThrownBy(() -> Polling.awaitUntil(Duration.ofMillis(20), "pigs fly", () -> false))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("waiting until pigs fly");
  }

  @Test
  void awaitUntil_conditionThrowsChecked_failsAtOnceWithTheCause() {
    var boom = new IOException("connection refused");
    assertThatThrownBy(() ->
            Polling.awaitUntil(
                Duration.ofMinutes(1),
                "the server answers",
                () -> {
                  throw boom;
                }))
        .isInstanceOf(AssertionError.class)
        .hasCause(boom);
  }

  @Test
  void awaitParked_threadWaitingOnALatch_returns() throws InterruptedException {
    var latch = new CountDownLatch(1);
    Thread waiter =
        Thread.ofVirtual()
            .start(() -> {
              try {
                latch.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Polling.awaitParked(waiter);
    latch.countDown();
    waiter.join();
  }

  @Test
  void fakeTicker_movesOnlyWhenAdvanced() {
    var ticker = new FakeTicker();
    long start = ticker.read();
    assertThat(ticker.advance(Duration.ofSeconds(2)).getAsLong() - start).isEqualTo(2_000_000_000L);
  }

  @Test
  void concurrently_run_collectsValuesAndFailuresInTaskOrder() throws InterruptedException {
    var results =
        Concurrently.run(
            3,
            Duration.ofSeconds(30),
            i ->
                () -> {
                  if (i == 1) {
                    throw new IllegalStateException("task 1");
                  }
                  return i;
                });
    assertThat(results.get(0).value()).isEqualTo(0);
    assertThat(results.get(1).failed()).isTrue();
    assertThat(results.get(1).failure()).hasMessage("task 1");
    assertThat(results.get(2).value()).isEqualTo(2);
  }
}
