package dev.loomcache.internal;

import dev.loomcache.CacheLoadException;
import dev.loomcache.internal.Flight.Outcome;
import java.lang.invoke.MethodHandles;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The loads in progress, one {@link Flight} per key: claim, await, complete, supersede and the
 * epoch. It stores nothing itself; {@link WritePath} decides what a finished flight stores.
 *
 * <p>Design note. The first caller to {@code putIfAbsent} a flight owns the load and runs the
 * loader on its own thread, outside every lock and outside any {@code compute}; later callers park
 * on the flight. Three rules keep it correct (CONCURRENCY.md has the long form):
 *
 * <ol>
 *   <li><b>Only current flights are joined.</b> A flight is current while it is not {@linkplain
 *       Flight#superseded superseded} and its epoch is the table's. {@code put}, {@code invalidate}
 *       and {@code invalidateAll} supersede the flights running when they are called; a caller that
 *       arrives afterwards finds the flight not current, replaces it in the table with a flight of
 *       its own and loads again. So a read that begins after an invalidation returned never
 *       receives a value loaded before it (linearizability). Callers that joined the superseded
 *       flight earlier still receive its value; it finishes beside the new one, and only current
 *       flights count for "one load per key at a time".
 *   <li><b>One lock orders every L1 write of a key.</b> Superseding a key's flight, the L1 write of
 *       {@code put}/{@code invalidate}, and a finished flight's install all run inside {@code
 *       flights.compute(key, ...)}, under this table's bin lock for the key, and do only in-memory
 *       work there ({@link #supersedeAnd}, {@link #removeAnd}).
 *   <li><b>Every flight completes.</b> Whatever the loader did, its owner completes the flight in a
 *       {@code finally} ({@link WritePath#finish}); a flight abandoned after its owner's interrupt
 *       sends its waiters back here, where the first of them to claim runs its own loader.
 * </ol>
 */
public final class FlightTable<K> implements Diagnostics.Inspectable {
  static {
    // A virtual thread that meets a class initializer running in another thread pins its carrier
    // (seen in the stampede benchmark's cold run): initialize Flight, whose initializer looks up
    // its
    // VarHandles, when the first cache is built rather than in its first stampede.
    try {
      MethodHandles.lookup().ensureInitialized(Flight.class);
    } catch (IllegalAccessException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ConcurrentHashMap<K, Flight> flights = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();

  {
    Diagnostics.track(this);
  }

  /**
   * Claims {@code key}: returns a new flight that the caller owns and must complete, or the current
   * flight of another caller to {@link #await}. A flight that is no longer current is replaced,
   * never joined.
   *
   * @throws IllegalStateException if the calling thread owns the current flight for this key
   */
  public Claim claim(K key) {
    Flight flight = claimFlight(key);
    return new Claim(flight, flight.owner == Thread.currentThread());
  }

  /**
   * {@link #claim} without the {@link Claim} object: the caller owns the returned flight exactly
   * when its {@link Flight#owner} is the calling thread.
   */
  Flight claimFlight(K key) {
    Thread current = Thread.currentThread();
    for (; ; ) {
      Flight flight = flights.get(key);
      if (flight == null) {
        Flight mine = new Flight(current, epoch.get());
        flight = flights.putIfAbsent(key, mine);
        if (flight == null) {
          return mine;
        }
      }
      if (flight.owner == current) {
        throw new IllegalStateException(
            "Recursive load: the loader of key '"
                + key
                + "' asked for the same key on the same"
                + " thread; a loader must not read its own key");
      }
      if (isCurrent(flight) && flight.invalidatedTags == null) {
        // A flight that lived through a tag invalidation may be loading a value of that tag: a
        // caller arriving afterwards must not receive it, so it loads again.
        return flight;
      }
      Flight mine = new Flight(current, epoch.get());
      if (flights.replace(key, flight, mine)) {
        return mine;
      }
      // Someone else replaced or removed it first: look again.
    }
  }

  /**
   * {@link #claimFlight} for a key that has just missed L1 and is most likely not being loaded (a
   * key of a batch): tries to insert the caller's flight first, which saves the lookup; falls back
   * to {@link #claimFlight} when a flight is there already.
   */
  Flight claimMissing(K key) {
    Flight mine = new Flight(Thread.currentThread(), epoch.get());
    return flights.putIfAbsent(key, mine) == null ? mine : claimFlight(key);
  }

  /** Whether {@code flight} may still store its value and be joined. */
  boolean isCurrent(Flight flight) {
    return !flight.superseded && flight.epoch == epoch.get();
  }

  /**
   * Whether {@code flight} may still store a value carrying {@code tags}: it is current and none of
   * the tags was invalidated while it ran.
   */
  boolean isCurrent(Flight flight, Set<String> tags) {
    return isCurrent(flight) && !flight.anyTagInvalidated(tags);
  }

  /** Whether a flight, current or not, is in the table for {@code key}. */
  boolean isLoading(K key) {
    return flights.containsKey(key);
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
          "Interrupted while waiting for the load of key '"
              + key
              + "'; the load goes on for the"
              + " other callers",
          e);
    }
  }

  /**
   * Marks the flight of {@code key} (if any) superseded and runs {@code l1Write} under the key's
   * bin lock: no load in progress stores over the write, and no later caller joins that load.
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
   * Runs {@code conditionalWrite} under the key's bin lock and, if it wrote (returned true), marks
   * the key's flight superseded, as {@link #supersedeAnd} does; if it did not, the flight is left
   * alone. The write is atomic with respect to every other L1 write of the key, which all take this
   * lock.
   *
   * @return whether {@code conditionalWrite} wrote
   */
  boolean supersedeIf(K key, Predicate<K> conditionalWrite) {
    var written = new boolean[1];
    flights.compute(
        key,
        (k, flight) -> {
          if (conditionalWrite.test(k)) {
            written[0] = true;
            if (flight != null) {
              flight.superseded = true;
            }
          }
          return flight;
        });
    return written[0];
  }

  /**
   * Advances the epoch and supersedes every flight in progress, so that none of them stores its
   * value or is joined; the caller then clears L1.
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

  /**
   * Runs {@code action} under the bin lock of {@code key} without touching its flight: the action
   * is ordered against every L1 write of the key. In-memory work only.
   */
  void underLock(K key, Consumer<K> action) {
    flights.compute(
        key,
        (k, flight) -> {
          action.accept(k);
          return flight;
        });
  }

  /**
   * Records in every flight in progress that {@code tags} were invalidated, under each key's bin
   * lock, so that none of them stores a value carrying one of the tags. A flight that installs
   * concurrently either finished before its bin was visited (its L1 write is then visible to the
   * caller, which removes it) or sees the mark.
   */
  void tagsInvalidated(Collection<String> tags) {
    for (K key : flights.keySet()) {
      flights.computeIfPresent(
          key,
          (k, flight) -> {
            flight.tagsInvalidated(tags);
            return flight;
          });
    }
  }

  /**
   * Supersedes the flights in progress whose key satisfies {@code matches} (tested outside every
   * lock: it may encode the key with user code), as {@link #supersedeAnd} does for one key.
   */
  void supersedeMatching(Predicate<? super K> matches) {
    for (K key : flights.keySet()) {
      if (matches.test(key)) {
        flights.computeIfPresent(
            key,
            (k, flight) -> {
              flight.superseded = true;
              return flight;
            });
      }
    }
  }

  /**
   * Removes {@code flight} from the table under the key's bin lock, first running {@code install}
   * if the flight is still current. A flight that was replaced is not in the table any more; it
   * neither removes its successor nor installs.
   *
   * @return whether {@code install} ran
   */
  boolean removeAnd(K key, Flight flight, @Nullable Consumer<K> install) {
    return removeAnd(key, flight, Set.of(), install);
  }

  /**
   * As {@link #removeAnd(Object, Flight, Consumer)} for a value carrying {@code tags}: the install
   * runs only if no tag of the value was invalidated while the flight ran.
   */
  boolean removeAnd(K key, Flight flight, Set<String> tags, @Nullable Consumer<K> install) {
    var installed = new boolean[1];
    flights.compute(
        key,
        (k, present) -> {
          if (present != flight) {
            return present;
          }
          if (install != null && isCurrent(flight, tags)) {
            install.accept(k);
            installed[0] = true;
          }
          return null;
        });
    return installed[0];
  }

  /**
   * A reusable {@link #removeAnd(Object, Flight, Consumer)} for a value without tags, for one
   * thread finishing flight after flight (a batch): the removal is its own remapping function, so a
   * key costs no lambda or holder object. Not thread-safe: one instance per batch.
   */
  abstract static class Removal<K> implements BiFunction<K, @Nullable Flight, @Nullable Flight> {
    private final FlightTable<K> table;
    private @Nullable Flight flight;
    private boolean installed;

    Removal(FlightTable<K> table) {
      this.table = table;
    }

    /** Stores the value of the flight being removed; under the key's bin lock, in-memory only. */
    abstract void install(K key);

    /**
     * Removes {@code flight} from the table under the key's bin lock, first running {@link
     * #install} if the flight is still current; as {@link FlightTable#removeAnd(Object, Flight,
     * Consumer)}.
     *
     * @return whether {@link #install} ran
     */
    final boolean remove(K key, Flight flight) {
      this.flight = flight;
      installed = false;
      try {
        table.flights.compute(key, this);
      } finally {
        this.flight = null;
      }
      return installed;
    }

    @Override
    public final @Nullable Flight apply(K key, @Nullable Flight present) {
      if (present != flight || present == null) {
        return present;
      }
      if (table.isCurrent(present)) {
        install(key);
        installed = true;
      }
      return null;
    }
  }

  /** Removes {@code flight} if it is still in the table; for clean-up after a failed store. */
  void remove(K key, Flight flight) {
    flights.remove(key, flight);
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

  @Override
  public @Nullable String leftover() {
    if (flights.isEmpty()) {
      return null;
    }
    int parked = flights.values().stream().mapToInt(Flight::parkedCount).sum();
    return "FlightTable: "
        + flights.size()
        + " flight(s) left, for keys "
        + flights.keySet()
        + ", with "
        + parked
        + " parked waiter(s)";
  }

  /** A claimed flight and whether the caller owns it. */
  public record Claim(Flight flight, boolean owned) {}
}
