package dev.loomcache.demo;

import dev.loomcache.Cache;
import dev.loomcache.CacheStats;
import dev.loomcache.Loomcache;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A console demo of herd protection: 10,000 virtual threads ask for 100 missing keys whose loader
 * takes 20 ms (a stand-in for a database call). Prints the loader calls and the wall time.
 */
public final class StampedeDemo {
  private StampedeDemo() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    var loaderCalls = new AtomicInteger();
    try (Cache<Integer, String> cache = Loomcache.newBuilder().name("demo").build()) {
      var gate = new CountDownLatch(1);
      long start;
      try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < threads; i++) {
          int key = i % keys;
          executor.submit(() -> {
            gate.await(); // line every thread up: a real stampede
            return cache.get(
                key,
                () -> {
                  loaderCalls.incrementAndGet();
                  Thread.sleep(Duration.ofMillis(20)); // the "database"
                  return "value-" + key;
                });
          });
        }
        start = System.nanoTime();
        gate.countDown();
      }
      long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      CacheStats stats = cache.stats();
      System.out.printf(
          "%,d virtual threads asked for %d missing keys (loader: 20 ms)%n", threads, keys);
      System.out.printf(
          "loader calls: %d (one per key), wall time: %d ms%n", loaderCalls.get(), elapsedMillis);
      System.out.printf(
          "misses: %,d, loads: %d, coalesced waiters: %,d, entries: %d%n",
          stats.missCount(), stats.loadCount(), stats.coalescedCount(), cache.estimatedSize());
    }
  }
}
