package dev.loomcache.spring.boot;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Test support: wait for a condition by polling (with short parks), failing after a timeout. */
public final class Polling {
  private Polling() {}

  /** Waits until {@code condition} holds, failing the test after {@code timeout}. */
  public static void awaitUntil(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
    }
  }
}
