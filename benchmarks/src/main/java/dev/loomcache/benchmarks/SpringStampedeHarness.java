package dev.loomcache.benchmarks;

import dev.loomcache.benchmarks.SpringCaching.Catalog;
import dev.loomcache.benchmarks.SpringCaching.Manager;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Benchmark 8, the {@code @Cacheable(sync = true)} stampede through Spring's proxy: {@code callers}
 * virtual threads, lined up behind one latch, call the cached method for {@code keys} missing ids
 * (caller {@code i} asks for id {@code i % keys}); the method parks for {@code load}. Each round
 * uses a fresh application context. Reports the method calls (the ideal is one per key), the wall
 * time from opening the latch to the last return (the ideal is one load time) and each caller's
 * wait.
 *
 * <p>{@code BenchmarkSuite} runs it as {@code springStampede}, one fresh JVM per manager ({@link
 * Forks}); by hand: {@code java -cp <benchmarks classpath>
 * dev.loomcache.benchmarks.SpringStampedeHarness MANAGER callers keys loadMillis warmups rounds}
 * (e.g. {@code LOOMCACHE 10000 100 20 2 5}), which prints {@code RESULT key=value} lines.
 */
public final class SpringStampedeHarness {
  private SpringStampedeHarness() {}

  /** One round's measurements. */
  public record Round(int methodCalls, long wallNanos, Latencies waits) {}

  /**
   * Runs one stampede through a fresh context with {@code manager}. Parks the calling thread until
   * every caller has returned.
   *
   * @throws IllegalStateException if a caller failed or got a wrong value
   * @throws InterruptedException if the calling thread is interrupted
   */
  public static Round runOnce(Manager manager, int callers, int keys, Duration load)
      throws InterruptedException {
    try (var context = SpringCaching.start(manager, load)) {
      Catalog catalog = context.getBean(Catalog.class);
      var ready = new CountDownLatch(callers);
      var gate = new CountDownLatch(1);
      var done = new CountDownLatch(callers);
      AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
      long[] waits = new long[callers];
      Thread[] threads = new Thread[callers];
      for (int i = 0; i < callers; i++) {
        int caller = i;
        Integer id = i % keys;
        threads[i] =
            Thread.ofVirtual()
                .start(() -> {
                  try {
                    ready.countDown();
                    gate.await();
                    long start = System.nanoTime();
                    String title = catalog.syncTitle(id);
                    waits[caller] = System.nanoTime() - start;
                    if (!("title-" + id).equals(title)) {
                      throw new IllegalStateException("id " + id + " got " + title);
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
      long wall = System.nanoTime() - start;
      for (Thread thread : threads) {
        thread.join();
      }
      if (failure.get() != null) {
        throw new IllegalStateException(manager + ": a caller failed", failure.get());
      }
      return new Round(catalog.calls(), wall, Latencies.of(waits));
    }
  }

  /**
   * Runs {@code warmups} unmeasured rounds, then {@code rounds} measured ones, for one manager, and
   * emits the median wall time and waits over the measured rounds and the range of method calls.
   */
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 6) {
      throw new IllegalArgumentException(
          "usage: SpringStampedeHarness LOOMCACHE|CAFFEINE callers"
              + " keys loadMillis warmups rounds, but got "
              + Arrays.toString(args));
    }
    Manager manager = Manager.valueOf(args[0]);
    int callers = Integer.parseInt(args[1]);
    int keys = Integer.parseInt(args[2]);
    Duration load = Duration.ofMillis(Long.parseLong(args[3]));
    int warmups = Integer.parseInt(args[4]);
    int rounds = Integer.parseInt(args[5]);
    for (int i = 0; i < warmups; i++) {
      runOnce(manager, callers, keys, load);
    }
    double[] walls = new double[rounds];
    double[] p50s = new double[rounds];
    double[] p99s = new double[rounds];
    int minCalls = Integer.MAX_VALUE;
    int maxCalls = 0;
    for (int r = 0; r < rounds; r++) {
      Round round = runOnce(manager, callers, keys, load);
      walls[r] = Latencies.millis(round.wallNanos());
      p50s[r] = Latencies.millis(round.waits().percentile(50));
      p99s[r] = Latencies.millis(round.waits().percentile(99));
      minCalls = Math.min(minCalls, round.methodCalls());
      maxCalls = Math.max(maxCalls, round.methodCalls());
    }
    Forks.emit("methodCallsMin", minCalls);
    Forks.emit("methodCallsMax", maxCalls);
    Forks.emit("wallMillis", Latencies.median(walls));
    Forks.emit("wallMillisBest", Arrays.stream(walls).min().orElseThrow());
    Forks.emit("wallMillisWorst", Arrays.stream(walls).max().orElseThrow());
    Forks.emit("p50WaitMillis", Latencies.median(p50s));
    Forks.emit("p99WaitMillis", Latencies.median(p99s));
    Forks.emit("rounds", rounds);
  }
}
