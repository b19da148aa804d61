package dev.loomcache.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One load of one key in progress: the placeholder that the first caller installs in the
 * {@link FlightTable} and that later callers park on.
 *
 * <p>Design note. A flight is created and published with a cheap {@code putIfAbsent}; the loader
 * never runs under its lock. The lock and condition exist only so that waiters can park and be
 * woken: {@link #complete} holds the lock just long enough to publish the outcome and signal.
 * Waiting is interruptible; an interrupted waiter leaves without touching the flight, so one
 * waiter's interrupt can never affect the load or the other waiters.
 */
public final class Flight {
  /**
   * The thread that runs the loader; a request from this thread for the same key is re-entrant.
   * Starts as the claiming thread; a batch or fan-out task that loads the key on another thread
   * takes it over before calling the loader. Null while the key waits in a batch window.
   */
  volatile @Nullable Thread owner;

  /** The {@link FlightTable} epoch when this flight began; {@code invalidateAll} advances it. */
  final long epoch;

  /**
   * Set by {@code put} and {@code invalidate} of this key while the flight runs (under the flight
   * table's lock for the key): the loaded value must not be stored.
   */
  volatile boolean superseded;

  /** The owner's own failure when it abandoned the flight after an interrupt; owner-only. */
  @Nullable Throwable ownersFailure;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition completed = lock.newCondition();
  private volatile @Nullable Outcome outcome;
  private volatile int parkedCount; // written only under the lock


  Flight(@Nullable Thread owner, long epoch) {
    this.owner = owner;
    this.epoch = epoch;
  }

  /**
   * Returns the outcome, parking the calling thread until there is one.
   *
   * @throws InterruptedException if the calling thread is interrupted while parked; the flight is
   *     unaffected
   */
  Outcome await() throws InterruptedException {
    Outcome result = outcome;
    if (result != null) {
      return result;
    }
    lock.lockInterruptibly();
    try {
      parkedCount++;
      try {
        while ((result = outcome) == null) {
          completed.await();
        }
        return result;
      } finally {
        parkedCount--;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Publishes the outcome and wakes every waiter. The first outcome wins: completing a completed
   * flight does nothing, so a clean-up path may complete defensively.
   */
  void complete(Outcome result) {
    lock.lock();
    try {
      if (outcome == null) {
        outcome = result;
        completed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  boolean isDone() {
    return outcome != null;
  }

  /** The outcome if the flight has completed, else null; never parks. */
  @Nullable Outcome outcomeNow() {
    return outcome;
  }

  /** The number of callers parked on this flight right now. */
  int parkedCount() {
    return parkedCount;
  }

  /** For tests: whether the calling thread holds this flight's lock. */
  boolean isLockHeldByCurrentThread() {
    return lock.isHeldByCurrentThread();
  }

  /** What a flight ended with. */
  sealed interface Outcome permits Loaded, Failed, Abandoned {}

  /** The loader returned {@code value} (possibly null). */
  record Loaded(@Nullable Object value) implements Outcome {}

  /** The loader threw; every waiter receives the failure. */
  record Failed(Throwable failure) implements Outcome {}

  /**
   * The owner was interrupted and its loader failed: the failure is the owner's alone, and waiters
   * go back to the table, where one of them becomes the new owner.
   */
  enum Abandoned implements Outcome {
    INSTANCE
  }
}
