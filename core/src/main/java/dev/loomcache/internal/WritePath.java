package dev.loomcache.internal;

import org.jspecify.annotations.Nullable;

/**
 * Puts and invalidations, ordered against the loads in the {@link FlightTable}: each L1 write runs
 * under the key's bin lock after superseding the key's flight, so that no load that began before it
 * stores its value afterwards (see CONCURRENCY.md, "Generations").
 *
 * <p>With tiers, a write of one key enters that key's write lane ({@link KeyLanes}) around both the
 * L1 write and the tier I/O, so that concurrent writers of the key leave L1 and the tiers in the
 * same state. The lane never covers user code, and only writers of the same key wait on it. The
 * {@code Local} variants touch L1 only: another instance changed the key in a shared tier.
 */
public final class WritePath<K, V> {
  private final FlightTable<K, V> flights;
  private final L1Store<K, V> l1;
  private final StatsCounter stats;
  private final @Nullable TierStack<K, V> tiers;

  public WritePath(FlightTable<K, V> flights, L1Store<K, V> l1, StatsCounter stats,
      @Nullable TierStack<K, V> tiers) {
    this.flights = flights;
    this.l1 = l1;
    this.stats = stats;
    this.tiers = tiers;
  }

  /**
   * Stores {@code value} in L1 and the tiers; a load in flight for {@code key} will not overwrite
   * it. With tiers, may park while another write of the same key finishes.
   */
  public void put(K key, V value, long ttlNanos) {
    if (tiers == null) {
      putLocal(key, value, ttlNanos);
      return;
    }
    KeyLanes.Lane lane = tiers.lanes.enter(key);
    try {
      putLocal(key, value, ttlNanos);
      tiers.write(key, value, ttlNanos);
    } finally {
      tiers.lanes.leave(key, lane);
    }
  }

  private void putLocal(K key, V value, long ttlNanos) {
    flights.supersedeAnd(key, k -> l1.put(k, value, ttlNanos));
    stats.recordPut();
  }

  /**
   * Removes {@code key} from L1 and the tiers; a load in flight for it will not store its value.
   * With tiers, may park while another write of the same key finishes.
   */
  public void invalidate(K key) {
    if (tiers == null) {
      invalidateLocal(key);
      return;
    }
    KeyLanes.Lane lane = tiers.lanes.enter(key);
    try {
      invalidateLocal(key);
      tiers.delete(key);
      // A load that began between the two steps may have promoted the old tier value to L1.
      invalidateLocal(key);
    } finally {
      tiers.lanes.leave(key, lane);
    }
  }

  /** Removes {@code key} from L1 only. */
  public void invalidateLocal(K key) {
    flights.supersedeAnd(key, l1::invalidate);
  }

  /** Removes every key from L1 and the tiers; no load that began before this call stores. */
  public void invalidateAll() {
    invalidateAllLocal();
    if (tiers != null) {
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
}
