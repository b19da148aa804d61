package dev.loomcache.chronicle;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Test support: wait for a condition without sleeping (after core's {@code Concurrently}). */
final class Polling {
  private Polling() {}

  /** Waits until {@code condition} holds, failing the test after {@code timeout}. */
  static void awaitUntil(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
