package dev.loomcache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
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

/**
 * Benchmark 1, the hit path: reads of present keys drawn from a Zipf distribution, through each
 * library's loading read and, where it has one, its plain lookup.
 *
 * <p>Every cache holds the same {@value #KEYS} keys (all present: the loaders never run) and is
 * bounded at twice that, so nothing is evicted. The rivals are configured as a user would configure
 * them; {@link #SUBJECTS} says how, and the report prints it. The thread count (1 and 2) is set
 * by the suite through JMH's options.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HitPathBenchmark {
  /** Distinct keys, all present in every cache. */
  static final int KEYS = 1 << 16;

  private static final int SAMPLES = 1 << 20;
  private static final int MASK = SAMPLES - 1;
  private static final long MAXIMUM_SIZE = 2L * KEYS;
  private static final Callable<Integer> LOADER = () -> 0;
  private static final Function<Integer, Integer> MAPPING = key -> key;

  /** Each benchmark method's name, its label in the report, and how its cache is configured. */
  public static final List<String[]> SUBJECTS = List.of(
      new String[] {"loomcache_get", "Loomcache get",
          "Loomcache.newBuilder().maximumSize(2^17); get(k, loader) with a constant loader"},
      new String[] {"loomcache_get_capturingLoader", "Loomcache get, capturing loader",
          "same cache; get(k, () -> load(k)): a loader lambda capturing the key, as users"
              + " write it"},
      new String[] {"loomcache_getIfPresent", "Loomcache getIfPresent",
          "same cache; getIfPresent(k)"},
      new String[] {"caffeine_get", "Caffeine get",
          "Caffeine.newBuilder().maximumSize(2^17); get(k, fn) (the baseline)"},
      new String[] {"caffeine_getIfPresent", "Caffeine getIfPresent",
          "same cache; getIfPresent(k)"},
      new String[] {"caffeine_unbounded_get", "Caffeine get, unbounded",
          "Caffeine.newBuilder() with no bound; get(k, fn)"},
      new String[] {"caffeine_featureMatched_get", "Caffeine get, feature-matched",
          "Caffeine maximumSize(2^17) + expireAfter(per-entry Expiry) + recordStats(), the features"
              + " Loomcache always has (bound, per-entry TTL, statistics); get(k, fn)"},
      new String[] {"caffeine_directMaintenance_get",
          "Caffeine get, feature-matched, maintenance on the caller",
          "as feature-matched, plus executor(Runnable::run): Caffeine's maintenance (read-buffer"
              + " drains, expiry, eviction) runs on the calling thread, as Loomcache's L1 does"
              + " so that the library starts no thread; get(k, fn)"},
      new String[] {"guava_get", "Guava LoadingCache get",
          "Guava CacheBuilder.maximumSize(2^17).build(CacheLoader); LoadingCache.get(k)"},
      new String[] {"concurrentHashMap_get", "ConcurrentHashMap get",
          "new ConcurrentHashMap<>(); get(k): the physical floor"});

  private final Integer[] samples = new Integer[SAMPLES];
  private @Nullable Cache<Integer, Integer> loomcache;
  private com.github.benmanes.caffeine.cache.@Nullable Cache<Integer, Integer> caffeine;
  private com.github.benmanes.caffeine.cache.@Nullable Cache<Integer, Integer> caffeineUnbounded;
  private com.github.benmanes.caffeine.cache.@Nullable Cache<Integer, Integer> caffeineMatched;
  private com.github.benmanes.caffeine.cache.@Nullable Cache<Integer, Integer> caffeineDirect;
  private @Nullable LoadingCache<Integer, Integer> guava;
  private @Nullable ConcurrentHashMap<Integer, Integer> map;

  /** Each thread walks the shared sample array from its own random offset. */
  @State(Scope.Thread)
  public static class Cursor {
    int index = ThreadLocalRandom.current().nextInt(SAMPLES);
  }

  @Setup(Level.Trial)
  public void setUp() {
    Integer[] keys = new Integer[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = i * 31 + 7; // not 0..n-1: keys whose hashes are not consecutive
    }
    int[] drawn = ZipfKeys.sample(KEYS, 1.0, SAMPLES, 42);
    for (int i = 0; i < SAMPLES; i++) {
      samples[i] = keys[drawn[i]];
    }
    Cache<Integer, Integer> ours = Loomcache.newBuilder().maximumSize(MAXIMUM_SIZE).build();
    com.github.benmanes.caffeine.cache.Cache<Integer, Integer> bounded =
        Caffeine.newBuilder().maximumSize(MAXIMUM_SIZE).build();
    com.github.benmanes.caffeine.cache.Cache<Integer, Integer> unbounded =
        Caffeine.newBuilder().build();
    com.github.benmanes.caffeine.cache.Cache<Integer, Integer> matched =
        Caffeine.newBuilder()
            .maximumSize(MAXIMUM_SIZE)
            .expireAfter(new NeverExpires<Integer, Integer>())
            .recordStats()
            .build();
    com.github.benmanes.caffeine.cache.Cache<Integer, Integer> direct =
        Caffeine.newBuilder()
            .maximumSize(MAXIMUM_SIZE)
            .expireAfter(new NeverExpires<Integer, Integer>())
            .recordStats()
            .executor(Runnable::run)
            .build();
    LoadingCache<Integer, Integer> guavaCache =
        CacheBuilder.newBuilder().maximumSize(MAXIMUM_SIZE).build(CacheLoader.from(key -> key));
    var chm = new ConcurrentHashMap<Integer, Integer>();
    for (Integer key : keys) {
      ours.put(key, key);
      bounded.put(key, key);
      unbounded.put(key, key);
      matched.put(key, key);
      direct.put(key, key);
      guavaCache.put(key, key);
      chm.put(key, key);
    }
    loomcache = ours;
    caffeine = bounded;
    caffeineUnbounded = unbounded;
    caffeineMatched = matched;
    caffeineDirect = direct;
    guava = guavaCache;
    map = chm;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (loomcache != null) {
      loomcache.close();
    }
  }

  private Integer next(Cursor cursor) {
    return samples[cursor.index++ & MASK];
  }

  @Benchmark
  public @Nullable Integer loomcache_get(Cursor cursor) {
    return present(loomcache).get(next(cursor), LOADER);
  }

  @Benchmark
  public @Nullable Integer loomcache_get_capturingLoader(Cursor cursor) {
    Integer key = next(cursor);
    return present(loomcache).get(key, () -> key);
  }

  @Benchmark
  public @Nullable Integer loomcache_getIfPresent(Cursor cursor) {
    return present(loomcache).getIfPresent(next(cursor));
  }

  @Benchmark
  public Integer caffeine_get(Cursor cursor) {
    return present(caffeine).get(next(cursor), MAPPING);
  }

  @Benchmark
  public @Nullable Integer caffeine_getIfPresent(Cursor cursor) {
    return present(caffeine).getIfPresent(next(cursor));
  }

  @Benchmark
  public Integer caffeine_unbounded_get(Cursor cursor) {
    return present(caffeineUnbounded).get(next(cursor), MAPPING);
  }

  @Benchmark
  public Integer caffeine_featureMatched_get(Cursor cursor) {
    return present(caffeineMatched).get(next(cursor), MAPPING);
  }

  @Benchmark
  public Integer caffeine_directMaintenance_get(Cursor cursor) {
    return present(caffeineDirect).get(next(cursor), MAPPING);
  }

  @Benchmark
  public Integer guava_get(Cursor cursor) throws ExecutionException {
    return present(guava).get(next(cursor));
  }

  @Benchmark
  public @Nullable Integer concurrentHashMap_get(Cursor cursor) {
    return present(map).get(next(cursor));
  }

  private static <T> T present(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("setUp() has not run");
    }
    return value;
  }
}
