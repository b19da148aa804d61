package dev.loomcache.internal;

import dev.loomcache.BatchLoader;
import dev.loomcache.CacheLoadException;
import dev.loomcache.Ticker;
import dev.loomcache.internal.Flight.Abandoned;
import dev.loomcache.internal.Flight.Failed;
import dev.loomcache.internal.Flight.Loaded;
import dev.loomcache.internal.Flight.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-flight loading over an {@link L1Store}: at most one load per key at a time, never under a
 * lock, never undone-invalidation-resurrecting.
 *
 * <p>Design note. The table maps each key being loaded to a {@link Flight}. The first caller to
 * {@code putIfAbsent} a flight owns the load and runs the loader on its own thread, outside every
 * lock and outside any {@code compute}; later callers park on the flight. Three rules keep it correct
 * (CONCURRENCY.md has the long form):
 *
 * <ol>
 *   <li><b>One lock orders every L1 write of a key.</b> {@code put}, {@code invalidate} and the
 *       owner's install all run inside {@code flights.compute(key, ...)}, i.e. under this table's bin
 *       lock for the key, and do only in-memory work there. So a write either happens before a
 *       flight exists (the owner's re-read of L1 then sees it), or it marks the running flight
 *       {@linkplain Flight#superseded superseded}, or it happens after the install and replaces it.
 *   <li><b>Generations.</b> {@code invalidateAll} advances {@link #epoch} and supersedes every running
 *       flight before clearing L1; a flight installs only if its epoch is still current and it was not
 *       superseded. A load that began before an invalidation can therefore never store its value
 *       after that invalidation returned, though its waiters still receive it.
 *   <li><b>Every flight completes.</b> The owner removes its flight and completes it in a
 *       {@code finally}, whatever the loader did. An owner interrupted during a failing load
 *       {@linkplain Abandoned abandons} the flight instead: the failure is its own, and the waiters
 *       return to the table, where the first of them to install a new flight runs its own loader.
 * </ol>
 */
public final class FlightTable<K, V> {
  private static final Logger logger = LoggerFactory.getLogger(FlightTable.class);

  private final ConcurrentHashMap<K, Flight> flights = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();
  private final L1Store<K, V> l1;
  private final StatsCounter stats;
  private final Ticker ticker;
  private final @Nullable TierStack<K, V> tiers;

  public FlightTable(L1Store<K, V> l1, StatsCounter stats, Ticker ticker) {
    this(l1, stats, ticker, null);
  }

  public FlightTable(L1Store<K, V> l1, StatsCounter stats, Ticker ticker,
      @Nullable TierStack<K, V> tiers) {
    this.l1 = l1;
    this.stats = stats;
    this.ticker = ticker;
    this.tiers = tiers;
  }

  /**
   * Loads {@code key} after an L1 miss (already counted by the caller): joins the flight in
   * progress, or becomes its owner and runs {@code loader}. May park the calling thread until the
   * flight it joined completes.
   *
   * @param ttlNanos how long to store the value: 0 means do not store, {@link L1Store#NEVER} no expiry
   */
  public @Nullable V load(K key, Callable<? extends V> loader, long ttlNanos) {
    for (;;) {
      Claim claim = claim(key);
      if (claim.owned()) {
        Outcome outcome = runLoader(key, claim.flight(), loader, ttlNanos);
        if (outcome == Abandoned.INSTANCE) {
          throw Failures.ownersFailure(key, claim.flight().ownersFailure);
        }
        return unwrap(key, outcome);
      }
      Outcome outcome = await(key, claim.flight());
      if (outcome == Abandoned.INSTANCE) {
        continue; // the owner was interrupted; race the other waiters to take the load over
      }
      stats.recordCoalesced();
      return unwrap(key, outcome);
    }
  }

  /**
   * Claims {@code key}: returns a new flight that the caller owns and must complete (with
   * {@link #runLoader}, {@link #loadBatch} or {@link #abandon}), or the flight of another caller to
   * {@link #await}. A flight claimed when L1 already holds a value comes back completed with it.
   *
   * @throws IllegalStateException if the calling thread owns the flight in progress for this key
   */
  public Claim claim(K key) {
    Thread current = Thread.currentThread();
    Flight flight = flights.get(key);
    if (flight == null) {
      Flight mine = new Flight(current, epoch.get());
      flight = flights.putIfAbsent(key, mine);
      if (flight == null) {
        // A load may have completed between the caller's L1 miss and our putIfAbsent; its value
        // was stored before its flight left the table, so this read sees it.
        V present = l1.getIfPresent(key);
        if (present == null) {
          return new Claim(mine, true);
        }
        publish(key, mine, new Loaded(present), 0);
        return new Claim(mine, false);
      }
    }
    if (flight.owner == current) {
      throw new IllegalStateException(
          "Recursive load: the loader of key '" + key + "' asked for the same key on the same"
              + " thread; a loader must not read its own key");
    }
    return new Claim(flight, false);
  }

  /**
   * Runs {@code loader} for a flight the caller claimed, on the calling thread (which becomes the
   * flight's owner), then stores and publishes the outcome. Never throws for the loader's failure:
   * it is returned as the outcome. An {@link Abandoned} outcome means the calling thread was
   * interrupted and the loader failed; the failure is then kept in {@link Flight#ownersFailure}.
   */
  Outcome runLoader(K key, Flight flight, Callable<? extends V> loader, long ttlNanos) {
    flight.owner = Thread.currentThread();
    if (tiers != null) {
      Outcome fromTier = readTiers(key, flight);
      if (fromTier != null) {
        return fromTier;
      }
    }
    if (logger.isDebugEnabled()) {
      logger.debug("Loading key '{}'", key);
    }
    Outcome outcome = Abandoned.INSTANCE; // replaced below unless something beyond Throwable happens
    long start = ticker.read();
    try {
      V value = loader.call();
      stats.recordLoadSuccess(ticker.read() - start);
      outcome = new Loaded(value);
    } catch (Throwable failure) {
      stats.recordLoadFailure(ticker.read() - start);
      if (Failures.isOwnInterrupt(failure)) {
        // The interrupt was meant for this thread: the failure is the owner's alone, and one
        // waiter takes the load over with its own loader.
        flight.ownersFailure = failure;
        outcome = Abandoned.INSTANCE;
      } else {
        outcome = new Failed(failure);
      }
    } finally {
      publish(key, flight, outcome, ttlNanos);
    }
    return outcome;
  }

  /**
   * Reads the tiers for a flight the caller owns; on a hit, promotes the value to L1 with its
   * remaining TTL (not written back to the tiers) and completes the flight.
   */
  @Nullable Outcome readTiers(K key, Flight flight) {
    TierStack.Promoted<V> found;
    try {
      found = tiers.read(key);
    } catch (Throwable t) {
      // A codec or tier broke beyond a runtime failure: fall through to the loader.
      logger.warn("Could not read the tiers for key '{}'", key, t);
      found = null;
    }
    if (found == null) {
      return null;
    }
    Outcome outcome = new Loaded(found.value());
    publish(key, flight, outcome, found.ttlNanos(), false);
    return outcome;
  }

  /**
   * Reads L1 and then the tiers without loading, for {@code getIfPresent}; never parks on a load in
   * flight (returns null instead).
   */
  public @Nullable V readThroughTiers(K key) {
    if (tiers == null || flights.containsKey(key)) {
      return null; // being loaded (perhaps by this very thread): never park, never re-enter
    }
    Claim claim = claim(key);
    if (!claim.owned()) {
      // Completed already only if L1 held the value after all; otherwise someone is loading.
      @SuppressWarnings("unchecked")
      V present = claim.flight().outcomeNow() instanceof Loaded(Object value) ? (V) value : null;
      return present;
    }
    Outcome outcome = readTiers(key, claim.flight());
    if (outcome == null) {
      abandon(key, claim.flight()); // nothing found: waiters, if any, load it themselves
      return null;
    }
    return unwrap(key, outcome);
  }

  /**
   * Completes a claimed flight without loading: its waiters go back to the table. Does nothing to
   * a flight already completed, so clean-up paths may call it for every flight they claimed.
   */
  void abandon(K key, Flight flight) {
    if (!flight.isDone()) {
      publish(key, flight, Abandoned.INSTANCE, 0);
    }
  }

  /** Completes a claimed flight with a failure that is not the loader's (e.g. a closed batcher). */
  void fail(K key, Flight flight, Throwable failure) {
    publish(key, flight, new Failed(failure), 0);
  }

  /**
   * Parks until {@code flight} completes and returns its outcome.
   *
   * @throws CacheLoadException if the calling thread is interrupted while parked; its interrupt
   *     status is restored and the flight is unaffected
   */
  Outcome await(K key, Flight flight) {
    try {
      return flight.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheLoadException(
          "Interrupted while waiting for the load of key '" + key + "'; the load goes on for the"
              + " other callers", e);
    }
  }

  /** A claimed flight and whether the caller owns it. */
  public record Claim(Flight flight, boolean owned) {}

  /** A key with the flight its loader must complete. */
  public record Pending<K>(K key, Flight flight) {}

  /**
   * Runs {@code l1Write} for {@code key} under the key's bin lock, after marking the flight in
   * progress for it (if any) superseded: the flight will not store its value over the write.
   */
  void supersedeAnd(K key, Consumer<K> l1Write) {
    flights.compute(
        key,
        (k, flight) -> {
          if (flight != null) {
            flight.superseded = true;
          }
          l1Write.accept(k);
          return flight;
        });
  }

  /**
   * Advances the epoch and supersedes every flight in progress, so that no load that began before
   * this call stores its value; the caller then clears L1.
   */
  void supersedeAll() {
    // Flights that begin after this increment may store; those that read the old epoch may not.
    epoch.incrementAndGet();
    // A running flight may have read the old epoch and be about to install: supersede it under its
    // bin lock, so that its install either happened already (and the caller's clear removes it) or
    // will see the mark.
    for (K key : flights.keySet()) {
      flights.computeIfPresent(
          key,
          (k, flight) -> {
            flight.superseded = true;
            return flight;
          });
    }
  }

  StatsCounter stats() {
    return stats;
  }

  /** For tests: whether the calling thread holds the lock of any flight in the table. */
  boolean holdsAnyFlightLock() {
    return flights.values().stream().anyMatch(Flight::isLockHeldByCurrentThread);
  }

  /** The number of callers parked waiting for the load of {@code key} right now. */
  public int parkedCount(K key) {
    Flight flight = flights.get(key);
    return flight == null ? 0 : flight.parkedCount();
  }

  /** For tests and metrics: the number of loads in progress. */
  public int inFlightCount() {
    return flights.size();
  }

  void publish(K key, Flight flight, Outcome outcome, long ttlNanos) {
    publish(key, flight, outcome, ttlNanos, true);
  }

  /**
   * Removes the flight, storing the value first (in L1 and, unless it came from them, the tiers) if
   * it is still current, then completes it. Runs in the owner's {@code finally}: the flight completes
   * whatever happens here.
   *
   * <p>With tiers, the store runs in the key's write lane, so that a put or an invalidation of the
   * same key cannot interleave between the tier write and the L1 install; an {@code invalidateAll}
   * that slips in between is undone by deleting what was just written.
   */
  private void publish(K key, Flight flight, Outcome outcome, long ttlNanos, boolean writeTiers) {
    try {
      @SuppressWarnings("unchecked")
      V value = outcome instanceof Loaded(Object loaded) ? (V) loaded : null;
      boolean storable = value != null && ttlNanos > 0;
      if (storable && writeTiers && tiers != null) {
        KeyLanes.Lane lane = tiers.lanes.enter(key);
        try {
          boolean written = isCurrent(flight);
          if (written) {
            tiers.write(key, value, ttlNanos);
          }
          if (!removeAndInstall(key, flight, value, ttlNanos) && written) {
            tiers.delete(key);
          }
        } finally {
          tiers.lanes.leave(key, lane);
        }
      } else {
        removeAndInstall(key, flight, storable ? value : null, ttlNanos);
      }
    } catch (Throwable t) {
      flights.remove(key, flight);
      throw t;
    } finally {
      flight.complete(outcome);
    }
  }

  private boolean isCurrent(Flight flight) {
    return !flight.superseded && flight.epoch == epoch.get();
  }

  /**
   * Removes {@code flight} from the table and, if {@code value} is non-null and the flight still
   * current, stores it in L1, atomically with respect to every other write of the key.
   *
   * @return whether the value was stored
   */
  private boolean removeAndInstall(K key, Flight flight, @Nullable V value, long ttlNanos) {
    var installed = new boolean[1];
    flights.compute(
        key,
        (k, current) -> {
          if (current != flight) {
            return current;
          }
          if (value != null && isCurrent(flight)) {
            l1.put(k, value, ttlNanos);
            stats.recordPut();
            installed[0] = true;
          }
          return null;
        });
    return installed[0];
  }

  boolean hasTiers() {
    return tiers != null;
  }

  Ticker ticker() {
    return ticker;
  }

  /** Returns the value of a loaded outcome, or throws its failure as {@link Failures#rethrow}. */
  @SuppressWarnings("unchecked")
  @Nullable V unwrap(K key, Outcome outcome) {
    return switch (outcome) {
      case Loaded(Object value) -> (V) value;
      case Failed(Throwable failure) -> throw Failures.rethrow(key, failure);
      case Abandoned abandoned -> throw new AssertionError("abandoned flights are retried");
    };
  }
}
