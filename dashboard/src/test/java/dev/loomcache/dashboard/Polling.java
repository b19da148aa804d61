package dev.loomcache.dashboard;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Test support: waits for a condition by polling with short parks, failing after a timeout. */
final class Polling {
  /** A condition that may need I/O (an HTTP request) to check. */
  interface Condition {
    boolean holds() throws Exception;
  }

  private Polling() {}

  /** Waits until {@code condition} holds, failing the test after {@code timeout}. */
  static void awaitUntil(Duration timeout, String what, Condition condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      pause(Duration.ofMillis(20));
    }
  }

  /** Parks the calling thread for about {@code duration}, between two checks of a condition. */
  static void pause(Duration duration) {
    LockSupport.parkNanos(duration.toNanos());
  }
}
