package dev.loomcache.benchmarks;

import dev.loomcache.benchmarks.SpringCaching.Catalog;
import dev.loomcache.benchmarks.SpringCaching.Manager;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * Benchmark 7, {@code @Cacheable} hits through Spring's proxy: the same bean, the same keys (1,000
 * present ids, uniform), once with {@code LoomcacheCacheManager} and once with Spring's {@code
 * CaffeineCacheManager}. What is measured is the whole call a service makes: the proxy, the key
 * generation, the cache look-up and the unwrapping; the cache's share of it is what differs.
 *
 * <p>{@code BenchmarkSuite} runs it as {@code springHitPath} (1 and 2 threads); by hand: {@code
 * java -cp <benchmarks classpath> org.openjdk.jmh.Main SpringCacheableBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SpringCacheableBenchmark {
  /**
   * The subjects of the report: benchmark method, {@code manager} parameter, label, configuration.
   * The report's id of a subject is {@code <manager in lower case>_<method>}.
   */
  public static final List<String[]> SUBJECTS =
      List.of(
          new String[] {
            "cacheableHit",
            "LOOMCACHE",
            "Loomcache manager, @Cacheable",
            "LoomcacheCacheManager, spec maximumSize=10000; @Cacheable(\"titles\") hit through the"
                + " proxy (1,000 present Integer ids)"
          },
          new String[] {
            "cacheableHit",
            "CAFFEINE",
            "CaffeineCacheManager, @Cacheable",
            "CaffeineCacheManager with Caffeine.newBuilder().maximumSize(10,000); same bean, same"
                + " keys (the baseline)"
          },
          new String[] {
            "cacheableSyncHit",
            "LOOMCACHE",
            "Loomcache manager, @Cacheable(sync = true)",
            "LoomcacheCacheManager as above; @Cacheable(sync = true): Cache.get(key, Callable)"
          },
          new String[] {
            "cacheableSyncHit",
            "CAFFEINE",
            "CaffeineCacheManager, @Cacheable(sync = true)",
            "CaffeineCacheManager as above; @Cacheable(sync = true): CaffeineCache.get(key, Callable)"
                + " (the baseline)"
          });

  private static final int KEYS = 1_000;
  private static final int MASK = 4_095;

  /**
   * The report's id of {@code method} run with {@code manager}, e.g. {@code
   * loomcache_cacheableHit}.
   */
  public static String subjectId(String method, String manager) {
    return manager.toLowerCase(Locale.ROOT) + "_" + method;
  }

  @Param({"LOOMCACHE", "CAFFEINE"})
  public String manager =
      "LOOMCACHE"; // JMH sets it before @Setup; the default only keeps it non-null

  private AnnotationConfigApplicationContext context;
  private Catalog catalog;
  private final Integer[] ids = new Integer[MASK + 1];

  /**
   * Starts the context, makes every key present in both caches and settles the heap, as {@link
   * HitPathBenchmark} does.
   */
  @Setup(Level.Trial)
  public void start() {
    context = SpringCaching.start(Manager.valueOf(manager), Duration.ZERO);
    catalog = context.getBean(Catalog.class);
    for (int i = 0; i < KEYS; i++) {
      catalog.title(i);
      catalog.syncTitle(i);
    }
    var random = ThreadLocalRandom.current();
    for (int i = 0; i < ids.length; i++) {
      ids[i] = random.nextInt(KEYS);
    }
    Heap.settle();
  }

  /** Checks that the measurement was of hits only, then closes the context. */
  @TearDown(Level.Trial)
  public void stop() {
    int calls = catalog.calls();
    context.close();
    if (calls != 2 * KEYS) {
      throw new IllegalStateException(manager + ": " + (calls - 2 * KEYS) + " misses during hits");
    }
  }

  /** Per-thread cursor over the ids, so that threads do not share a counter. */
  @State(Scope.Thread)
  public static class Cursor {
    int next = ThreadLocalRandom.current().nextInt();

    int advance() {
      return next++ & MASK;
    }
  }

  @Benchmark
  public String cacheableHit(Cursor cursor) {
    return catalog.title(ids[cursor.advance()]);
  }

  @Benchmark
  public String cacheableSyncHit(Cursor cursor) {
    return catalog.syncTitle(ids[cursor.advance()]);
  }
}
