package dev.loomcache.benchmarks;

import dev.loomcache.benchmarks.Rival.LoadingCacheUnderTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Benchmark 3, collateral blocking: how long fast operations take while a slow load runs on a key
 * in the same {@code ConcurrentHashMap} bin. A plain harness: what matters is the tail of a few
 * thousand operations next to a background load, not a steady-state rate.
 *
 * <p>One virtual thread loads slow keys one after another, each load parking for {@code slowLoad},
 * so a slow load is always running. {@code fastThreads} virtual threads each repeat, {@code pace}
 * apart: a <em>fast load</em> (a missing key whose loader returns at once) and a <em>fast read</em>
 * (a present key). Every key, slow or fast, comes from {@link SameBinKeys}: all share one bin of
 * every hash table of the caches under test (Caffeine's and Loomcache's maps; Guava hashes
 * differently, so for Guava they merely share a segment's table). A cache that runs loaders inside
 * {@code ConcurrentHashMap.compute} holds that bin's lock for the whole slow load.
 */
public final class CollateralHarness {
  private static final int READ_KEYS = 8;
  private static final int ANCHOR = 12_345;

  private CollateralHarness() {}

  /** The latencies of the fast operations, and how many slow loads ran meanwhile. */
  public record Result(Latencies loads, Latencies reads, Latencies all, int slowLoads) {}

  /**
   * Runs the scenario for {@code duration} against a fresh cache of {@code rival}. Parks the
   * calling thread meanwhile; every thread it starts has ended when it returns.
   *
   * @throws IllegalStateException if an operation failed or the same-bin keys ran out
   * @throws InterruptedException if the calling thread is interrupted
   */
  public static Result run(
      Rival rival, Duration duration, int fastThreads, Duration slowLoad, Duration pace)
      throws InterruptedException {
    int maxFastLoads =
        (int)
            Math.min(40_000, fastThreads * (duration.toNanos() / Math.max(pace.toNanos(), 1) + 1));
    int maxSlowLoads = (int) (duration.toNanos() / slowLoad.toNanos()) + 2;
    int[] keys = SameBinKeys.sharingBinWith(ANCHOR, READ_KEYS + maxSlowLoads + maxFastLoads);
    var nextSlow = new AtomicInteger(READ_KEYS);
    var nextFast = new AtomicInteger(READ_KEYS + maxSlowLoads);
    var stop = new AtomicBoolean();
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    var slowLoads = new AtomicInteger();
    Function<Integer, String> slow =
        key -> {
          Parking.park(slowLoad);
          return "slow-" + key;
        };
    Function<Integer, String> fast = key -> "fast-" + key;
    long[][] loadNanos = new long[fastThreads][];
    long[][] readNanos = new long[fastThreads][];
    int[] done = new int[fastThreads];
    var threads = new ArrayList<Thread>();
    try (LoadingCacheUnderTest cache = rival.open(1_000_000)) {
      for (int i = 0; i < READ_KEYS; i++) {
        cache.put(keys[i], "read-" + keys[i]);
      }
      threads.add(
          Thread.ofVirtual()
              .start(() ->
                  guard(
                      failure,
                      stop,
                      () -> {
                        while (!stop.get()) {
                          int index = nextSlow.getAndIncrement();
                          if (index >= READ_KEYS + maxSlowLoads) {
                            return;
                          }
                          cache.get(keys[index], slow);
                          slowLoads.incrementAndGet();
                        }
                      })));
      for (int t = 0; t < fastThreads; t++) {
        int thread = t;
        loadNanos[t] = new long[maxFastLoads];
        readNanos[t] = new long[maxFastLoads];
        threads.add(
            Thread.ofVirtual()
                .start(() ->
                    guard(
                        failure,
                        stop,
                        () -> {
                          int n = 0;
                          while (!stop.get() && n < maxFastLoads) {
                            int index = nextFast.getAndIncrement();
                            if (index >= keys.length) {
                              throw new IllegalStateException("ran out of same-bin keys");
                            }
                            long start = System.nanoTime();
                            cache.get(keys[index], fast);
                            loadNanos[thread][n] = System.nanoTime() - start;
                            Integer present = keys[(n + thread) % READ_KEYS];
                            start = System.nanoTime();
                            String value = cache.get(present, fast);
                            readNanos[thread][n] = System.nanoTime() - start;
                            if (!("read-" + present).equals(value)) {
                              throw new IllegalStateException(
                                  "read key " + present + " got " + value);
                            }
                            done[thread] = ++n;
                            Parking.park(pace);
                          }
                        })));
      }
      long deadline = System.nanoTime() + duration.toNanos();
      while (failure.get() == null && System.nanoTime() < deadline) {
        Parking.park(Duration.ofMillis(10));
      }
      stop.set(true);
      for (Thread thread : threads) {
        thread.join();
      }
    }
    if (failure.get() != null) {
      throw new IllegalStateException(rival.label() + ": an operation failed", failure.get());
    }
    return new Result(
        merge(loadNanos, done),
        merge(readNanos, done),
        merge(concat(loadNanos, readNanos), done),
        slowLoads.get());
  }

  private static void guard(
      AtomicReference<@Nullable Throwable> failure, AtomicBoolean stop, Runnable body) {
    try {
      body.run();
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
      stop.set(true);
    }
  }

  private static long[][] concat(long[][] first, long[][] second) {
    long[][] both = new long[first.length * 2][];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  private static Latencies merge(long[][] perThread, int[] counts) {
    var all = new ArrayList<Long>();
    for (int t = 0; t < perThread.length; t++) {
      int count = counts[t % counts.length];
      for (int i = 0; i < count; i++) {
        all.add(perThread[t][i]);
      }
    }
    if (all.isEmpty()) {
      throw new IllegalStateException("no fast operation completed");
    }
    return Latencies.of(all.stream().mapToLong(Long::longValue).toArray());
  }

  private static void emit(String prefix, Latencies latencies) {
    Forks.emit(prefix + "P50Micros", Latencies.micros(latencies.percentile(50)));
    Forks.emit(prefix + "P99Micros", Latencies.micros(latencies.percentile(99)));
    Forks.emit(prefix + "MaxMicros", Latencies.micros(latencies.max()));
  }

  /** Runs the scenario once to warm up, then once measured, and emits the fast-op percentiles. */
  public static void main(String[] args) throws InterruptedException {
    Rival rival = Rival.parse(args[0]);
    Duration duration = Duration.ofMillis(Long.parseLong(args[1]));
    int fastThreads = Integer.parseInt(args[2]);
    Duration slowLoad = Duration.ofMillis(Long.parseLong(args[3]));
    Duration pace = Duration.ofMillis(1);
    run(rival, Duration.ofMillis(Math.min(500, duration.toMillis())), fastThreads, slowLoad, pace);
    Result result = run(rival, duration, fastThreads, slowLoad, pace);
    emit("fastOp", result.all());
    emit("fastLoad", result.loads());
    emit("fastRead", result.reads());
    Forks.emit("fastOps", result.all().count());
    Forks.emit("slowLoads", result.slowLoads());
  }
}
