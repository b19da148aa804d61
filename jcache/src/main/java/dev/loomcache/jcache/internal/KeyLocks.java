package dev.loomcache.jcache.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One {@link ReentrantLock} per key in use, so that operations on one key are serialized while
 * operations on different keys never wait for each other.
 *
 * <p>Design note. JCache makes a writer call, an entry processor or a conditional write atomic with
 * the change it guards, so that user code has to run while the key is held. Caffeine's JCache
 * adapter runs it inside {@code ConcurrentHashMap.compute}, which holds a whole hash bin and cannot
 * park a virtual thread cheaply. Here the map only counts the users of a lane, inside short
 * CPU-only {@code compute} calls; the lock itself is taken outside the map, parks virtual threads
 * without pinning them, and is reentrant, so user code that calls back into the cache for the same
 * key on the same thread does not deadlock. A lane is removed when its last user leaves.
 */
final class KeyLocks {
  private final ConcurrentHashMap<Object, Lane> lanes = new ConcurrentHashMap<>();

  /** Parks the calling thread until it holds {@code key}'s lock; uninterruptible. */
  Lane lock(Object key) {
    Lane lane =
        lanes.compute(
            key,
            (k, current) -> {
              Lane result = current == null ? new Lane() : current;
              result.users++;
              return result;
            });
    lane.lock.lock();
    return lane;
  }

  /** Releases a lock taken with {@link #lock}; never blocks. */
  void unlock(Object key, Lane lane) {
    lane.lock.unlock();
    lanes.computeIfPresent(key, (k, current) -> --current.users == 0 ? null : current);
  }

  /** Returns whether the calling thread holds {@code key}'s lock. */
  boolean isHeldByCurrentThread(Object key) {
    Lane lane = lanes.get(key);
    return lane != null && lane.lock.isHeldByCurrentThread();
  }

  /** The number of keys locked or waited for; for tests. */
  int laneCount() {
    return lanes.size();
  }

  /** A key's lock and the number of threads holding or waiting for it. */
  static final class Lane {
    final ReentrantLock lock = new ReentrantLock();
    int users; // guarded by the map's compute
  }
}
