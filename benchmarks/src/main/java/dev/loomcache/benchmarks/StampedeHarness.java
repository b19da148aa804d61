package dev.loomcache.benchmarks;

import dev.loomcache.benchmarks.Rival.LoadingCacheUnderTest;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Benchmark 2, the stampede: {@code callers} virtual threads, lined up behind one latch, ask for
 * {@code keys} missing keys at once (caller {@code i} asks for key {@code i % keys}); the loader
 * parks for {@code load}. A plain harness rather than JMH: each round is one event of a few tens of
 * milliseconds whose result is a count (loader calls), a wall time and a tail of per-caller waits.
 *
 * <p>Every round uses a fresh cache. The wall time runs from opening the latch to the last caller's
 * return (the ideal is one load time); a caller's wait runs from its own call to its return.
 */
public final class StampedeHarness {
  private StampedeHarness() {}

  /** One round's measurements. */
  public record Round(int loaderCalls, long wallNanos, Latencies waits) {}

  /**
   * Runs one stampede against a fresh cache of {@code rival}. Parks the calling thread until every
   * caller has returned.
   *
   * @throws IllegalStateException if a caller failed or got a wrong value
   * @throws InterruptedException if the calling thread is interrupted
   */
  public static Round runOnce(Rival rival, int callers, int keys, Duration load)
      throws InterruptedException {
    var loaderCalls = new AtomicInteger();
    Function<Integer, String> loader =
        key -> {
          loaderCalls.incrementAndGet();
          Parking.park(load);
          return "value-" + key;
        };
    var ready = new CountDownLatch(callers);
    var gate = new CountDownLatch(1);
    var done = new CountDownLatch(callers);
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    long[] waits = new long[callers];
    Thread[] threads = new Thread[callers];
    long wall;
    try (LoadingCacheUnderTest cache = rival.open(10_000)) {
      for (int i = 0; i < callers; i++) {
        int caller = i;
        Integer key = caller % keys;
        threads[i] =
            Thread.ofVirtual()
                .start(() -> {
                  try {
                    ready.countDown();
                    gate.await();
                    long start = System.nanoTime();
                    String value = cache.get(key, loader);
                    waits[caller] = System.nanoTime() - start;
                    if (!("value-" + key).equals(value)) {
                      throw new IllegalStateException("key " + key + " got " + value);
                    }
                  } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                  } finally {
                    done.countDown();
                  }
                });
      }
      ready.await();
      long start = System.nanoTime();
      gate.countDown();
      done.await();
      wall = System.nanoTime() - start;
      for (Thread thread : threads) {
        thread.join();
      }
    }
    if (failure.get() != null) {
      throw new IllegalStateException(rival.label() + ": a caller failed", failure.get());
    }
    return new Round(loaderCalls.get(), wall, Latencies.of(waits));
  }

  /**
   * Runs {@code warmups} unmeasured rounds, then {@code rounds} measured ones, and emits the median
   * wall time and p99 wait over the measured rounds and the range of loader calls.
   */
  public static void main(String[] args) throws InterruptedException {
    Rival rival = Rival.parse(args[0]);
    int callers = Integer.parseInt(args[1]);
    int keys = Integer.parseInt(args[2]);
    Duration load = Duration.ofMillis(Long.parseLong(args[3]));
    int warmups = Integer.parseInt(args[4]);
    int rounds = Integer.parseInt(args[5]);
    for (int i = 0; i < warmups; i++) {
      runOnce(rival, callers, keys, load);
    }
    double[] walls = new double[rounds];
    double[] p50s = new double[rounds];
    double[] p99s = new double[rounds];
    double[] maxes = new double[rounds];
    int minCalls = Integer.MAX_VALUE;
    int maxCalls = 0;
    for (int i = 0; i < rounds; i++) {
      Round round = runOnce(rival, callers, keys, load);
      walls[i] = Latencies.millis(round.wallNanos());
      p50s[i] = Latencies.millis(round.waits().percentile(50));
      p99s[i] = Latencies.millis(round.waits().percentile(99));
      maxes[i] = Latencies.millis(round.waits().max());
      minCalls = Math.min(minCalls, round.loaderCalls());
      maxCalls = Math.max(maxCalls, round.loaderCalls());
    }
    Forks.emit("loaderCallsMin", minCalls);
    Forks.emit("loaderCallsMax", maxCalls);
    Forks.emit("wallMillis", Latencies.median(walls));
    Forks.emit("wallMillisBest", Arrays.stream(walls).min().orElseThrow());
    Forks.emit("p50WaitMillis", Latencies.median(p50s));
    Forks.emit("p99WaitMillis", Latencies.median(p99s));
    Forks.emit("maxWaitMillis", Latencies.median(maxes));
    Forks.emit("rounds", rounds);
  }
}
