package dev.loomcache.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Per-key write lanes: orders the tier writes of one key (a put, an invalidation, a load's store)
 * so that L1 and the tiers end in the same state. Only writers of the same key ever wait for each
 * other; reads, hits and other keys never touch a lane. A lane exists only while someone holds or
 * waits for it.
 */
final class KeyLanes<K> implements Diagnostics.Inspectable {
  private final ConcurrentHashMap<K, Lane> lanes = new ConcurrentHashMap<>();

  {
    Diagnostics.track(this);
  }

  @Override
  public @Nullable String leftover() {
    return lanes.isEmpty() ? null : "KeyLanes: lanes of keys " + lanes.keySet() + " still held";
  }

  /** A lock and the number of threads holding or waiting for it (guarded by the map's bin lock). */
  static final class Lane {
    final ReentrantLock lock = new ReentrantLock();
    int users;
  }

  /** Enters the lane of {@code key}, parking while another writer of that key is in it. */
  Lane enter(K key) {
    Lane lane =
        lanes.compute(
            key,
            (k, existing) -> {
              Lane l = existing == null ? new Lane() : existing;
              l.users++;
              return l;
            });
    lane.lock.lock();
    return lane;
  }

  /** Leaves the lane entered with {@link #enter}. */
  void leave(K key, Lane lane) {
    lane.lock.unlock();
    lanes.compute(key, (k, existing) -> --lane.users == 0 ? null : lane);
  }

  /** For tests: the number of lanes in use. */
  int size() {
    return lanes.size();
  }
}
