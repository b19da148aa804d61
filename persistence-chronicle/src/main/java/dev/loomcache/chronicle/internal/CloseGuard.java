package dev.loomcache.chronicle.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps the memory-mapped file alive while operations run on it: closing waits for operations in
 * progress, and none starts afterwards. Touching an unmapped file would crash the JVM, not throw.
 *
 * <p>Cheaper than a read-write lock on the hot path: entering is one striped increment and one
 * volatile read. Correct because both sides write then read (the increment, then {@code closed};
 * {@code closed}, then the count), so at least one of them sees the other.
 */
public final class CloseGuard {
  private final LongAdder inFlight = new LongAdder();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Registers an operation; pair with {@link #exit()} in a {@code finally}.
   *
   * @throws IllegalStateException if the guard is closed
   */
  public void enter(String what) {
    inFlight.increment();
    if (closed.get()) {
      inFlight.decrement();
      throw new IllegalStateException(what + " is closed");
    }
  }

  /** Ends an operation registered by {@link #enter}. */
  public void exit() {
    inFlight.decrement();
  }

  /** Whether {@link #close()} has begun. */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Refuses new operations and waits until those in progress have ended. Returns false if it was
   * already closed. Parks the calling thread briefly between checks; not interruptible, since
   * giving up would leave the file to be unmapped under a running operation.
   */
  public boolean close() {
    // A compare-and-set, not a monitor: no virtual thread ever blocks (or pins, on Java 21) here.
    if (!closed.compareAndSet(false, true)) {
      return false;
    }
    while (inFlight.sum() != 0) {
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
    }
    return true;
  }
}
