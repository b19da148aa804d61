package dev.loomcache.internal;

import dev.loomcache.internal.Flight.Loaded;
import dev.loomcache.internal.Flight.Outcome;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The one owner of "write key K": puts, invalidations and the store of a finished load, in L1 and
 * the tiers, ordered against the loads in the {@link FlightTable}. Every rule about what is stored,
 * in which order, and what is undone is in this class.
 *
 * <p>Design note. Each L1 write runs under the key's bin lock in the flight table, after
 * superseding the key's flight (a put or invalidation) or after checking that the flight is still
 * current (a load's store), so that no load that began before a write stores its value afterwards
 * (CONCURRENCY.md, "Generations"). With tiers, every write of one key enters that key's write lane
 * ({@link KeyLanes}) around both its L1 write and its tier I/O, so that concurrent writers of the key
 * leave L1 and the tiers in the same state; the same order everywhere: lane, then tiers and L1 as
 * below, then leave. The lane never covers user code, and only writers of the same key wait on it.
 * {@code invalidateAll} takes no lanes; a load's store that it overtakes between the tier write and
 * the L1 install is undone (the compensating delete in {@link #finish}). The {@code Local} variants
 * touch L1 only: another instance changed the key in a shared tier.
 */
public final class WritePath<K, V> {
  private final FlightTable<K> flights;
  private final L1Store<K, V> l1;
  private final StatsCounter stats;
  private final Tiers<K, V> tiers;
  private final KeyLanes<K> lanes = new KeyLanes<>();

  public WritePath(FlightTable<K> flights, L1Store<K, V> l1, StatsCounter stats, Tiers<K, V> tiers) {
    this.flights = flights;
    this.l1 = l1;
    this.stats = stats;
    this.tiers = tiers;
  }

  /**
   * Stores {@code value} in L1 and the tiers; a load in flight for {@code key} will not overwrite
   * it. With tiers, may park while another write of the same key finishes.
   */
  public void put(K key, V value, Ttl ttl) {
    if (tiers.isEmpty()) {
      putLocal(key, value, ttl);
      return;
    }
    KeyLanes.Lane lane = lanes.enter(key);
    try {
      putLocal(key, value, ttl);
      tiers.write(key, value, ttl);
    } finally {
      lanes.leave(key, lane);
    }
  }

  private void putLocal(K key, V value, Ttl ttl) {
    flights.supersedeAnd(key, k -> l1.put(k, value, ttl));
    stats.recordPut();
  }

  /**
   * Removes {@code key} from L1 and the tiers; a load in flight for it will not store its value.
   * With tiers, may park while another write of the same key finishes.
   */
  public void invalidate(K key) {
    if (tiers.isEmpty()) {
      invalidateLocal(key);
      return;
    }
    KeyLanes.Lane lane = lanes.enter(key);
    try {
      invalidateLocal(key);
      tiers.delete(key);
      // A load that began between the two steps may have promoted the old tier value to L1.
      invalidateLocal(key);
    } finally {
      lanes.leave(key, lane);
    }
  }

  /**
   * Stores {@code value} (or, if it is null, removes the key) only if L1's live value for
   * {@code key} is {@code expected}, compared by identity ({@code null}: absent): a compare-and-set
   * on L1, atomic with respect to every other write of the key, that never calls user code under
   * the lock (callers compare with {@code equals} before, outside it). On success it supersedes
   * the key's flight and writes the tiers as {@link #put} or {@link #invalidate} would; on failure
   * it changes nothing. With tiers, may park while another write of the same key finishes.
   *
   * @return whether it wrote
   */
  public boolean writeIfSame(K key, @Nullable V expected, @Nullable V value, Ttl ttl) {
    if (tiers.isEmpty()) {
      return writeIfSameLocal(key, expected, value, ttl);
    }
    KeyLanes.Lane lane = lanes.enter(key);
    try {
      if (!writeIfSameLocal(key, expected, value, ttl)) {
        return false;
      }
      if (value == null) {
        tiers.delete(key);
        invalidateLocal(key); // a load between the two steps may have promoted the old tier value
      } else {
        tiers.write(key, value, ttl);
      }
      return true;
    } finally {
      lanes.leave(key, lane);
    }
  }

  private boolean writeIfSameLocal(K key, @Nullable V expected, @Nullable V value, Ttl ttl) {
    boolean written = flights.supersedeIf(key, k -> {
      if (l1.getIfPresent(k) != expected) {
        return false;
      }
      if (value == null) {
        l1.invalidate(k);
      } else {
        l1.put(k, value, ttl);
      }
      return true;
    });
    if (written && value != null) {
      stats.recordPut();
    }
    return written;
  }

  /** Removes {@code key} from L1 only. */
  public void invalidateLocal(K key) {
    flights.supersedeAnd(key, l1::invalidate);
  }

  /** Removes every key from L1 and the tiers; no load that began before this call stores. */
  public void invalidateAll() {
    invalidateAllLocal();
    if (!tiers.isEmpty()) {
      tiers.clear();
      // Loads that began before the clear may have promoted old tier values to L1 meanwhile.
      invalidateAllLocal();
    }
  }

  /** Removes every key from L1 only; no load that began before this call stores its value. */
  public void invalidateAllLocal() {
    flights.supersedeAll();
    l1.invalidateAll();
  }

  /**
   * Finishes a flight the caller owns: removes it from the table, storing a loaded value first (in
   * L1 with {@code ttl}, and in the tiers unless it came from them) if the flight is still current,
   * then completes it with {@code outcome}. Runs in the owner's {@code finally}: the flight completes
   * whatever happens here.
   *
   * @param fromTiers whether the value was read from the tiers (then it is promoted to L1 only)
   */
  void finish(K key, Flight flight, Outcome outcome, Ttl ttl, boolean fromTiers) {
    try {
      @SuppressWarnings("unchecked")
      V value = outcome instanceof Loaded(Object loaded) ? (V) loaded : null;
      if (value == null || !ttl.stores()) {
        flights.removeAnd(key, flight, null);
      } else if (fromTiers || tiers.isEmpty()) {
        flights.removeAnd(key, flight, install(value, ttl));
      } else {
        KeyLanes.Lane lane = lanes.enter(key);
        try {
          boolean written = flights.isCurrent(flight);
          if (written) {
            tiers.write(key, value, ttl);
          }
          if (!flights.removeAnd(key, flight, install(value, ttl)) && written) {
            tiers.delete(key); // superseded between the tier write and the install: undo it
          }
        } finally {
          lanes.leave(key, lane);
        }
      }
    } catch (Throwable t) {
      flights.remove(key, flight);
      throw t;
    } finally {
      flight.complete(outcome);
    }
  }

  private Consumer<K> install(V value, Ttl ttl) {
    return k -> {
      l1.put(k, value, ttl);
      stats.recordPut();
    };
  }

  /** For tests: the number of key lanes in use. */
  int laneCount() {
    return lanes.size();
  }
}
