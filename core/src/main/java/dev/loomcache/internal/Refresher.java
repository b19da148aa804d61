package dev.loomcache.internal;

import dev.loomcache.BatchLoader;
import dev.loomcache.internal.BulkLoads.KeyFlights;
import dev.loomcache.internal.Flight.Loaded;
import dev.loomcache.internal.Flight.Outcome;
import dev.loomcache.internal.FlightTable.Claim;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refresh-ahead: the background reloads that stale hits start, each on a virtual thread owned by
 * the cache, each a flight in the {@link FlightTable} like any other load.
 *
 * <p>Design note. A hit never claims a flight itself: its thread would become the flight's owner
 * and a later miss on the same thread would look re-entrant. It wins its entry's refresh flag
 * ({@link FreshEntry#tryStartRefresh}) and hands the key here. The reload thread claims the key; if
 * someone else is loading it already, there is nothing to do. Having claimed it, it checks that L1
 * still holds the very entry that asked for the refresh: an {@code invalidate} or {@code put} that
 * ran before the claim removed or replaced it (so the reload stops), and one that runs after the
 * claim supersedes the flight (so the reload stores nothing). That is the whole guarantee, and it
 * is the flight table's own: no second mechanism. A miss while the reload runs joins its flight. A
 * failed reload leaves the entry and clears its flag, so a later hit may try again. {@link #close}
 * refuses new reloads, interrupts the running ones and joins their threads.
 */
public final class Refresher<K, V> implements Diagnostics.Inspectable {
  private static final Logger logger = LoggerFactory.getLogger(Refresher.class);

  private final Loads<K, V> loads;
  private final L1Store<K, V> l1;
  private final String threadName;
  private final ReentrantLock lock = new ReentrantLock();
  private final Set<Thread> running = new HashSet<>(); // guarded by lock
  private boolean closed; // guarded by lock

  public Refresher(Loads<K, V> loads, L1Store<K, V> l1, String cacheName) {
    this.loads = loads;
    this.l1 = l1;
    this.threadName = "loomcache-refresh-" + cacheName;
    Diagnostics.track(this);
  }

  /**
   * Starts the reload of {@code key} with {@code loader}, for a hit that won {@code entry}'s
   * refresh flag; never blocks. Does nothing (clearing the flag) once the cache is closing.
   */
  public void refresh(K key, FreshEntry entry, Callable<? extends V> loader, Ttl ttl) {
    start(entry, () -> reloadNow(key, entry, loader, ttl));
  }

  /**
   * Reloads {@code key} on the calling thread, as the reload thread does; public for the stress
   * tests.
   *
   * @return whether a new value was loaded (it is stored unless a write superseded the reload)
   */
  public boolean reloadNow(K key, FreshEntry entry, Callable<? extends V> loader, Ttl ttl) {
    Flight flight = claimFor(key, entry);
    if (flight == null) {
      return false;
    }
    Outcome outcome = Flight.Abandoned.INSTANCE;
    try {
      outcome = loads.runLoader(key, flight, loader, ttl);
    } finally {
      ended(key, entry, outcome);
    }
    return succeeded(outcome);
  }

  /**
   * Starts one batch reload of {@code keys} with {@code loader} (a {@code getAll} that found them
   * due), on one thread: the keys it can claim go to one batch loader call per {@code
   * maxBatchSize}.
   */
  public void refreshAll(
      List<K> keys, List<FreshEntry> entries, BatchLoader<K, V> loader, Ttl ttl, int maxBatchSize) {
    start(
        entries,
        () -> {
          var claimedEntries = new ArrayList<FreshEntry>();
          KeyFlights<K> claimed = claimAll(keys, entries, claimedEntries);
          for (int from = 0; from < claimed.size; from += maxBatchSize) {
            BulkLoads.loadBatch(
                loads, claimed, from, Math.min(from + maxBatchSize, claimed.size), loader, ttl);
          }
          recordAll(claimed, claimedEntries);
        });
  }

  /**
   * Starts the reload of {@code keys} through a batcher's windows ({@code enqueue}), so that they
   * are reloaded by its batch loader, batched with whatever else is queued.
   */
  public void refreshQueued(
      List<K> keys, List<FreshEntry> entries, Consumer<KeyFlights<K>> enqueue) {
    start(
        entries,
        () -> {
          var claimedEntries = new ArrayList<FreshEntry>();
          KeyFlights<K> claimed = claimAll(keys, entries, claimedEntries);
          if (claimed.size > 0) {
            enqueue.accept(claimed);
          }
          recordAll(claimed, claimedEntries);
        });
  }

  /** Claims each key it can; {@code claimedEntries} receives their entries, in the same order. */
  private KeyFlights<K> claimAll(
      List<K> keys, List<FreshEntry> entries, List<FreshEntry> claimedEntries) {
    var claimed = new KeyFlights<K>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      Flight flight = claimFor(keys.get(i), entries.get(i));
      if (flight != null) {
        claimed.add(keys.get(i), flight);
        claimedEntries.add(entries.get(i));
      }
    }
    return claimed;
  }

  /** Waits for each claimed reload, counts it, and clears the flags of entries still in L1. */
  private void recordAll(KeyFlights<K> claimed, List<FreshEntry> entries) {
    for (int i = 0; i < claimed.size; i++) {
      K key = claimed.key(i);
      Outcome outcome;
      try {
        outcome = loads.await(key, claimed.flight(i));
      } catch (RuntimeException e) {
        outcome = Flight.Abandoned.INSTANCE; // interrupted by close(): the batch goes on
      }
      ended(key, entries.get(i), outcome);
    }
  }

  /**
   * Claims {@code key} for a reload of {@code entry}: returns the flight, marked as a refresh, or
   * null (clearing the entry's flag) if someone else is loading the key or L1 no longer holds
   * {@code entry}.
   */
  private @Nullable Flight claimFor(K key, FreshEntry entry) {
    Claim claim = loads.flights().claim(key);
    if (!claim.owned()) {
      entry.refreshEnded();
      return null;
    }
    Flight flight = claim.flight();
    // After the claim, a put or invalidate supersedes this flight; before it, it replaced or
    // removed the entry: either way the reload must not store.
    if (l1.getIfPresent(key) != entry) {
      loads.abandon(key, flight);
      entry.refreshEnded();
      return null;
    }
    flight.refresh = true;
    return flight;
  }

  private void ended(K key, FreshEntry entry, Outcome outcome) {
    loads.stats().recordRefresh(succeeded(outcome));
    if (l1.getIfPresent(key) == entry) {
      entry.refreshEnded(); // nothing replaced it: a later hit may try again
    }
  }

  private static boolean succeeded(Outcome outcome) {
    return outcome instanceof Loaded(Object value) && !(value instanceof Loads.Stale);
  }

  private void start(FreshEntry entry, Runnable reload) {
    start(List.of(entry), reload);
  }

  private void start(List<FreshEntry> entries, Runnable reload) {
    if (!startThread(reload)) {
      entries.forEach(FreshEntry::refreshEnded);
    }
  }

  /**
   * Runs {@code task} on a new reload thread owned by this refresher (joined by {@link #close});
   * never blocks. Also the thread of {@link ExplicitRefreshes}.
   *
   * @return false, without running it, once this refresher is closed
   */
  boolean startThread(Runnable task) {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      Thread thread = Thread.ofVirtual().name(threadName).unstarted(() -> run(task));
      running.add(thread);
      thread.start();
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void run(Runnable reload) {
    try {
      reload.run();
    } catch (Throwable t) {
      logger.warn("A background refresh failed: {}", t.toString());
      logger.debug("Background refresh failure", t);
    } finally {
      lock.lock();
      try {
        running.remove(Thread.currentThread());
      } finally {
        lock.unlock();
      }
    }
  }

  /** Whether {@link #close} has begun: reloads still running stop at their next step. */
  boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** The number of reload threads running; for tests. */
  public int runningCount() {
    lock.lock();
    try {
      return running.size();
    } finally {
      lock.unlock();
    }
  }

  /** For {@link Diagnostics}: the reload threads still running, or null if there are none. */
  @Override
  public @Nullable String leftover() {
    int count = runningCount();
    return count == 0 ? null : threadName + ": " + count + " refresh thread(s) running";
  }

  /**
   * Refuses new reloads, interrupts the running ones and waits for their threads to end. If the
   * calling thread is interrupted meanwhile, it stops waiting and restores its interrupt status.
   */
  public void close() {
    List<Thread> threads;
    lock.lock();
    try {
      closed = true;
      threads = List.copyOf(running);
    } finally {
      lock.unlock();
    }
    for (Thread thread : threads) {
      thread.interrupt();
    }
    try {
      for (Thread thread : threads) {
        thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
