package dev.loomcache.benchmarks;

import dev.loomcache.BatchLoader;
import dev.loomcache.Batcher;
import dev.loomcache.Cache;
import dev.loomcache.CacheStats;
import dev.loomcache.Loomcache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Benchmark 4, the batching window's cost in latency, and batching under many callers: what {@link
 * BatchingBenchmark} cannot show with one caller. Loomcache only: java-dataloader has no window
 * (its user decides when to dispatch), so it has no such latency to compare.
 *
 * <ul>
 *   <li><b>lone key</b>: one caller, one missing key at a time; the key waits for the whole window
 *       (the default 5 ms). The figure of merit is the latency minus the window.
 *   <li><b>full window</b>: {@value #BATCH} virtual threads ask for a missing key each at once; the
 *       window closes as soon as it holds {@value #BATCH} keys, so nobody should wait for the
 *       timer.
 *   <li><b>many callers</b>: {@code callers} virtual threads each ask for missing keys in a loop
 *       for a fixed time: keys per second and the mean batch size.
 * </ul>
 */
public final class BatchLatencyHarness {
  static final int BATCH = 100;

  /** The trivial batch loader: each key maps to itself. */
  static final BatchLoader<Integer, Integer> IDENTITY =
      keys -> {
        var values = HashMap.<Integer, Integer>newHashMap(keys.size());
        for (Integer key : keys) {
          values.put(key, key);
        }
        return values;
      };

  private BatchLatencyHarness() {}

  /** Latencies of lone-key gets, each waiting for a window of its own. */
  public static Latencies loneKey(
      Batcher<Integer, Integer> batcher, AtomicInteger keys, int count) {
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      batcher.get(keys.getAndIncrement());
      nanos[i] = System.nanoTime() - start;
    }
    return Latencies.of(nanos);
  }

  /**
   * Latencies of gets by {@value #BATCH} virtual threads released together, over {@code rounds}
   * rounds.
   *
   * @throws InterruptedException if the calling thread is interrupted
   */
  public static Latencies fullWindow(
      Batcher<Integer, Integer> batcher, AtomicInteger keys, int rounds)
      throws InterruptedException {
    long[] nanos = new long[rounds * BATCH];
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    for (int round = 0; round < rounds; round++) {
      var gate = new CountDownLatch(1);
      var threads = new ArrayList<Thread>(BATCH);
      int base = round * BATCH;
      for (int i = 0; i < BATCH; i++) {
        int slot = base + i;
        Integer key = keys.getAndIncrement();
        threads.add(
            Thread.ofVirtual()
                .start(() -> {
                  try {
                    gate.await();
                    long start = System.nanoTime();
                    batcher.get(key);
                    nanos[slot] = System.nanoTime() - start;
                  } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                  }
                }));
      }
      gate.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a batched get failed", failure.get());
    }
    return Latencies.of(nanos);
  }

  /** Keys per second, and the mean batch size, with {@code callers} threads asking in a loop. */
  public record Throughput(double keysPerSecond, double meanBatchSize) {}

  /**
   * Runs {@code callers} virtual threads that get missing keys through {@code batcher} for {@code
   * duration}.
   *
   * @throws InterruptedException if the calling thread is interrupted
   */
  public static Throughput manyCallers(
      Cache<Integer, Integer> cache,
      Batcher<Integer, Integer> batcher,
      AtomicInteger keys,
      int callers,
      Duration duration)
      throws InterruptedException {
    CacheStats before = cache.stats();
    var stop = new AtomicBoolean();
    var served = new AtomicLong();
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    var threads = new ArrayList<Thread>(callers);
    long start = System.nanoTime();
    for (int i = 0; i < callers; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(() -> {
                try {
                  while (!stop.get()) {
                    batcher.get(keys.getAndIncrement());
                    served.incrementAndGet();
                  }
                } catch (Throwable t) {
                  failure.compareAndSet(null, t);
                }
              }));
    }
    Parking.park(duration);
    stop.set(true);
    for (Thread thread : threads) {
      thread.join();
    }
    long elapsed = System.nanoTime() - start;
    if (failure.get() != null) {
      throw new IllegalStateException("a batched get failed", failure.get());
    }
    CacheStats after = cache.stats();
    long batches = after.batchCount() - before.batchCount();
    long batched = after.batchedKeyCount() - before.batchedKeyCount();
    double meanBatch = batches == 0 ? 0 : (double) batched / batches;
    return new Throughput(served.get() * 1e9 / elapsed, meanBatch);
  }

  /** Runs the three scenarios (after a short warm-up) and emits their figures. */
  public static void main(String[] args) throws InterruptedException {
    int loneCount = Integer.parseInt(args[0]);
    int fullRounds = Integer.parseInt(args[1]);
    int callers = Integer.parseInt(args[2]);
    Duration duration = Duration.ofMillis(Long.parseLong(args[3]));
    Duration window = Duration.ofMillis(5);
    var keys = new AtomicInteger();
    try (Cache<Integer, Integer> cache = Loomcache.newBuilder().batchWindow(window).build()) {
      Batcher<Integer, Integer> batcher = cache.batcher(IDENTITY);
      loneKey(batcher, keys, 20);
      fullWindow(batcher, keys, 5);
      manyCallers(cache, batcher, keys, callers, Duration.ofMillis(300));

      Latencies lone = loneKey(batcher, keys, loneCount);
      Latencies full = fullWindow(batcher, keys, fullRounds);
      Throughput many = manyCallers(cache, batcher, keys, callers, duration);
      double windowMillis = window.toNanos() / 1e6;
      Forks.emit("windowMillis", windowMillis);
      Forks.emit("loneP50Millis", Latencies.millis(lone.percentile(50)));
      Forks.emit("loneP99Millis", Latencies.millis(lone.percentile(99)));
      Forks.emit("loneAddedP50Millis", Latencies.millis(lone.percentile(50)) - windowMillis);
      Forks.emit("loneAddedP99Millis", Latencies.millis(lone.percentile(99)) - windowMillis);
      Forks.emit("fullP50Millis", Latencies.millis(full.percentile(50)));
      Forks.emit("fullP99Millis", Latencies.millis(full.percentile(99)));
      Forks.emit("manyCallers", callers);
      Forks.emit("manyKeysPerSecond", many.keysPerSecond());
      Forks.emit("manyMeanBatchSize", many.meanBatchSize());
    }
  }
}
