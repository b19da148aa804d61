package dev.loomcache.internal;

import dev.loomcache.BatchLoader;
import dev.loomcache.Batcher;
import dev.loomcache.internal.FlightTable.Pending;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The mechanism behind a {@link Batcher}: collects claimed keys into windows and dispatches each
 * window as one {@link BatchLoader} call on a virtual thread of its own.
 *
 * <p>Design note. A caller that misses claims the key's flight in the shared {@link FlightTable}
 * (so {@code get}, {@code getAll} and other batches wait for it instead of loading it again), queues
 * the key in the open window, and parks on its flight like any waiter. The window lock guards only
 * the queue: no loader, no thread start and no I/O happens under it. A window closes when its timer
 * (a virtual thread sleeping for the window) fires or as soon as it holds {@code maxBatchSize} keys;
 * a closed window's batch takes a permit from the cache-wide semaphore, so at most
 * {@code maxConcurrentBatches} batches load at once. A waiter that is interrupted leaves; its key
 * stays in the batch, which completes for everyone else.
 */
public final class BatchDispatcher<K, V> implements Batcher<K, V> {
  private final ReadPath<K, V> cache;
  private final FlightTable<K, V> flights;
  private final BatchLoader<K, V> loader;
  private final long windowNanos;
  private final int maxBatchSize;
  private final long ttlNanos;
  private final Semaphore permits;
  private final String threadName;

  private final ReentrantLock lock = new ReentrantLock();
  private @Nullable Window<K> open; // guarded by lock
  private boolean closed; // guarded by lock
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet(); // timers and batches
  private final Set<Thread> timers = ConcurrentHashMap.newKeySet();

  public BatchDispatcher(ReadPath<K, V> cache, FlightTable<K, V> flights, BatchLoader<K, V> loader,
      Duration window, int maxBatchSize, long ttlNanos, Semaphore permits, String cacheName) {
    this.cache = cache;
    this.flights = flights;
    this.loader = loader;
    this.windowNanos = window.toNanos();
    this.maxBatchSize = maxBatchSize;
    this.ttlNanos = ttlNanos;
    this.permits = permits;
    this.threadName = "loomcache-batch-" + cacheName;
  }

  /** The parts of the cache a batcher reads through: the open check and the counted L1 lookup. */
  public interface ReadPath<K, V> {
    /** Throws {@link IllegalStateException} if the cache is closed. */
    void checkOpen();

    /** Returns the L1 value of {@code key}, counting a hit or a miss. */
    @Nullable V lookUp(K key);
  }

  @Override
  public @Nullable V get(K key) {
    Objects.requireNonNull(key, "key must not be null");
    cache.checkOpen();
    V value = cache.lookUp(key);
    return value != null ? value : BulkLoads.loadMany(flights, List.of(key), this::enqueue).get(key);
  }

  @Override
  public Map<K, V> getAll(Collection<? extends K> keys) {
    return BulkLoads.readThrough(cache, flights, keys, this::enqueue);
  }

  /** Queues claimed keys; dispatches the windows they fill and starts the timer of a new one. */
  private void enqueue(List<Pending<K>> pending) {
    if (pending.isEmpty()) {
      return;
    }
    var full = new ArrayList<List<Pending<K>>>();
    @Nullable Window<K> opened = null;
    boolean rejected;
    lock.lock();
    try {
      rejected = closed;
      if (!rejected) {
        for (Pending<K> p : pending) {
          if (open == null) {
            open = new Window<>(maxBatchSize);
            opened = open;
          }
          open.entries.add(p);
          if (open.entries.size() >= maxBatchSize) {
            full.add(open.entries);
            open = null;
          }
        }
      }
    } finally {
      lock.unlock();
    }
    if (rejected) {
      var failure = new IllegalStateException("The batcher's cache is closed");
      for (Pending<K> p : pending) {
        flights.fail(p.key(), p.flight(), failure);
      }
      return;
    }
    for (List<Pending<K>> batch : full) {
      dispatch(batch);
    }
    if (opened != null) {
      if (windowNanos > 0) {
        startTimer(opened); // if a size flush took the window, the timer finds nothing to do
      } else {
        flush(opened);
      }
    }
  }

  private void startTimer(Window<K> window) {
    start(true, () -> {
      try {
        Thread.sleep(Duration.ofNanos(windowNanos));
      } catch (InterruptedException e) {
        // close() interrupts timers after it flushed the open window itself
        return;
      }
      flush(window);
    });
  }

  /** Dispatches {@code window} if it is still the open one (a size flush may have taken it). */
  private void flush(Window<K> window) {
    List<Pending<K>> batch = null;
    lock.lock();
    try {
      if (open == window) {
        batch = window.entries;
        open = null;
      }
    } finally {
      lock.unlock();
    }
    if (batch != null) {
      dispatch(batch);
    }
  }

  private void dispatch(List<Pending<K>> batch) {
    start(false, () -> {
      try {
        permits.acquire();
      } catch (InterruptedException e) {
        for (Pending<K> p : batch) {
          flights.abandon(p.key(), p.flight());
        }
        return;
      }
      try {
        BulkLoads.loadBatch(flights, batch, loader, ttlNanos);
      } finally {
        permits.release();
      }
    });
  }

  /** Starts a virtual thread owned by this dispatcher: {@link #close()} waits for it. */
  private void start(boolean timer, Runnable task) {
    Thread thread = Thread.ofVirtual().name(threadName).unstarted(() -> {
      try {
        task.run();
      } finally {
        timers.remove(Thread.currentThread());
        threads.remove(Thread.currentThread());
      }
    });
    threads.add(thread);
    if (timer) {
      timers.add(thread);
    }
    thread.start();
  }

  /**
   * Dispatches the open window at once, stops the timers and waits for every batch to finish, so
   * that no thread of this batcher outlives the call. Later keys fail with
   * {@link IllegalStateException}. May park the calling thread until the running batch loaders
   * return; if interrupted meanwhile, it stops waiting and restores the interrupt status.
   */
  public void close() {
    Window<K> last;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      last = open;
    } finally {
      lock.unlock();
    }
    if (last != null) {
      flush(last);
    }
    for (Thread timer : timers) {
      timer.interrupt(); // its window is flushed already; batch loaders are never interrupted
    }
    try {
      for (Thread thread : List.copyOf(threads)) {
        thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The keys queued in one window. */
  private static final class Window<K> {
    final List<Pending<K>> entries;

    Window(int capacity) {
      this.entries = new ArrayList<>(Math.min(capacity, 1024));
    }
  }
}
