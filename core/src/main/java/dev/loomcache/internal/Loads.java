package dev.loomcache.internal;

import dev.loomcache.Ticker;
import dev.loomcache.internal.Flight.Abandoned;
import dev.loomcache.internal.Flight.Failed;
import dev.loomcache.internal.Flight.Loaded;
import dev.loomcache.internal.Flight.Outcome;
import dev.loomcache.internal.FlightTable.Claim;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-flight loading of one key after an L1 miss: claim the key's flight or join it; as its
 * owner, re-read L1, read the tiers, run the loader outside every lock, and hand the outcome to
 * {@link WritePath#finish}, which stores it (if still current) and completes the flight.
 *
 * <p>Design note. The owner story top to bottom is {@link #load} → {@link #claim} → {@link
 * #runLoader}; batches ({@link BulkLoads}) claim through {@link #claimFlight} and finish through
 * the same {@link WritePath#finish}, so a key is never loaded twice at once whichever API asked for
 * it. An owner interrupted during a failing load {@linkplain Abandoned abandons} the flight: the
 * failure is its own, and the waiters go back to the table, where the first of them to claim a new
 * flight runs its own loader.
 */
public final class Loads<K, V> {
  private static final Logger logger = LoggerFactory.getLogger(Loads.class);

  private final FlightTable<K> flights;
  private final L1Store<K, V> l1;
  private final WritePath<K, V> writes;
  private final Tiers<K, V> tiers;
  private final StatsCounter stats;
  private final Ticker ticker;

  public Loads(
      FlightTable<K> flights,
      L1Store<K, V> l1,
      WritePath<K, V> writes,
      Tiers<K, V> tiers,
      StatsCounter stats,
      Ticker ticker) {
    this.flights = flights;
    this.l1 = l1;
    this.writes = writes;
    this.tiers = tiers;
    this.stats = stats;
    this.ticker = ticker;
  }

  /**
   * Loads {@code key} after an L1 miss (already counted by the caller): joins the current flight,
   * or becomes its owner and runs {@code loader}. May park the calling thread until the flight it
   * joined completes.
   */
  public @Nullable V load(K key, Callable<? extends V> loader, Ttl ttl) {
    for (; ; ) {
      Claim claim = claim(key);
      if (claim.owned()) {
        Outcome outcome = runLoader(key, claim.flight(), loader, ttl);
        if (outcome == Abandoned.INSTANCE) {
          throw Failures.ownersFailure(key, claim.flight().ownersFailure);
        }
        return unwrap(key, outcome);
      }
      Outcome outcome = flights.await(key, claim.flight());
      if (outcome == Abandoned.INSTANCE) {
        continue; // the owner was interrupted; race the other waiters to take the load over
      }
      stats.recordCoalesced();
      return unwrap(key, outcome);
    }
  }

  /**
   * Loads {@code key} without looking at L1 or the tiers ({@code CacheScope.noCache()}): joins the
   * current flight, or claims one and runs {@code loader} straight away. May park the calling
   * thread until the flight it joined completes.
   */
  public @Nullable V loadFresh(K key, Callable<? extends V> loader, Ttl ttl) {
    for (; ; ) {
      Claim claim = flights.claim(key); // not claim(key): a value already in L1 is what we skip
      if (claim.owned()) {
        Outcome outcome = runLoader(key, claim.flight(), loader, ttl, false);
        if (outcome == Abandoned.INSTANCE) {
          throw Failures.ownersFailure(key, claim.flight().ownersFailure);
        }
        return unwrap(key, outcome);
      }
      Outcome outcome = flights.await(key, claim.flight());
      if (outcome == Abandoned.INSTANCE) {
        continue;
      }
      stats.recordCoalesced();
      return unwrap(key, outcome);
    }
  }

  /**
   * Claims {@code key} in the flight table. A flight the caller won while L1 already holds a value
   * (a load completed between the caller's miss and its claim: its value was stored before its
   * flight left the table) comes back completed with that value and not owned.
   *
   * @throws IllegalStateException if the calling thread owns the current flight of this key
   */
  Claim claim(K key) {
    Flight flight = claimFlight(key);
    return new Claim(flight, owns(flight));
  }

  /**
   * {@link #claim} without the {@link Claim} object, for batches: the caller owns the returned
   * flight exactly when {@link #owns} says so right after this call.
   */
  Flight claimFlight(K key) {
    return completedFromL1(key, flights.claimFlight(key));
  }

  /**
   * {@link #claimFlight} for a key of a batch that has just missed L1 ({@link
   * FlightTable#claimMissing}: one table operation when nobody else is loading it).
   */
  Flight claimMissing(K key) {
    return completedFromL1(key, flights.claimMissing(key));
  }

  /**
   * Completes {@code flight}, just claimed, with the value L1 holds for {@code key} if the caller
   * owns it and L1 holds one (see {@link #claim}); returns the flight.
   */
  private Flight completedFromL1(K key, Flight flight) {
    if (owns(flight)) {
      Object present = l1.getIfPresent(key);
      if (present instanceof FreshEntry entry) {
        // A stale entry (kept for stale-if-error) or a spent hit budget is a miss; a remembered
        // absence is a present null.
        if (!entry.isStale(clock()) && !entry.budgetSpent()) {
          writes.finish(key, flight, new Loaded(entry.value()), Ttl.NOT_STORED, true);
        }
        return flight;
      }
      if (present != null) {
        writes.finish(key, flight, new Loaded(present), Ttl.NOT_STORED, true);
      }
    }
    return flight;
  }

  /**
   * Whether the calling thread owns {@code flight}, just claimed: it created it and it has not
   * completed (a flight completed at once from L1 by {@link #claimFlight} is not owned).
   */
  static boolean owns(Flight flight) {
    return flight.owner == Thread.currentThread() && !flight.isDone();
  }

  private long clock() {
    return ticker.read();
  }

  /**
   * Runs {@code loader} for a flight the caller claimed, on the calling thread (which becomes the
   * flight's owner), after the tiers missed; then stores and completes the outcome. Never throws
   * for the loader's failure: it is returned as the outcome. An {@link Abandoned} outcome means the
   * calling thread was interrupted and the loader failed; the failure is then kept in {@link
   * Flight#ownersFailure}.
   */
  Outcome runLoader(K key, Flight flight, Callable<? extends V> loader, Ttl ttl) {
    return runLoader(key, flight, loader, ttl, true);
  }

  /** As {@link #runLoader(Object, Flight, Callable, Ttl)}; without {@code lookInTiers}, fresh. */
  private Outcome runLoader(
      K key, Flight flight, Callable<? extends V> loader, Ttl ttl, boolean lookInTiers) {
    flight.owner = Thread.currentThread();
    if (lookInTiers && !flight.refresh) {
      Outcome fromTier = readTiers(key, flight, ttl);
      if (fromTier != null) {
        return fromTier;
      }
    }
    if (logger.isDebugEnabled()) {
      logger.debug("Loading key '{}'", key);
    }
    Outcome outcome =
        Abandoned.INSTANCE; // replaced below unless something beyond Throwable happens
    Ttl storeTtl = ttl;
    long start = ticker.read();
    long elapsed = -1;
    try {
      V value = loader.call();
      elapsed = ticker.read() - start;
      stats.recordLoadSuccess(elapsed);
      outcome = new Loaded(value);
    } catch (Throwable failure) {
      stats.recordLoadFailure(ticker.read() - start);
      outcome = classify(flight, failure);
      Object stale = outcome instanceof Failed ? staleValue(key) : null;
      if (stale != null) {
        // stale-if-error: the owner and every waiter get the kept value; nothing is stored.
        outcome = new Loaded(new Stale(stale));
        storeTtl = Ttl.NOT_STORED;
      }
    } finally {
      try {
        writes.finish(key, flight, outcome, storeTtl, false, elapsed);
      } finally {
        if (lookInTiers && !flight.refresh) {
          tiers.loadFinished(key); // ends the tier coordination that readTiers began
        }
      }
    }
    return outcome;
  }

  /**
   * The value L1 keeps for {@code key} past its TTL under stale-if-error (or still fresh, when a
   * refresh failed), or null if there is none.
   */
  @Nullable Object staleValue(K key) {
    return l1.getIfPresent(key) instanceof FreshEntry entry
            && entry.staleIfError
            && entry.value() != null
        ? entry.value()
        : null;
  }

  /** A kept value handed out instead of a failure (stale-if-error); counted as it is unwrapped. */
  record Stale(Object value) {}

  /**
   * The outcome of a loader's failure: {@link Abandoned} when the interrupt was meant for the
   * owner's thread (the failure is then the owner's alone, kept in the flight, and one waiter takes
   * the load over with its own loader), otherwise {@link Failed} for everyone.
   */
  static Outcome classify(Flight flight, Throwable failure) {
    if (Failures.isOwnInterrupt(failure)) {
      flight.ownersFailure = failure;
      return Abandoned.INSTANCE;
    }
    return new Failed(failure);
  }

  /**
   * Reads the tiers for a flight the caller owns, before its loader runs; on a hit, promotes the
   * value to L1 with its remaining TTL (not written back to the tiers) and completes the flight.
   *
   * @return the outcome on a hit, or null if the tiers have nothing (the loader must run, and
   *     {@link Tiers#loadFinished} be called after it)
   */
  @Nullable Outcome readTiers(K key, Flight flight) {
    return readTiers(key, flight, Ttl.NEVER);
  }

  /**
   * As {@link #readTiers(Object, Flight)} for a load that stores with {@code ttl}: when its
   * freshness options make freshness entries, a value the tiers keep with freshness deadlines is
   * promoted with those deadlines (a remembered absence included), and one past its TTL but inside
   * its stale window is kept in L1 for the loader to fail over to (the loader runs: null returned).
   * Without such options a tier value is promoted plain, with its remaining TTL.
   */
  @Nullable Outcome readTiers(K key, Flight flight, Ttl ttl) {
    if (tiers.isEmpty()) {
      return null;
    }
    Tiers.Promoted<V> found;
    try {
      found = tiers.readForLoad(key);
    } catch (Throwable t) {
      // A codec or tier broke beyond a runtime failure: fall through to the loader.
      logger.warn("Could not read the tiers for key '{}': {}", key, t.toString());
      logger.debug("Tier read failure for key '{}'", key, t);
      found = null;
    }
    if (found == null) {
      return null;
    }
    FreshEntry entry = found.entry();
    if (entry != null && wrapsEntries(ttl)) {
      if (found.stale()) {
        writes.keepStale(key, flight, entry, found.entryTtl());
        return null;
      }
      Outcome outcome = new Loaded(found.value());
      writes.promote(key, flight, outcome, entry, found.entryTtl());
      return outcome;
    }
    if (found.stale() || found.value() == null) {
      return null; // only a freshness entry can be stale or absent; this store keeps raw values
    }
    Outcome outcome = new Loaded(found.value());
    writes.finish(key, flight, outcome, found.ttl(), true);
    return outcome;
  }

  /**
   * Whether stores with {@code ttl} make {@link FreshEntry freshness entries} (L1 may hold them).
   */
  private static boolean wrapsEntries(Ttl ttl) {
    FreshPolicy policy = ttl.freshness();
    return policy != null && policy.wraps();
  }

  /**
   * Reads the tiers without loading, for {@code getIfPresent} after an L1 miss; never parks on a
   * load in flight (returns null instead) and never takes part in a tier's load coordination.
   */
  public @Nullable V readThroughTiers(K key) {
    return readThroughTiers(key, Ttl.NEVER);
  }

  /**
   * As {@link #readThroughTiers(Object)}, promoting a value kept with freshness deadlines with
   * those deadlines when stores with {@code ttl} make freshness entries (the cache's defaults). A
   * stale value is never returned; a remembered absence reads as null.
   */
  public @Nullable V readThroughTiers(K key, Ttl ttl) {
    if (tiers.isEmpty() || flights.isLoading(key)) {
      return null; // being loaded (perhaps by this very thread): never park, never re-enter
    }
    Claim claim = claim(key);
    if (!claim.owned()) {
      // Completed already only if L1 held the value after all; otherwise someone is loading.
      @SuppressWarnings("unchecked")
      // A stale value handed out for a failed load is not for getIfPresent.
      V present =
          claim.flight().outcomeNow() instanceof Loaded(Object value) && !(value instanceof Stale)
              ? (V) value
              : null;
      return present;
    }
    Flight flight = claim.flight();
    Tiers.Promoted<V> found;
    try {
      found = tiers.read(key);
    } catch (RuntimeException | Error e) {
      abandon(key, flight);
      throw e;
    }
    if (found == null || found.stale() || (found.value() == null && !wrapsEntries(ttl))) {
      abandon(key, flight); // nothing found: waiters, if any, load it themselves
      return null;
    }
    FreshEntry entry = found.entry();
    if (entry != null && wrapsEntries(ttl)) {
      writes.promote(key, flight, new Loaded(found.value()), entry, found.entryTtl());
    } else {
      writes.finish(key, flight, new Loaded(found.value()), found.ttl(), true);
    }
    return found.value();
  }

  /**
   * Completes a claimed flight without loading: its waiters go back to the table. Does nothing to a
   * flight already completed, so clean-up paths may call it for every flight they claimed.
   */
  void abandon(K key, Flight flight) {
    if (!flight.isDone()) {
      writes.finish(key, flight, Abandoned.INSTANCE, Ttl.NOT_STORED, true);
    }
  }

  /** Completes a claimed flight with a failure that is not the loader's (e.g. a closed batcher). */
  void fail(K key, Flight flight, Throwable failure) {
    writes.finish(key, flight, new Failed(failure), Ttl.NOT_STORED, true);
  }

  /** Parks until {@code flight} completes; as {@link FlightTable#await}. */
  Outcome await(K key, Flight flight) {
    return flights.await(key, flight);
  }

  FlightTable<K> flights() {
    return flights;
  }

  WritePath<K, V> writes() {
    return writes;
  }

  Tiers<K, V> tiers() {
    return tiers;
  }

  StatsCounter stats() {
    return stats;
  }

  Ticker ticker() {
    return ticker;
  }

  /** Returns the value of a loaded outcome, or throws its failure as {@link Failures#rethrow}. */
  @SuppressWarnings("unchecked")
  @Nullable V unwrap(K key, Outcome outcome) {
    return switch (outcome) {
      case Loaded(Stale(Object value)) -> {
        stats.recordStaleServed();
        yield (V) value;
      }
      case Loaded(Object value) -> (V) value;
      case Failed(Throwable failure) -> throw Failures.rethrow(key, failure);
      case Abandoned abandoned -> throw new AssertionError("abandoned flights are retried");
    };
  }
}
