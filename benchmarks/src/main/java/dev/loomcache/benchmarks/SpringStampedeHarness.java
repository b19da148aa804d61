package dev.loomcache.benchmarks;

import dev.loomcache.benchmarks.SpringCaching.Catalog;
import dev.loomcache.benchmarks.SpringCaching.Manager;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark 10, the {@code @Cacheable(sync = true)} stampede through Spring's proxy:
 * {@code callers} virtual threads, lined up behind one latch, call the cached method for
 * {@code keys} missing ids (caller {@code i} asks for id {@code i % keys}); the method parks for
 * {@code load}. Each round uses a fresh application context. Reports the method calls (the ideal
 * is one per key) and the wall time from opening the latch to the last return (the ideal is one
 * load time).
 *
 * <p>Run: {@code java -cp <benchmarks classpath> dev.loomcache.benchmarks.SpringStampedeHarness
 * [callers keys loadMillis warmups rounds]} (default 10000 100 20 3 8); prints one line per
 * manager.
 */
public final class SpringStampedeHarness {
  private SpringStampedeHarness() {}

  /** One round's measurements. */
  public record Round(int methodCalls, long wallNanos) {}

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
      var failure = new AtomicReference<Throwable>();
      Thread[] threads = new Thread[callers];
      for (int i = 0; i < callers; i++) {
        Integer id = i % keys;
        threads[i] = Thread.ofVirtual().start(() -> {
          try {
            ready.countDown();
            gate.await();
            String title = catalog.syncTitle(id);
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
      return new Round(catalog.calls(), wall);
    }
  }

  /** Runs the rounds for each manager, interleaved, and prints their medians. */
  public static void main(String[] args) throws InterruptedException {
    int callers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Duration load = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 20);
    int warmups = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 8;
    Manager[] managers = Manager.values();
    for (int i = 0; i < warmups; i++) {
      for (Manager manager : managers) {
        runOnce(manager, callers, keys, load);
      }
    }
    double[][] walls = new double[managers.length][rounds];
    int[][] calls = new int[managers.length][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int m = 0; m < managers.length; m++) {
        Round round = runOnce(managers[m], callers, keys, load);
        walls[m][r] = Latencies.millis(round.wallNanos());
        calls[m][r] = round.methodCalls();
      }
    }
    for (int m = 0; m < managers.length; m++) {
      System.out.printf("%-10s callers=%d keys=%d load=%dms  method calls %d..%d  wall median %.1f ms"
              + " (best %.1f, worst %.1f) over %d rounds%n",
          managers[m], callers, keys, load.toMillis(),
          Arrays.stream(calls[m]).min().orElseThrow(), Arrays.stream(calls[m]).max().orElseThrow(),
          Latencies.median(walls[m]), Arrays.stream(walls[m]).min().orElseThrow(),
          Arrays.stream(walls[m]).max().orElseThrow(), rounds);
    }
  }
}
