package dev.loomcache.chronicle.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.MapEntry;

/**
 * Whole-map passes, one segment at a time: purging expired records, evicting the oldest, listing
 * live keys. Each segment is locked only while it is scanned; a pass stops between segments once
 * {@code stop} says so (the store is closing).
 */
public final class Maintenance {
  private final ChronicleMap<String, byte[]> map;
  private final LongSupplier nowMillis;
  private final BooleanSupplier stop;

  /** Works on {@code map}, with {@code nowMillis} for expiry; passes end once {@code stop}. */
  public Maintenance(
      ChronicleMap<String, byte[]> map, LongSupplier nowMillis, BooleanSupplier stop) {
    this.map = map;
    this.nowMillis = nowMillis;
    this.stop = stop;
  }

  /** Removes every record expired now (and any too short to be a record); returns how many. */
  public long purgeExpired() {
    long now = nowMillis.getAsLong();
    long removed = 0;
    for (int segment = 0; segment < map.segments() && !stop.getAsBoolean(); segment++) {
      var count = new long[1];
      try (var context = map.segmentContext(segment)) {
        context.forEachSegmentEntry(entry -> {
          Data<byte[]> value = entry.value();
          if (!Records.isComplete(value) || Records.isExpired(Records.expiry(value), now)) {
            entry.doRemove();
            count[0]++;
          }
        });
      }
      removed += count[0];
    }
    return removed;
  }

  /**
   * Removes the {@code n} records written longest ago (by write stamp). A record rewritten since
   * the scan saw it is kept: removal compares the stamp under the entry's lock.
   */
  public long evictOldest(int n) {
    // A max-heap on the stamp holding the n oldest seen so far.
    var oldest = new PriorityQueue<Stamped>(n + 1, (a, b) -> Long.compare(b.stamp, a.stamp));
    for (int segment = 0; segment < map.segments() && !stop.getAsBoolean(); segment++) {
      try (var context = map.segmentContext(segment)) {
        context.forEachSegmentEntry(entry -> {
          Data<byte[]> value = entry.value();
          long stamp = Records.isComplete(value) ? Records.stamp(value) : Long.MIN_VALUE;
          if (oldest.size() < n || stamp < oldest.peek().stamp) {
            oldest.add(new Stamped(entry.key().get(), stamp));
            if (oldest.size() > n) {
              oldest.poll();
            }
          }
        });
      }
    }
    long removed = 0;
    for (Stamped candidate : oldest) {
      if (removeIfStamp(candidate.key, candidate.stamp)) {
        removed++;
      }
    }
    return removed;
  }

  /** Hands the keys of live records to {@code action}, a segment's worth at a time, unlocked. */
  public void forEachLiveKey(Consumer<String> action) {
    long now = nowMillis.getAsLong();
    for (int segment = 0; segment < map.segments() && !stop.getAsBoolean(); segment++) {
      List<String> keys = new ArrayList<>();
      try (var context = map.segmentContext(segment)) {
        context.forEachSegmentEntry(entry -> {
          Data<byte[]> value = entry.value();
          if (Records.isComplete(value) && !Records.isExpired(Records.expiry(value), now)) {
            keys.add(entry.key().get());
          }
        });
      }
      keys.forEach(action); // outside the segment's lock: the action reads the map
    }
  }

  private boolean removeIfStamp(String key, long stamp) {
    try (var context = map.queryContext(key)) {
      context.updateLock().lock();
      MapEntry<String, byte[]> entry = context.entry();
      if (entry == null) {
        return false;
      }
      Data<byte[]> value = entry.value();
      if ((Records.isComplete(value) ? Records.stamp(value) : Long.MIN_VALUE) != stamp) {
        return false;
      }
      context.remove(entry);
      return true;
    }
  }

  private record Stamped(String key, long stamp) {}
}
