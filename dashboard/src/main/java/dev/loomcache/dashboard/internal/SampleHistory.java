package dev.loomcache.dashboard.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The recent samples behind the live charts: a bounded ring, numbered in order, that event-stream
 * readers wait on for the next sample. Closing it wakes every reader, which is how the streams end
 * when the dashboard stops.
 */
public final class SampleHistory implements AutoCloseable {
  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Map<String, Object>> samples = new ArrayDeque<>();
  private long lastSeq;
  private boolean closed;

  /** Keeps the latest {@code capacity} samples. */
  public SampleHistory(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, but was " + capacity);
    }
    this.capacity = capacity;
  }

  /** Appends a sample, numbering it with the next {@code seq}, and wakes the waiting readers. */
  public void add(Map<String, Object> fields) {
    lock.lock();
    try {
      var sample = new LinkedHashMap<String, Object>();
      sample.put("seq", ++lastSeq);
      sample.putAll(fields);
      samples.addLast(Collections.unmodifiableMap(sample));
      if (samples.size() > capacity) {
        samples.removeFirst();
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The kept samples numbered after {@code seq}, oldest first; never blocks for long. */
  public List<Map<String, Object>> since(long seq) {
    lock.lock();
    try {
      return collect(seq);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the samples numbered after {@code seq}, parking the calling thread until there is at
   * least one, the history closes, or {@code timeout} passes (then the list may be empty).
   *
   * @throws InterruptedException if the calling thread is interrupted while parked
   */
  public List<Map<String, Object>> awaitSince(long seq, Duration timeout)
      throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (lastSeq <= seq && !closed && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
      return collect(seq);
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiting reader for good; later waits return at once. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private List<Map<String, Object>> collect(long seq) {
    var list = new ArrayList<Map<String, Object>>();
    for (Map<String, Object> sample : samples) {
      if ((long) requireNonNull(sample.get("seq")) > seq) {
        list.add(sample);
      }
    }
    return list;
  }
}
