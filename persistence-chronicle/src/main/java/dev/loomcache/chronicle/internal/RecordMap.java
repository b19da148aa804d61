package dev.loomcache.chronicle.internal;

import dev.loomcache.spi.StoredValue;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import net.openhft.chronicle.map.ChronicleMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records in the open map: reads that skip expired records, writes that never fail for lack of
 * room, and the counters of what had to give way.
 *
 * <p>A full map (Chronicle refuses a put once a segment has used all its overflow tiers) is made
 * room in, in this order: retry (another writer may have made room), purge every expired record,
 * evict the oldest tenth of the records by write stamp (up to three times). A write that still does
 * not fit, or that is larger than the map's entry size limit, is skipped and counted, and the key's
 * previous record is removed: the file must never hold an older value than the cache returned,
 * since a restart would serve it as current.
 *
 * <p>Making room runs under one lock, so that writers meeting a full map together wait for one pass
 * instead of each evicting a tenth; it guards no user code. Everything else is lock-free here
 * (Chronicle locks the key's segment for the moment of each operation).
 */
public final class RecordMap {
  private static final Logger logger = LoggerFactory.getLogger("dev.loomcache.chronicle");
  private static final int EVICTION_ATTEMPTS = 3;
  private static final int EVICTION_DIVISOR = 10;
  private static final long SKIP_WARNING_INTERVAL_MILLIS = 10_000;

  private final ChronicleMap<String, byte[]> map;
  private final InstantSource clock;
  private final Maintenance maintenance;
  private final ReentrantLock roomLock = new ReentrantLock();
  private final AtomicLong lastStamp = new AtomicLong();
  private final AtomicLong lastSkipWarning = new AtomicLong(Long.MIN_VALUE / 2);
  private final LongAdder evictions = new LongAdder();
  private final LongAdder skippedWrites = new LongAdder();
  private final LongAdder purged = new LongAdder();

  /** Works on {@code map}, with {@code clock} for expiry; whole-map passes end on {@code stop}. */
  public RecordMap(ChronicleMap<String, byte[]> map, InstantSource clock, BooleanSupplier stop) {
    this.map = map;
    this.clock = clock;
    this.maintenance = new Maintenance(map, clock::millis, stop);
  }

  /**
   * Returns the value under {@code key}, or null if absent or past its retention: a value with a
   * stale-if-error window is returned through it, expired (the cache tells the two apart).
   */
  public @Nullable StoredValue read(String key) {
    byte[] record = map.get(key);
    if (record == null) {
      return null;
    }
    StoredValue value = Records.decode(record);
    return value.isGoneAt(clock.millis()) ? null : value;
  }

  /** Stores {@code value}, making room or skipping the write (counted) if the map is full. */
  public void write(String key, StoredValue value) {
    byte[] record = Records.encode(value, nextStamp());
    try {
      map.put(key, record);
    } catch (IllegalStateException e) {
      if (!isFull(e)) {
        throw e;
      }
      makeRoomAndPut(key, record);
    } catch (IllegalArgumentException e) {
      if (!isTooLarge(e)) {
        throw e;
      }
      skip(
          key,
          record.length
              + " bytes is more than the file's entry size limit;"
              + " raise averageValueSize");
    }
  }

  /** Removes {@code key}; a no-op if absent. */
  public void delete(String key) {
    map.remove(key);
  }

  /** Removes every record. */
  public void clear() {
    map.clear();
  }

  /**
   * Removes every live record whose key satisfies {@code matchesKey} or whose tags satisfy {@code
   * matchesTags}: one pass over the map, reading each live record once. A record rewritten since it
   * was read is left alone (the removal compares the bytes). Returns how many it removed.
   */
  public long removeIf(
      java.util.function.Predicate<String> matchesKey,
      java.util.function.Predicate<java.util.Set<String>> matchesTags) {
    var removed = new java.util.concurrent.atomic.AtomicLong();
    maintenance.forEachLiveKey(key -> {
      if (matchesKey.test(key)) {
        if (map.remove(key) != null) {
          removed.incrementAndGet();
        }
        return;
      }
      byte[] record = map.get(key);
      if (record != null
          && record.length >= Records.HEADER
          && matchesTags.test(Records.tags(record))
          && map.remove(key, record)) {
        removed.incrementAndGet();
      }
    });
    return removed.get();
  }

  /** The number of records, expired ones included. */
  public long size() {
    return map.longSize();
  }

  /** Removes every expired record now; returns how many. */
  public long purgeExpired() {
    long removed = maintenance.purgeExpired();
    purged.add(removed);
    return removed;
  }

  /** Hands the keys of live records to {@code action}, never while holding a segment's lock. */
  public void forEachLiveKey(Consumer<String> action) {
    maintenance.forEachLiveKey(action);
  }

  /** Live records evicted to make room. */
  public long evictionCount() {
    return evictions.sum();
  }

  /** Writes skipped for lack of room or for their size. */
  public long skippedWriteCount() {
    return skippedWrites.sum();
  }

  /** Expired (or malformed) records removed by purges. */
  public long purgedCount() {
    return purged.sum();
  }

  private void makeRoomAndPut(String key, byte[] record) {
    roomLock.lock();
    try {
      if (tryPut(key, record)) {
        return;
      }
      if (purgeExpired() > 0 && tryPut(key, record)) {
        return;
      }
      for (int attempt = 0; attempt < EVICTION_ATTEMPTS; attempt++) {
        long batch = Math.max(1, map.longSize() / EVICTION_DIVISOR);
        long evicted = maintenance.evictOldest((int) Math.min(Integer.MAX_VALUE - 1, batch));
        evictions.add(evicted);
        if (tryPut(key, record)) {
          return;
        }
        if (evicted == 0) {
          break;
        }
      }
    } finally {
      roomLock.unlock();
    }
    skip(key, "the file stays full after purging expired entries and evicting the oldest");
  }

  private boolean tryPut(String key, byte[] record) {
    try {
      map.put(key, record);
      return true;
    } catch (IllegalStateException e) {
      if (isFull(e)) {
        return false;
      }
      throw e;
    }
  }

  private void skip(String key, String reason) {
    map.remove(key); // never leave an older value behind the one the cache now holds
    skippedWrites.increment();
    long now = System.currentTimeMillis();
    long last = lastSkipWarning.get();
    if (now - last >= SKIP_WARNING_INTERVAL_MILLIS && lastSkipWarning.compareAndSet(last, now)) {
      logger.warn(
          "Skipped writing key '{}' to the Chronicle store ({}); {} writes skipped so far",
          key,
          reason,
          skippedWrites.sum());
    }
  }

  /**
   * A stamp larger than every earlier one from this store, and close to the wall clock in
   * microseconds, so that stamps from a later process usually sort after this one's.
   */
  private long nextStamp() {
    long now = clock.millis() * 1_000;
    return lastStamp.accumulateAndGet(now, (previous, wall) -> Math.max(previous + 1, wall));
  }

  private static boolean isFull(IllegalStateException e) {
    String message = e.getMessage();
    return message != null && message.contains("extra segment tier");
  }

  private static boolean isTooLarge(IllegalArgumentException e) {
    String message = e.getMessage();
    return message != null && message.contains("too large");
  }
}
