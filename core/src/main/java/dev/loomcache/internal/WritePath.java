package dev.loomcache.internal;

import dev.loomcache.internal.Flight.Loaded;
import dev.loomcache.internal.Flight.Outcome;
import dev.loomcache.spi.KeyGlob;
import java.util.Collection;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of "write key K": puts, invalidations and the store of a finished load, in L1 and
 * the tiers, ordered against the loads in the {@link FlightTable}. Every rule about what is stored,
 * in which order, and what is undone is in this class.
 *
 * <p>Design note. Each L1 write runs under the key's bin lock in the flight table, after
 * superseding the key's flight (a put or invalidation) or after checking that the flight is still
 * current (a load's store), so that no load that began before a write stores its value afterwards
 * (CONCURRENCY.md, "Generations"). With tiers, every write of one key enters that key's write lane
 * ({@link KeyLanes}) around both its L1 write and its tier I/O, so that concurrent writers of the
 * key leave L1 and the tiers in the same state; the same order everywhere: lane, then tiers and L1
 * as below, then leave. The lane never covers user code, and only writers of the same key wait on
 * it. {@code invalidateAll} takes no lanes; a load's store that it overtakes between the tier write
 * and the L1 install is undone (the compensating delete in {@link #finish}). The {@code Local}
 * variants touch L1 only: another instance changed the key in a shared tier.
 *
 * <p>Tags ({@link Tagging}): a key's tag index entry changes in the same critical section as its L1
 * write. {@code invalidateTag} first marks the tag in every flight in progress (a flight so marked
 * never stores a value carrying the tag), then removes the indexed keys from L1, then the tiers,
 * then does the L1 part again for loads that promoted an old tier value meanwhile, exactly as
 * {@code invalidate} does for one key. {@code invalidateMatching} follows the same three steps,
 * superseding the matching flights.
 */
public final class WritePath<K, V> {
  private static final Logger logger = LoggerFactory.getLogger(WritePath.class);

  private final FlightTable<K> flights;
  private final L1Store<K, V> l1;
  private final StatsCounter stats;
  private final Tiers<K, V> tiers;
  private final Tagging<K, V> tagging;
  private final KeyLanes<K> lanes = new KeyLanes<>();

  /**
   * Whether the cache has neither tiers nor a tagger, decided when it is built: a loaded value is
   * then stored in L1 alone, with no tag index entry ({@link BatchFinish} skips both).
   */
  private final boolean plain;

  public WritePath(
      FlightTable<K> flights, L1Store<K, V> l1, StatsCounter stats, Tiers<K, V> tiers) {
    this(flights, l1, stats, tiers, Tagging.none());
  }

  public WritePath(
      FlightTable<K> flights,
      L1Store<K, V> l1,
      StatsCounter stats,
      Tiers<K, V> tiers,
      Tagging<K, V> tagging) {
    this.flights = flights;
    this.l1 = l1;
    this.stats = stats;
    this.tiers = tiers;
    this.tagging = tagging;
    this.plain = tiers.isEmpty() && !tagging.isEnabled();
  }

  /**
   * Stores {@code value} in L1 and the tiers; a load in flight for {@code key} will not overwrite
   * it. With tiers, may park while another write of the same key finishes.
   */
  public void put(K key, V value, Ttl ttl) {
    Set<String> tags = tagging.tagsOf(key, value); // user code: before any lock
    Object stored = value;
    Ttl inL1 = ttl;
    Ttl inTiers = ttl;
    FreshPolicy fresh = ttl.freshness();
    if (fresh != null) {
      FreshPolicy.Stored entry = fresh.store(value, -1, ttl);
      if (entry == null) {
        return;
      }
      stored = entry.entry();
      inL1 = entry.inL1();
      inTiers = entry.inTiers();
    }
    if (tiers.isEmpty()) {
      putLocal(key, stored, inL1, tags);
    } else {
      KeyLanes.Lane lane = lanes.enter(key);
      try {
        putLocal(key, stored, inL1, tags);
        tiers.write(key, value, inTiers, tags, stored instanceof FreshEntry e ? e : null, inL1);
      } finally {
        lanes.leave(key, lane);
      }
    }
    sweepTags();
  }

  @SuppressWarnings("unchecked")
  private void putLocal(K key, Object stored, Ttl ttl, Set<String> tags) {
    flights.supersedeAnd(
        key,
        k -> {
          l1.put(k, (V) stored, ttl);
          tagging.indexed(k, tags);
        });
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
   * Stores {@code value} (or, if it is null, removes the key) only if L1's live value for {@code
   * key} is {@code expected}, compared by identity ({@code null}: absent): a compare-and-set on L1,
   * atomic with respect to every other write of the key, that never calls user code under the lock
   * (callers compare with {@code equals} before, outside it). On success it supersedes the key's
   * flight and writes the tiers as {@link #put} or {@link #invalidate} would; on failure it changes
   * nothing. With tiers, may park while another write of the same key finishes.
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
    boolean written =
        flights.supersedeIf(
            key,
            k -> {
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
    flights.supersedeAnd(key, this::dropFromL1);
  }

  private void dropFromL1(K key) {
    l1.invalidate(key);
    tagging.unindexed(key);
  }

  /**
   * Removes every entry carrying any of {@code tags} from L1 and the tiers; no load that began
   * before this call stores a value carrying one of them. Parks for the tiers' I/O.
   */
  public void invalidateTags(Collection<String> tags) {
    invalidateTagsLocal(tags);
    if (!tiers.isEmpty()) {
      tiers.invalidateTags(tags);
      // Loads that began before the tier removal may have promoted old tagged values meanwhile.
      invalidateTagsLocal(tags);
    }
  }

  /** Removes the entries carrying any of {@code tags} from L1 only, with the same guarantee. */
  public void invalidateTagsLocal(Collection<String> tags) {
    flights.tagsInvalidated(tags);
    for (K key : tagging.keysOf(tags)) {
      flights.underLock(
          key,
          k -> {
            if (tagging.carriesAny(k, tags)) {
              dropFromL1(k);
            }
          });
    }
  }

  /**
   * Removes every entry whose key satisfies {@code matches} from L1, and every entry matching
   * {@code glob} from the tiers; no load of a matching key that began before this call stores.
   * {@code matches} may run user code (the key codec); it is called outside every lock.
   */
  public void invalidateMatching(KeyGlob glob, Predicate<? super K> matches) {
    invalidateMatchingLocal(matches);
    if (!tiers.isEmpty()) {
      tiers.invalidateMatching(glob);
      invalidateMatchingLocal(matches);
    }
  }

  /** Removes the entries whose key satisfies {@code matches} from L1 only; one pass over L1. */
  public void invalidateMatchingLocal(Predicate<? super K> matches) {
    flights.supersedeMatching(matches);
    for (K key : l1.keys()) {
      if (matches.test(key)) {
        invalidateLocal(key);
      }
    }
  }

  private void sweepTags() {
    tagging.sweepIfNeeded(key -> {
      flights.underLock(
          key,
          k -> {
            if (l1.getIfPresent(k) == null) {
              tagging.unindexed(k);
            }
          });
      return true;
    });
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
    tagging.clear(); // before L1, so that the index never misses a key L1 holds
    l1.invalidateAll();
  }

  /**
   * Finishes a flight the caller owns: removes it from the table, storing a loaded value first (in
   * L1 with {@code ttl}, and in the tiers unless it came from them) if the flight is still current,
   * then completes it with {@code outcome}. Runs in the owner's {@code finally}: the flight
   * completes whatever happens here.
   *
   * @param fromTiers whether the value was read from the tiers (then it is promoted to L1 only)
   */
  void finish(K key, Flight flight, Outcome outcome, Ttl ttl, boolean fromTiers) {
    finish(key, flight, outcome, ttl, fromTiers, -1);
  }

  /**
   * As {@link #finish(Object, Flight, Outcome, Ttl, boolean)}, for a load that took {@code
   * loadNanos} (-1 if the value was not loaded): a TTL with {@linkplain Ttl#freshness() freshness
   * options} stores the entry they make of the value, a loader's {@code null} included.
   */
  void finish(K key, Flight flight, Outcome outcome, Ttl ttl, boolean fromTiers, long loadNanos) {
    try {
      @SuppressWarnings("unchecked")
      V value = outcome instanceof Loaded(Object loaded) ? (V) loaded : null;
      Object stored = value;
      Ttl inTiers = ttl;
      FreshPolicy fresh = ttl.freshness();
      if (fresh != null && outcome instanceof Loaded) {
        FreshPolicy.Stored entry = fresh.store(value, loadNanos, ttl);
        stored = entry == null ? null : entry.entry();
        ttl = entry == null ? Ttl.NOT_STORED : entry.inL1();
        inTiers = entry == null ? Ttl.NOT_STORED : entry.inTiers();
      }
      Set<String> tags =
          value == null || stored == null || !ttl.stores() ? Set.of() : tagsOrNull(key, value);
      if (stored == null || !ttl.stores() || tags == null) {
        flights.removeAnd(key, flight, null);
      } else if (fromTiers || tiers.isEmpty() || (value == null && !tiers.keepsAbsences())) {
        // A remembered absence goes only to tiers that keep freshness; without one it stays in L1.
        flights.removeAnd(key, flight, tags, install(stored, ttl, tags));
      } else {
        KeyLanes.Lane lane = lanes.enter(key);
        try {
          boolean written = flights.isCurrent(flight, tags);
          if (written) {
            tiers.write(key, value, inTiers, tags, stored instanceof FreshEntry e ? e : null, ttl);
          }
          if (!flights.removeAnd(key, flight, tags, install(stored, ttl, tags)) && written) {
            tiers.delete(key); // superseded between the tier write and the install: undo it
          }
        } finally {
          lanes.leave(key, lane);
        }
      }
      if (tags != null && !tags.isEmpty()) {
        sweepTags();
      }
    } catch (Throwable t) {
      flights.remove(key, flight);
      throw t;
    } finally {
      flight.complete(outcome);
    }
  }

  /** A finisher for the flights of one batch; see {@link BatchFinish}. */
  BatchFinish batchFinish() {
    return new BatchFinish();
  }

  /**
   * Finishes the flights of one batch, one after another on one thread: {@link #finish} for each
   * key, except that a loaded value a {@linkplain #plain plain} cache stores in L1 alone (no
   * freshness entry) is installed through one reused {@link FlightTable.Removal}, with no lambda or
   * holder object per key. Not thread-safe: one instance per batch.
   */
  final class BatchFinish extends FlightTable.Removal<K> {
    private @Nullable Object stored;
    private Ttl storeTtl = Ttl.NOT_STORED;

    private BatchFinish() {
      super(flights);
    }

    /** As {@link WritePath#finish(Object, Flight, Outcome, Ttl, boolean, long)}, not from tiers. */
    void finish(K key, Flight flight, Outcome outcome, Ttl ttl, long loadNanos) {
      if (!plain
          || ttl.freshness() != null
          || !ttl.stores()
          || !(outcome instanceof Loaded(Object value))
          || value == null) {
        WritePath.this.finish(key, flight, outcome, ttl, false, loadNanos);
        return;
      }
      try {
        stored = value;
        storeTtl = ttl;
        remove(key, flight);
      } catch (Throwable t) {
        flights.remove(key, flight);
        throw t;
      } finally {
        stored = null;
        flight.complete(outcome);
      }
    }

    @Override
    @SuppressWarnings({"unchecked", "NullAway"}) // stored is set while remove() runs
    void install(K key) {
      l1.put(key, (V) stored, storeTtl);
      stats.recordPut(); // before the flight completes, as every install
    }
  }

  /**
   * Finishes a flight the caller owns with a value promoted from the tiers together with the
   * freshness {@code entry} its stored deadlines make (kept in L1 for {@code inL1}), instead of an
   * entry with new deadlines: as {@link #finish} with {@code fromTiers}, nothing is written back.
   */
  void promote(K key, Flight flight, Outcome outcome, FreshEntry entry, Ttl inL1) {
    try {
      @SuppressWarnings("unchecked")
      V value = outcome instanceof Loaded(Object loaded) ? (V) loaded : null;
      Set<String> tags = value == null || !inL1.stores() ? Set.of() : tagsOrNull(key, value);
      if (!inL1.stores() || tags == null) {
        flights.removeAnd(key, flight, null);
      } else {
        flights.removeAnd(key, flight, tags, install(entry, inL1, tags));
      }
      if (tags != null && !tags.isEmpty()) {
        sweepTags();
      }
    } catch (Throwable t) {
      flights.remove(key, flight);
      throw t;
    } finally {
      flight.complete(outcome);
    }
  }

  /**
   * Puts a stale {@code entry} read from the tiers (past its TTL, inside its stale-if-error window)
   * in L1 for {@code inL1}, while the caller's flight for {@code key} is still current, so that the
   * flight's loader may fail over to it as to a stale entry L1 kept itself. The flight stays open:
   * its loader runs next. In-memory work under the key's bin lock only.
   */
  @SuppressWarnings("unchecked")
  void keepStale(K key, Flight flight, FreshEntry entry, Ttl inL1) {
    Object value = entry.value();
    Set<String> tags = value == null || !inL1.stores() ? null : tagsOrNull(key, (V) value);
    if (tags == null) {
      return;
    }
    flights.underLock(
        key,
        k -> {
          if (flights.isCurrent(flight, tags)) {
            l1.put(k, (V) entry, inL1);
            tagging.indexed(k, tags);
          }
        });
  }

  @SuppressWarnings("unchecked")
  private Consumer<K> install(Object stored, Ttl ttl, Set<String> tags) {
    return k -> {
      l1.put(k, (V) stored, ttl);
      tagging.indexed(k, tags);
      stats.recordPut();
    };
  }

  /**
   * The tags of a loaded value, or null if the tagger failed: the value then goes to its callers
   * but is not stored, since it could not be found again by tag.
   */
  private @Nullable Set<String> tagsOrNull(K key, V value) {
    try {
      return tagging.tagsOf(key, value);
    } catch (RuntimeException e) {
      logger.warn(
          "The tagger failed for key '{}'; the loaded value is returned but not stored: {}",
          key,
          e.toString());
      logger.debug("Tagger failure for key '{}'", key, e);
      return null;
    }
  }

  /** For tests: the tag index. */
  public Tagging<K, V> tagging() {
    return tagging;
  }

  /** For tests: the number of key lanes in use. */
  int laneCount() {
    return lanes.size();
  }
}
