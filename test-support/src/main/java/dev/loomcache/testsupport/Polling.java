package dev.loomcache.testsupport;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a condition by polling it with short parks (never a fixed sleep standing in for
 * synchronization), failing the test after a timeout. Timeouts should be generous: the machines
 * that run these tests are loaded.
 */
public final class Polling {
  /**
   * Between two checks: 1 ms at first, doubling up to 32 ms, so that a quick condition is seen at
   * once and a slow one (an HTTP request per check) does not load a busy machine.
   */
  private static final long FIRST_PAUSE_NANOS = Duration.ofMillis(1).toNanos();

  private static final long LONGEST_PAUSE_NANOS = Duration.ofMillis(32).toNanos();

  private Polling() {}

  /** A condition to wait for; it may do I/O (an HTTP request, a Redis command) to check. */
  @FunctionalInterface
  public interface Condition {
    /** Whether the condition holds now. */
    boolean holds() throws Exception;
  }

  /**
   * Waits until {@code condition} holds, failing with an {@link AssertionError} naming {@code what}
   * after {@code timeout}. A condition that throws fails the wait at once (an unchecked exception
   * as it is, a checked one wrapped in an {@code AssertionError}).
   */
  public static void awaitUntil(Duration timeout, String what, Condition condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = FIRST_PAUSE_NANOS;
    while (!check(what, condition)) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      LockSupport.parkNanos(pause);
      pause = Math.min(2 * pause, LONGEST_PAUSE_NANOS);
    }
  }

  /** Waits until {@code thread} is parked (WAITING or TIMED_WAITING), for ten seconds at most. */
  public static void awaitParked(Thread thread) {
    awaitUntil(
        Duration.ofSeconds(10),
        thread + " parks",
        () ->
            thread.getState() == Thread.State.WAITING
                || thread.getState() == Thread.State.TIMED_WAITING);
  }

  /** Parks the calling thread for about {@code duration}, between two checks of a condition. */
  public static void pause(Duration duration) {
    LockSupport.parkNanos(duration.toNanos());
  }

  private static boolean check(String what, Condition condition) {
    try {
      return condition.holds();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("checking whether " + what + " failed", e);
    }
  }
}
