package dev.loomcache.internal;

import dev.loomcache.BatchLoader;
import dev.loomcache.Batcher;
import dev.loomcache.internal.BulkLoads.KeyFlights;
import dev.loomcache.internal.context.ScopedContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The mechanism behind a {@link Batcher}: collects claimed keys into windows and dispatches each
 * window as one {@link BatchLoader} call on a virtual thread of its own.
 *
 * <p>Design note. A caller that misses claims the key's flight in the shared {@link FlightTable}
 * (so {@code get}, {@code getAll} and other batches wait for it instead of loading it again),
 * queues the key in the open window, and parks on its flight like any waiter. The window lock
 * guards only the queue and the count of active batches: no loader and no I/O runs under it (only
 * the start of a window's timer). A window closes when its timer (a virtual thread sleeping for the
 * window) fires or as soon as it holds {@code maxBatchSize} keys; a closed window's batch takes a
 * permit from the cache-wide semaphore, so at most {@code maxConcurrentBatches} batches load at
 * once. A batch queued from inside a batch loader (nested batchers) runs without a permit, since
 * the enclosing batch holds one and waits for it. A waiter that is interrupted leaves; its key
 * stays in the batch, which completes for everyone else.
 */
public final class BatchDispatcher<K, V> implements Batcher<K, V>, Diagnostics.Inspectable {
  private final ReadPath<K, V> cache;
  private final Loads<K, V> flights;
  private final BatchLoader<K, V> loader;
  private final long windowNanos;
  private final int maxBatchSize;
  private final Ttl ttl;
  private final Semaphore permits;
  private final String threadName;

  /**
   * Bound on batch threads to this cache's permits: marks keys queued from inside a batch loader.
   */
  private static final ScopedContext<Semaphore> IN_BATCH = ScopedContext.newInstance();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private @Nullable Window<K> open; // guarded by lock
  private boolean closed; // guarded by lock
  private int activeBatches; // guarded by lock: batches taken from a window and not yet finished
  private final Set<Thread> timers = ConcurrentHashMap.newKeySet();

  public BatchDispatcher(
      ReadPath<K, V> cache,
      Loads<K, V> flights,
      BatchLoader<K, V> loader,
      Duration window,
      int maxBatchSize,
      Ttl ttl,
      Semaphore permits,
      String cacheName) {
    this.cache = cache;
    this.flights = flights;
    this.loader = loader;
    this.windowNanos = window.toNanos();
    this.maxBatchSize = maxBatchSize;
    this.ttl = ttl;
    this.permits = permits;
    this.threadName = "loomcache-batch-" + cacheName;
    Diagnostics.track(this);
  }

  @Override
  public @Nullable String leftover() {
    int active;
    boolean windowOpen;
    lock.lock();
    try {
      active = activeBatches;
      windowOpen = open != null;
    } finally {
      lock.unlock();
    }
    if (active == 0 && !windowOpen && timers.isEmpty()) {
      return null;
    }
    return threadName
        + ": "
        + active
        + " batch(es) running, "
        + timers.size()
        + " window timer(s) alive"
        + (windowOpen ? ", a window still open" : "");
  }

  /** The parts of the cache a batcher reads through: the open check and the counted L1 lookup. */
  public interface ReadPath<K, V> {
    /** Throws {@link IllegalStateException} if the cache is closed. */
    void checkOpen();

    /**
     * Returns the L1 value of {@code key}, counting a hit or a miss; {@link #ABSENT} (cast) for a
     * remembered absence ({@code negativeTtl}).
     */
    @Nullable V lookUp(K key);

    /**
     * As {@link #lookUp(Object)}; a hit on an entry due for a refresh is reported to {@code due}.
     */
    default @Nullable V lookUp(K key, BiConsumer<K, FreshEntry> due) {
      return lookUp(key);
    }

    /** Reloads {@code keys} (due for a refresh) through a batcher's {@code enqueue}. */
    default void refreshQueued(
        List<K> keys, List<FreshEntry> entries, Consumer<KeyFlights<K>> enqueue) {}

    /** What {@link #lookUp} returns for a key remembered as absent. */
    Object ABSENT =
        new Object() {
          @Override
          public String toString() {
            return "ABSENT";
          }
        };
  }

  private final BiConsumer<K, FreshEntry> refreshOne =
      (key, entry) -> refreshQueued(List.of(key), List.of(entry));
  private final BiConsumer<List<K>, List<FreshEntry>> refreshMany = this::refreshQueued;

  /** Reloads keys due for a refresh through this batcher's windows, batched. */
  private void refreshQueued(List<K> keys, List<FreshEntry> entries) {
    cache.refreshQueued(keys, entries, this::enqueue);
  }

  @Override
  public @Nullable V get(K key) {
    Objects.requireNonNull(key, "key must not be null");
    cache.checkOpen();
    V value = cache.lookUp(key, refreshOne);
    if (value == ReadPath.ABSENT) {
      return null;
    }
    if (value != null) {
      return value;
    }
    var result = new HashMap<K, @Nullable V>(2);
    BulkLoads.loadMany(flights, new Object[] {key}, 1, this::enqueue, result);
    return result.get(key);
  }

  @Override
  public Map<K, V> getAll(Collection<? extends K> keys) {
    return BulkLoads.readThrough(cache, flights, keys, this::enqueue, refreshMany);
  }

  /** Queues claimed keys; dispatches the windows they fill and starts the timer of a new one. */
  private void enqueue(KeyFlights<K> pending) {
    // A key queued from inside a batch loader of this cache: its batch must not wait for a permit
    // that the enclosing batch holds (nested batchers, as in GraphQL users -> orgs).
    boolean nested = IN_BATCH.orNull() == permits;
    int from = 0;
    try {
      // A full window made only of this caller's keys would be dispatched at once and waited for:
      // run it here instead, saving the thread start, the hand-over and the wake-up.
      while (pending.size - from >= maxBatchSize
          && runOnCaller(pending, from, from + maxBatchSize, nested)) {
        from += maxBatchSize;
      }
    } catch (RuntimeException | Error e) {
      BulkLoads.abandonAll(
          flights, pending, from, pending.size); // no key of this call stays claimed
      throw e;
    }
    if (from < pending.size) {
      enqueueInWindows(pending, from, nested);
    }
  }

  /**
   * Loads a full batch of the caller's own keys (entries {@code from} to {@code to}) on the calling
   * thread, counted as an active batch (so {@link #close} waits for it) and under a permit, unless
   * nested. Returns false, having done nothing, if the batcher is closed or no permit is free: the
   * keys then go through a window.
   *
   * @throws RuntimeException the owner's failure if the calling thread was interrupted and the
   *     batch loader failed: the interrupt is the caller's, and the flights are abandoned to their
   *     waiters
   */
  private boolean runOnCaller(KeyFlights<K> batch, int from, int to, boolean nested) {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      activeBatches++;
    } finally {
      lock.unlock();
    }
    boolean permitted = nested || permits.tryAcquire();
    if (!permitted) {
      batchDone();
      return false;
    }
    var failure = new @Nullable Throwable[1];
    try {
      IN_BATCH.run(
          permits, () -> failure[0] = BulkLoads.loadBatch(flights, batch, from, to, loader, ttl));
    } finally {
      if (!nested) {
        permits.release();
      }
      batchDone();
    }
    if (failure[0] != null && Failures.isOwnInterrupt(failure[0])) {
      throw Failures.ownersFailure(batch.key(from), failure[0]);
    }
    return true;
  }

  /**
   * Queues claimed keys (entries {@code from} on) in windows; dispatches the windows they fill and
   * starts new timers.
   */
  private void enqueueInWindows(KeyFlights<K> pending, int from, boolean nested) {
    var closedWindows = new ArrayList<Window<K>>();
    boolean rejected;
    lock.lock();
    try {
      rejected = closed;
      if (!rejected) {
        for (int i = from; i < pending.size; i++) {
          Flight flight = pending.flight(i);
          // The batch thread becomes the owner; the caller is only a waiter, so an interrupted
          // caller that asks again is not mistaken for a re-entrant loader.
          flight.owner = null;
          if (open == null) {
            open = new Window<>(maxBatchSize);
            if (windowNanos > 0) {
              startTimer(open);
            }
          }
          open.entries.add(pending.key(i), flight);
          open.nested |= nested;
          if (open.entries.size >= maxBatchSize) {
            closedWindows.add(takeOpenWindow());
          }
        }
        if (windowNanos == 0 && open != null) {
          closedWindows.add(takeOpenWindow());
        }
      }
    } finally {
      lock.unlock();
    }
    if (rejected) {
      var failure = new IllegalStateException("The batcher's cache is closed");
      for (int i = from; i < pending.size; i++) {
        flights.fail(pending.key(i), pending.flight(i), failure);
      }
      return;
    }
    for (Window<K> window : closedWindows) {
      dispatch(window);
    }
  }

  /** Closes the open window and counts its batch as active; caller holds the lock. */
  private Window<K> takeOpenWindow() {
    Window<K> window = Objects.requireNonNull(open, "no open window");
    open = null;
    activeBatches++;
    Thread timer = window.timer;
    if (timer != null && timer != Thread.currentThread()) {
      timer.interrupt(); // closed by size or by close(): its timer has nothing left to do
    }
    return window;
  }

  /**
   * Starts the timer of a new window; caller holds the lock, so that {@link #close()} sees every
   * timer (starting a virtual thread is cheap CPU work: no I/O, no user code).
   */
  private void startTimer(Window<K> window) {
    Thread timer =
        Thread.ofVirtual()
            .name(threadName + "-window")
            .unstarted(() -> {
              try {
                Thread.sleep(Duration.ofNanos(windowNanos));
                flush(window);
              } catch (InterruptedException e) {
                // close() interrupts timers after it took the open window itself
              } finally {
                timers.remove(Thread.currentThread());
              }
            });
    timers.add(timer);
    window.timer = timer;
    timer.start();
  }

  /** Dispatches {@code window} if it is still the open one (a size flush may have taken it). */
  private void flush(Window<K> window) {
    Window<K> taken = null;
    lock.lock();
    try {
      if (open == window) {
        taken = takeOpenWindow();
      }
    } finally {
      lock.unlock();
    }
    if (taken != null) {
      dispatch(taken);
    }
  }

  private void dispatch(Window<K> window) {
    try {
      Thread.ofVirtual().name(threadName).start(() -> runBatch(window));
    } catch (Throwable t) {
      KeyFlights<K> entries = window.entries;
      for (int i = 0; i < entries.size; i++) {
        flights.fail(entries.key(i), entries.flight(i), t);
      }
      batchDone();
      throw t;
    }
  }

  /**
   * On the batch's own virtual thread: take a permit (unless nested), load, complete, count down.
   */
  private void runBatch(Window<K> window) {
    try {
      if (!window.nested) {
        permits.acquireUninterruptibly(); // batch threads are never interrupted by the cache
      }
      try {
        IN_BATCH.run(
            permits,
            () ->
                BulkLoads.loadBatch(flights, window.entries, 0, window.entries.size, loader, ttl));
      } finally {
        if (!window.nested) {
          permits.release();
        }
      }
    } finally {
      batchDone();
    }
  }

  private void batchDone() {
    lock.lock();
    try {
      if (--activeBatches == 0) {
        idle.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Dispatches the open window at once, stops the timers and waits for every batch taken from a
   * window to finish, so that no thread of this batcher outlives the call. Later keys fail with
   * {@link IllegalStateException}. May park the calling thread until the running batch loaders
   * return; if interrupted meanwhile, it stops waiting and restores the interrupt status.
   */
  public void close() {
    Window<K> last = null;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (open != null) {
        last = takeOpenWindow();
      }
    } finally {
      lock.unlock();
    }
    if (last != null) {
      dispatch(last);
    }
    boolean interrupted = false;
    for (Thread timer : List.copyOf(timers)) {
      timer.interrupt(); // its window is taken already; batch loaders are never interrupted
    }
    try {
      for (Thread timer : List.copyOf(timers)) {
        timer.join();
      }
      lock.lock();
      try {
        while (activeBatches > 0) {
          idle.await();
        }
      } finally {
        lock.unlock();
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The keys queued in one window, and whether one was queued from inside a batch loader. */
  private static final class Window<K> {
    final KeyFlights<K> entries;
    boolean nested; // guarded by the dispatcher's lock until dispatched
    @Nullable Thread timer; // guarded by the dispatcher's lock

    Window(int capacity) {
      this.entries = new KeyFlights<>(Math.min(capacity, 1024));
    }
  }
}
