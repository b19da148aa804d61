package dev.loomcache.dashboard.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The demo's stand-in for a slow database: every call parks the calling thread for a random time
 * between the minimum and maximum delay (on a virtual thread, parking releases the carrier), then
 * answers. It counts its calls, which is how a scenario knows how many loads really happened.
 */
public class SlowBackend {
  private final Duration minDelay;
  private final Duration maxDelay;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong batchCalls = new AtomicLong();
  private final LongAdder batchedKeys = new LongAdder();
  private final LongAdder busyNanos = new LongAdder();

  /**
   * Creates a backend whose calls take from {@code minDelay} to {@code maxDelay}.
   *
   * @throws IllegalArgumentException if a delay is negative or the minimum exceeds the maximum
   */
  public SlowBackend(Duration minDelay, Duration maxDelay) {
    if (minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0) {
      throw new IllegalArgumentException(
          "delays must satisfy 0 <= minDelay <= maxDelay, but were "
              + minDelay
              + " and "
              + maxDelay);
    }
    this.minDelay = minDelay;
    this.maxDelay = maxDelay;
  }

  /** A backend that takes 20 to 50 ms per call, like a database across a network. */
  public static SlowBackend database() {
    return new SlowBackend(Duration.ofMillis(20), Duration.ofMillis(50));
  }

  /**
   * Loads one product; parks the calling thread for the backend's delay. The value names the call
   * that produced it, so callers can tell whether they shared one load.
   *
   * @throws InterruptedException if the calling thread is interrupted while parked
   */
  public String load(String key) throws InterruptedException {
    long call = calls.incrementAndGet();
    timedPark();
    return "product " + key + " (load #" + call + ")";
  }

  /**
   * Loads many products in one call, as a batch endpoint or an {@code IN (...)} query would; parks
   * once for the backend's delay.
   *
   * @throws InterruptedException if the calling thread is interrupted while parked
   */
  public Map<String, String> loadAll(Set<String> keys) throws InterruptedException {
    long call = batchCalls.incrementAndGet();
    batchedKeys.add(keys.size());
    timedPark();
    var values = new LinkedHashMap<String, String>();
    for (String key : keys) {
      values.put(key, "product " + key + " (batch #" + call + ")");
    }
    return values;
  }

  /** Single-key calls made so far. */
  public long callCount() {
    return calls.get();
  }

  /** Batch calls made so far. */
  public long batchCallCount() {
    return batchCalls.get();
  }

  /** Keys asked for in batch calls so far. */
  public long batchedKeyCount() {
    return batchedKeys.sum();
  }

  /**
   * Nanoseconds spent inside calls so far, single-key and batch calls alike, summed over calls that
   * overlapped: comparing it with a run's elapsed time shows how much of the work ran in parallel.
   */
  public long busyNanos() {
    return busyNanos.sum();
  }

  private void timedPark() throws InterruptedException {
    long start = System.nanoTime();
    try {
      park();
    } finally {
      busyNanos.add(System.nanoTime() - start);
    }
  }

  /** Parks for a random time within the delays; overridable so that tests can hold a call. */
  protected void park() throws InterruptedException {
    long min = minDelay.toNanos();
    long max = maxDelay.toNanos();
    long nanos = min == max ? min : ThreadLocalRandom.current().nextLong(min, max + 1);
    if (nanos > 0) {
      Thread.sleep(Duration.ofNanos(nanos));
    }
  }
}
