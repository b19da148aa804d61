package dev.loomcache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The hit path of a weight-bounded cache, Loomcache against Caffeine configured the same way
 * ({@code maximumWeight(2^17)}, a weigher of 1, statistics on), on the keys and Zipf samples of
 * {@link HitPathBenchmark}. Run by hand, outside the suite (whose quick mode has no room left):
 * {@code org.openjdk.jmh.Main WeigherHitPathBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -t 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WeigherHitPathBenchmark {
  private static final int SAMPLES = 1 << 20;
  private static final int MASK = SAMPLES - 1;
  private static final long MAXIMUM_WEIGHT = 2L * HitPathBenchmark.KEYS;
  private static final Callable<Integer> LOADER = () -> 0;
  private static final Function<Integer, Integer> MAPPING = key -> key;

  private final Integer[] samples = new Integer[SAMPLES];
  private @Nullable Cache<Integer, Integer> loomcache;
  private com.github.benmanes.caffeine.cache.@Nullable Cache<Integer, Integer> caffeine;

  /** Each thread walks the shared sample array from its own random offset. */
  @State(Scope.Thread)
  public static class Cursor {
    int index = ThreadLocalRandom.current().nextInt(SAMPLES);
  }

  /**
   * Builds only the cache the running benchmark reads and settles the heap, as {@link
   * HitPathBenchmark} does.
   */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String benchmark = params.getBenchmark();
    String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
    Integer[] keys = new Integer[HitPathBenchmark.KEYS];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = i * 31 + 7;
    }
    int[] drawn = ZipfKeys.sample(keys.length, 1.0, SAMPLES, 42);
    for (int i = 0; i < SAMPLES; i++) {
      samples[i] = keys[drawn[i]];
    }
    switch (method) {
      case "loomcache_weigher_get" -> {
        Cache<Integer, Integer> cache =
            Loomcache.newBuilder()
                .maximumWeight(MAXIMUM_WEIGHT)
                .weigher((Integer k, Integer v) -> 1)
                .build();
        for (Integer key : keys) {
          cache.put(key, key);
        }
        loomcache = cache;
      }
      case "caffeine_weigher_get" -> {
        com.github.benmanes.caffeine.cache.Cache<Integer, Integer> cache =
            Caffeine.newBuilder()
                .maximumWeight(MAXIMUM_WEIGHT)
                .weigher((Integer k, Integer v) -> 1)
                .recordStats()
                .build();
        for (Integer key : keys) {
          cache.put(key, key);
        }
        caffeine = cache;
      }
      default -> throw new IllegalStateException("No cache for benchmark " + method);
    }
    Heap.settle();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (loomcache != null) {
      loomcache.close();
    }
  }

  @Benchmark
  public @Nullable Integer loomcache_weigher_get(Cursor cursor) {
    return present(loomcache).get(samples[cursor.index++ & MASK], LOADER);
  }

  @Benchmark
  public Integer caffeine_weigher_get(Cursor cursor) {
    return present(caffeine).get(samples[cursor.index++ & MASK], MAPPING);
  }

  private static <T> T present(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("setUp() has not run");
    }
    return value;
  }
}
