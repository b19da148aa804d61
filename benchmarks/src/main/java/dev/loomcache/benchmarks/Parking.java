package dev.loomcache.benchmarks;

import java.time.Duration;

/** The stand-in for a slow data source: a loader that parks its thread. */
final class Parking {
  private Parking() {}

  /**
   * Parks the calling thread for {@code duration} (a virtual thread unmounts meanwhile).
   *
   * @throws IllegalStateException if interrupted; the interrupt status is restored first
   */
  static void park(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while simulating a slow load", e);
    }
  }
}
