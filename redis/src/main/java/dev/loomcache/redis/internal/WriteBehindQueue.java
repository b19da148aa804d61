package dev.loomcache.redis.internal;

import dev.loomcache.redis.RedisTierException;
import dev.loomcache.spi.StoredValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Write-behind: writes and deletes queued per key and applied by the tier's own virtual threads.
 *
 * <p>Design note: keys are spread over lanes by hash, and each lane has one flusher, so the writes
 * of one key are applied one at a time, in order. A lane keeps at most one pending operation per
 * key: a later write or delete of a key replaces its pending one in place (coalescing), so a {@code
 * put} then an {@code invalidate} can never reach Redis reversed, and a burst on one key costs one
 * Redis write. An operation stays in the lane while it is applied, so that reads see it
 * (read-your-writes) and a replacement queued meanwhile is applied after it. The lane lock guards
 * only map operations; Redis is called outside it.
 */
public final class WriteBehindQueue implements AutoCloseable {
  /** Applies one operation to Redis: a write, or a delete when {@code value} is null. */
  @FunctionalInterface
  public interface Sink {
    void apply(String key, @Nullable StoredValue value);
  }

  /** A queued write ({@code value} non-null) or delete; compared by identity. */
  public static final class Op {
    private final @Nullable StoredValue value;

    Op(@Nullable StoredValue value) {
      this.value = value;
    }

    /** The value to write, or null for a delete. */
    public @Nullable StoredValue value() {
      return value;
    }
  }

  private final Lane[] lanes;
  private final Thread[] flushers;
  private final int laneCapacity;
  private final Sink sink;
  private final Recovery recovery;
  private final TierCounters counters;
  private final RateLimitedLog log;
  private final AtomicInteger queued = new AtomicInteger();

  /**
   * Starts {@code threads} flushers, each owning a lane of {@code capacity / threads} keys, which
   * apply operations with {@code sink}.
   */
  public WriteBehindQueue(
      int capacity,
      int threads,
      Sink sink,
      Recovery recovery,
      TierCounters counters,
      RateLimitedLog log) {
    this.laneCapacity = Math.max(1, capacity / threads);
    this.sink = sink;
    this.recovery = recovery;
    this.counters = counters;
    this.log = log;
    this.lanes = new Lane[threads];
    for (int i = 0; i < threads; i++) {
      lanes[i] = new Lane();
    }
    this.flushers = new Thread[threads];
    for (int i = 0; i < threads; i++) {
      flushers[i] = Thread.ofVirtual().name("loomcache-redis-write-behind-" + i).start(lanes[i]);
    }
  }

  /**
   * Queues a write (or, with a null value, a delete) of {@code key}. Never blocks on Redis. When
   * the lane is full and the key has nothing pending, the operation is dropped, counted, and the
   * key is handed to recovery (Redis may now hold an outdated value for it).
   */
  public void enqueue(String key, @Nullable StoredValue value) {
    Lane lane = laneOf(key);
    boolean dropped = false;
    lane.lock.lock();
    try {
      if (lane.closing) {
        throw new RedisTierException("The Redis tier is closing; not queued: " + key, null);
      }
      if (lane.pending.containsKey(key)) {
        lane.pending.put(
            key, new Op(value)); // keeps its place: the key is written once, last value
      } else if (lane.pending.size() >= laneCapacity) {
        dropped = true;
      } else {
        lane.pending.put(key, new Op(value));
        queued.incrementAndGet();
        lane.changed.signalAll();
      }
    } finally {
      lane.lock.unlock();
    }
    if (dropped) {
      counters.droppedWrites.increment();
      recovery.keyMayBeStale(key);
    }
  }

  /** Returns the operation queued (or being applied) for {@code key}, or null. */
  public @Nullable Op pending(String key) {
    Lane lane = laneOf(key);
    lane.lock.lock();
    try {
      return lane.pending.get(key);
    } finally {
      lane.lock.unlock();
    }
  }

  /** The number of keys with a pending operation. */
  public int size() {
    return queued.get();
  }

  /**
   * Discards every pending operation and waits for the ones being applied, so that a clear that
   * follows is not undone by older writes. Parks the calling thread at most one command timeout.
   *
   * @throws RedisTierException if interrupted (the interrupt status is restored)
   */
  public void discardPending() {
    for (Lane lane : lanes) {
      lane.lock.lock();
      try {
        Op applying = lane.applying;
        queued.addAndGet(-lane.pending.size());
        lane.pending.clear();
        while (applying != null && lane.applying == applying) {
          lane.changed.await();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RedisTierException("Interrupted while waiting for a queued write", e);
      } finally {
        lane.lock.unlock();
      }
    }
  }

  /**
   * Discards the pending operations {@code drop} selects and waits for such an operation being
   * applied, so that a tag or pattern invalidation that follows is not undone by older writes.
   * Parks the calling thread at most one command timeout per lane.
   *
   * @throws RedisTierException if interrupted (the interrupt status is restored)
   */
  public void discardPendingIf(java.util.function.BiPredicate<String, Op> drop) {
    for (Lane lane : lanes) {
      lane.lock.lock();
      try {
        Op applying = lane.applying; // still in pending while it is being applied
        boolean waitForApplying = false;
        var entries = lane.pending.entrySet().iterator();
        while (entries.hasNext()) {
          var entry = entries.next();
          if (drop.test(entry.getKey(), entry.getValue())) {
            waitForApplying |= entry.getValue() == applying;
            entries.remove();
            queued.decrementAndGet();
          }
        }
        while (waitForApplying && lane.applying == applying) {
          lane.changed.await();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RedisTierException("Interrupted while waiting for a queued write", e);
      } finally {
        lane.lock.unlock();
      }
    }
  }

  private Lane laneOf(String key) {
    return lanes[Math.floorMod(key.hashCode(), lanes.length)];
  }

  /**
   * Applies everything still queued, then stops the flushers; parks the calling thread until they
   * have stopped. Bounded: with Redis down, the circuit breaker makes the remaining operations fail
   * fast (and hands their keys to recovery).
   */
  @Override
  public void close() {
    for (Lane lane : lanes) {
      lane.lock.lock();
      try {
        lane.closing = true;
        lane.changed.signalAll();
      } finally {
        lane.lock.unlock();
      }
    }
    boolean interrupted = false;
    for (Thread thread : flushers) {
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // finish flushing anyway: dropping writes would leave Redis stale
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Lane implements Runnable {
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final LinkedHashMap<String, Op> pending = new LinkedHashMap<>();
    @Nullable Op applying; // guarded by lock
    boolean closing; // guarded by lock

    @Override
    public void run() {
      while (true) {
        String key;
        Op op;
        lock.lock();
        try {
          while (pending.isEmpty() && !closing) {
            changed.awaitUninterruptibly(); // only close() ends a flusher, after the last write
          }
          if (pending.isEmpty()) {
            return;
          }
          Map.Entry<String, Op> first = pending.entrySet().iterator().next();
          key = first.getKey();
          op = first.getValue();
          applying = op;
        } finally {
          lock.unlock();
        }
        try {
          sink.apply(key, op.value());
        } catch (RuntimeException e) {
          counters.writeBehindFailures.increment();
          log.warn(
              "write-behind",
              "A queued "
                  + (op.value() == null ? "delete" : "write")
                  + " of key '"
                  + key
                  + "' did not reach Redis",
              e);
        }
        lock.lock();
        try {
          if (pending.get(key) == op && pending.remove(key) != null) {
            queued.decrementAndGet();
          }
          applying = null;
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
    }
  }
}
