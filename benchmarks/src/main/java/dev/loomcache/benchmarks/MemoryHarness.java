package dev.loomcache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.cache.CacheBuilder;
import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Benchmark 6, memory: the heap retained per entry by a cache holding {@code n} entries with small
 * keys ({@link Integer}) and small values (strings like {@code "value-123456"}), measured as the
 * heap used after full collections. Runs in a fresh JVM per cache with the serial collector, whose
 * {@code System.gc()} is a full compacting collection, so "used after GC" is the live heap.
 *
 * <p>Two figures per cache: <em>total</em> per entry, which includes the key and value objects
 * (what the heap grows by when the cache fills), and <em>structure</em> per entry, which does not
 * (the cache's own nodes, tables and policy data).
 */
public final class MemoryHarness {
  private MemoryHarness() {}

  /** The caches measured; each bounded one is bounded at exactly the entry count. */
  public enum Subject {
    LOOMCACHE("Loomcache", "Loomcache.newBuilder().maximumSize(n); put"),
    CAFFEINE("Caffeine", "Caffeine.newBuilder().maximumSize(n); put (the baseline)"),
    CAFFEINE_FEATURE_MATCHED(
        "Caffeine feature-matched",
        "Caffeine maximumSize(n) + expireAfter(per-entry Expiry) + recordStats(); put"),
    GUAVA("Guava", "CacheBuilder.newBuilder().maximumSize(n); put"),
    CONCURRENT_HASH_MAP("ConcurrentHashMap", "new ConcurrentHashMap<>(); put");

    private final String label;
    private final String configuration;

    Subject(String label, String configuration) {
      this.label = label;
      this.configuration = configuration;
    }

    /** The name shown in the report. */
    public String label() {
      return label;
    }

    /** How the cache is built and filled; shown in the report. */
    public String configuration() {
      return configuration;
    }
  }

  /** Per-entry bytes, and how many entries the cache held when measured. */
  public record Result(long entries, double totalBytesPerEntry, double structureBytesPerEntry) {}

  /** Fills a fresh cache of {@code subject} with {@code n} entries and measures it. */
  public static Result measure(Subject subject, int n) {
    long empty = usedAfterGc();
    Integer[] keys = new Integer[n];
    String[] values = new String[n];
    for (int i = 0; i < n; i++) {
      keys[i] = i;
      values[i] = "value-" + i;
    }
    long withData = usedAfterGc();
    Filled filled = fill(subject, n, keys, values);
    long withCache = usedAfterGc();
    keys = null; // the cache alone now keeps the keys and values alive
    values = null;
    long cacheOnly = usedAfterGc();
    long entries = filled.size();
    Reference.reachabilityFence(filled);
    return new Result(
        entries, (double) (cacheOnly - empty) / entries, (double) (withCache - withData) / entries);
  }

  /** A filled cache, kept reachable while it is measured. */
  private record Filled(Object cache, long size) {}

  private static Filled fill(Subject subject, int n, Integer[] keys, String[] values) {
    switch (subject) {
      case LOOMCACHE -> {
        Cache<Integer, String> cache = Loomcache.newBuilder().maximumSize(n).build();
        for (int i = 0; i < n; i++) {
          cache.put(keys[i], values[i]);
        }
        return new Filled(cache, cache.estimatedSize());
      }
      case CAFFEINE, CAFFEINE_FEATURE_MATCHED -> {
        var builder = Caffeine.newBuilder().maximumSize(n);
        if (subject == Subject.CAFFEINE_FEATURE_MATCHED) {
          builder.expireAfter(new NeverExpires<Integer, String>()).recordStats();
        }
        com.github.benmanes.caffeine.cache.Cache<Integer, String> cache = builder.build();
        for (int i = 0; i < n; i++) {
          cache.put(keys[i], values[i]);
        }
        cache.cleanUp();
        return new Filled(cache, cache.estimatedSize());
      }
      case GUAVA -> {
        com.google.common.cache.Cache<Integer, String> cache =
            CacheBuilder.newBuilder().maximumSize(n).build();
        for (int i = 0; i < n; i++) {
          cache.put(keys[i], values[i]);
        }
        cache.cleanUp();
        return new Filled(cache, cache.size());
      }
      case CONCURRENT_HASH_MAP -> {
        var map = new ConcurrentHashMap<Integer, String>();
        for (int i = 0; i < n; i++) {
          map.put(keys[i], values[i]);
        }
        return new Filled(map, map.size());
      }
    }
    throw new AssertionError(subject);
  }

  private static long usedAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** Measures one subject and emits its per-entry figures. */
  public static void main(String[] args) {
    Subject subject = Subject.valueOf(args[0]);
    int n = Integer.parseInt(args[1]);
    Result result = measure(subject, n);
    Forks.emit("entries", result.entries());
    Forks.emit("totalBytesPerEntry", result.totalBytesPerEntry());
    Forks.emit("structureBytesPerEntry", result.structureBytesPerEntry());
  }
}
