package dev.loomcache.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One load of one key in progress: the placeholder that the first caller installs in the {@link
 * FlightTable} and that later callers park on.
 *
 * <p>Design note. A flight is created and published with a cheap {@code putIfAbsent}; the loader
 * never runs under its lock. The lock guards a LIFO stack of parked waiters and their count; there
 * is no {@code Condition}. A waiter checks the volatile outcome, and if there is none yet, pushes a
 * node under the lock, releases it and parks with {@link LockSupport#park}: it never touches the
 * lock again on the way out. {@link #complete} sets the outcome and detaches the stack under the
 * lock, then unparks every waiter after releasing it. So when 100 waiters wake at once they do not
 * re-acquire the lock one after another (the convoy a {@code Condition} causes), and each waiter
 * allocates one small node. Waiting is interruptible; an interrupted waiter marks its node gone and
 * leaves without touching the flight, so one waiter's interrupt can never affect the load or the
 * other waiters.
 *
 * <p>The lock is created by the first waiter (most flights, and every key of a batch nobody else
 * asked for, have none), and the outcome is set once with a compare-and-set. A waiter installs the
 * lock before it re-checks the outcome under it; the completer sets the outcome before it looks for
 * the lock. Both are volatile, so at least one sees the other: either the waiter finds the outcome,
 * or the completer finds the lock and wakes the stack under it.
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
   * table's lock for the key): the loaded value must not be stored, and no caller that arrives
   * afterwards may join this flight.
   */
  volatile boolean superseded;

  /**
   * Tags invalidated while this flight ran ({@code invalidateTag}, under the flight table's lock
   * for the key; copy on write): a loaded value carrying any of them must not be stored. Null while
   * there are none.
   */
  volatile @Nullable List<String> invalidatedTags;

  /**
   * Whether this flight is a background refresh: it reloads from the loader, not from the tiers
   * (which hold the value being refreshed). Set by the claimer before the flight is handed over.
   */
  volatile boolean refresh;

  /** The owner's own failure when it abandoned the flight after an interrupt; owner-only. */
  @Nullable Throwable ownersFailure;

  private static final VarHandle OWNER;
  private static final VarHandle OUTCOME;
  private static final VarHandle LOCK;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      OWNER = lookup.findVarHandle(Flight.class, "owner", Thread.class);
      OUTCOME = lookup.findVarHandle(Flight.class, "outcome", Outcome.class);
      LOCK = lookup.findVarHandle(Flight.class, "lock", ReentrantLock.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile @Nullable ReentrantLock lock; // created by the first waiter
  private volatile @Nullable Outcome outcome; // set once
  private @Nullable Waiter waiters; // guarded by lock; null once completed
  private volatile int parkedCount; // written only under the lock

  Flight(@Nullable Thread owner, long epoch) {
    // A plain write, not a volatile one (a fence per key of a batch): a flight reaches other
    // threads only through the flight table or a lock, which publish it safely.
    OWNER.set(this, owner);
    this.epoch = epoch;
  }

  /** Records that {@code tags} were invalidated while this flight ran; under the key's lock. */
  void tagsInvalidated(Collection<String> tags) {
    List<String> before = invalidatedTags;
    var after = before == null ? new ArrayList<String>(tags.size()) : new ArrayList<>(before);
    after.addAll(tags);
    invalidatedTags = List.copyOf(after);
  }

  /** Whether any of {@code tags} was invalidated while this flight ran. */
  boolean anyTagInvalidated(Collection<String> tags) {
    List<String> invalidated = invalidatedTags;
    if (invalidated == null || tags.isEmpty()) {
      return false;
    }
    for (String tag : invalidated) {
      if (tags.contains(tag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the outcome, parking the calling thread until there is one.
   *
   * @throws InterruptedException if the calling thread is interrupted while parked and the outcome
   *     had not arrived; the flight is unaffected
   */
  Outcome await() throws InterruptedException {
    Outcome result = outcome;
    if (result != null) {
      return result;
    }
    Waiter node = new Waiter(Thread.currentThread());
    ReentrantLock lock = lock();
    lock.lockInterruptibly();
    try {
      if ((result = outcome) != null) {
        return result;
      }
      node.next = waiters;
      waiters = node;
      parkedCount++;
    } finally {
      lock.unlock();
    }
    for (; ; ) {
      LockSupport.park(this);
      if ((result = outcome) != null) {
        return result;
      }
      if (Thread.interrupted()) {
        lock.lock();
        try {
          if ((result = outcome) != null) {
            Thread.currentThread().interrupt(); // the outcome came first: keep the status
            return result;
          }
          node.gone = true;
          parkedCount--;
        } finally {
          lock.unlock();
        }
        throw new InterruptedException();
      }
      // A spurious wake-up: park again.
    }
  }

  /**
   * Publishes the outcome and wakes every waiter. The first outcome wins: completing a completed
   * flight does nothing, so a clean-up path may complete defensively.
   */
  void complete(Outcome result) {
    if (!OUTCOME.compareAndSet(this, (Outcome) null, result)) {
      return;
    }
    ReentrantLock lock = this.lock;
    if (lock == null) {
      return; // no waiter has got as far as the lock: any that comes will see the outcome
    }
    Waiter stack;
    lock.lock();
    try {
      stack = waiters;
      waiters = null;
      parkedCount = 0;
    } finally {
      lock.unlock();
    }
    for (Waiter w = stack; w != null; w = w.next) {
      if (!w.gone) {
        LockSupport.unpark(w.thread);
      }
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
    ReentrantLock lock = this.lock;
    return lock != null && lock.isHeldByCurrentThread();
  }

  /** The flight's lock, created by the first caller that needs it. */
  private ReentrantLock lock() {
    ReentrantLock existing = lock;
    if (existing != null) {
      return existing;
    }
    var created = new ReentrantLock();
    ReentrantLock witness =
        (ReentrantLock) LOCK.compareAndExchange(this, (ReentrantLock) null, created);
    return witness == null ? created : witness;
  }

  /** A parked caller; {@code gone} once it left after an interrupt (written under the lock). */
  private static final class Waiter {
    final Thread thread;
    @Nullable Waiter next;
    volatile boolean gone;

    Waiter(Thread thread) {
      this.thread = thread;
    }
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
