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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Benchmark 1, the hit path: reads of present keys drawn from a Zipf distribution, through each
 * library's loading read and, where it has one, its plain lookup.
 *
 * <p>Every cache holds the same {@value #KEYS} keys (all present: the loaders never run) and is
 * bounded at twice that, so nothing is evicted. The rivals are configured as a user would configure
 * them; {@link #SUBJECTS} says how, and the report prints it. The thread count (1 and 2) is set by
 * the suite through JMH's options.
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
  public static final List<String[]> SUBJECTS =
      List.of(
          new String[] {
            "loomcache_get",
            "Loomcache get",
            "Loomcache.newBuilder().maximumSize(2^17); get(k, loader) with a constant loader"
          },
          new String[] {
            "loomcache_noStats_get",
            "Loomcache get, recordStats(false)",
            "Loomcache.newBuilder().maximumSize(2^17).recordStats(false); get(k, loader): no hit"
                + " counter, as Caffeine without recordStats"
          },
          new String[] {
            "loomcache_getIfPresent", "Loomcache getIfPresent", "same cache; getIfPresent(k)"
          },
          new String[] {
            "loomcache_defaultTtl_get",
            "Loomcache get, default TTL",
            "Loomcache.newBuilder().maximumSize(2^17).defaultTtl(1h); get(k, loader): the"
                + " variable-expiry L1 read through the coarse clock"
          },
          new String[] {
            "loomcache_perCallTtl_get",
            "Loomcache get, per-call TTLs",
            "Loomcache.newBuilder().maximumSize(2^17), every entry put with a TTL of 1h;"
                + " get(k, loader, 1h): deadline wrappers checked against the coarse clock"
          },
          new String[] {
            "loomcache_refreshAfter_get",
            "Loomcache get, refreshAfter",
            "Loomcache.newBuilder().maximumSize(2^17).defaultTtl(1h).refreshAfter(50m);"
                + " get(k, loader): freshness entries (deadline wrappers) on the coarse clock"
          },
          new String[] {
            "caffeine_refreshAfterWrite_get",
            "Caffeine get, refreshAfterWrite",
            "Caffeine maximumSize(2^17) + expireAfterWrite(1h) + refreshAfterWrite(50m),"
                + " a LoadingCache; get(k): the rival for refresh-ahead"
          },
          new String[] {
            "loomcache_expireAfterAccess_get",
            "Loomcache get, expireAfterAccess",
            "Loomcache.newBuilder().maximumSize(2^17).expireAfterAccess(1h); get(k, loader): Caffeine's"
                + " access expiry on the coarse clock"
          },
          new String[] {
            "caffeine_expireAfterAccess_get",
            "Caffeine get, expireAfterAccess + stats",
            "Caffeine maximumSize(2^17) + expireAfterAccess(1h) + recordStats(); get(k, fn): the"
                + " rival for the expireAfterAccess target"
          },
          new String[] {
            "caffeine_get",
            "Caffeine get",
            "Caffeine.newBuilder().maximumSize(2^17); get(k, fn) (the baseline)"
          },
          new String[] {
            "caffeine_stats_get",
            "Caffeine get, recordStats",
            "Caffeine maximumSize(2^17) + recordStats(); get(k, fn): the rival for exact hit"
                + " statistics"
          },
          new String[] {
            "caffeine_expireAfterWrite_get",
            "Caffeine get, expireAfterWrite + stats",
            "Caffeine maximumSize(2^17) + expireAfterWrite(1h) + recordStats(), the configuration"
                + " its users run; get(k, fn): the rival for the TTL targets"
          },
          new String[] {
            "caffeine_getIfPresent", "Caffeine getIfPresent", "same cache; getIfPresent(k)"
          },
          new String[] {
            "caffeine_featureMatched_get",
            "Caffeine get, variable expiry + stats",
            "Caffeine maximumSize(2^17) + expireAfter(per-entry Expiry) + recordStats(), the features"
                + " of a Loomcache with TTLs (bound, per-entry TTL, statistics); get(k, fn)"
          },
          new String[] {
            "caffeine_directMaintenance_get",
            "Caffeine get, feature-matched, maintenance on the caller",
            "as feature-matched, plus executor(Runnable::run): Caffeine's maintenance (read-buffer"
                + " drains, expiry, eviction) runs on the calling thread; what Loomcache's L1 would"
                + " pay without the common pool (it uses Caffeine's default executor); get(k, fn)"
          },
          new String[] {
            "guava_get",
            "Guava LoadingCache get",
            "Guava CacheBuilder.maximumSize(2^17).build(CacheLoader); LoadingCache.get(k)"
          },
          new String[] {
            "concurrentHashMap_get",
            "ConcurrentHashMap get",
            "new ConcurrentHashMap<>(); get(k): the physical floor"
          });

  private final Integer[] samples = new Integer[SAMPLES];
  private static final java.time.Duration HOUR = java.time.Duration.ofHours(1);

  private @Nullable Cache<Integer, Integer> loomcache;
  private @Nullable Cache<Integer, Integer> loomcacheTtl;
  private @Nullable Cache<Integer, Integer> loomcachePerCall;
  private @Nullable Cache<Integer, Integer> loomcacheRefresh;
  private com.github.benmanes.caffeine.cache.@Nullable LoadingCache<Integer, Integer>
      caffeineRefresh;
  private @Nullable Cache<Integer, Integer> loomcacheAccess;
  private com.github.benmanes.caffeine.cache.@Nullable Cache<Integer, Integer> caffeineAccess;
  private com.github.benmanes.caffeine.cache.@Nullable Cache<Integer, Integer> caffeineStats;
  private com.github.benmanes.caffeine.cache.@Nullable Cache<Integer, Integer> caffeineWrite;
  private com.github.benmanes.caffeine.cache.@Nullable Cache<Integer, Integer> caffeine;
  private com.github.benmanes.caffeine.cache.@Nullable Cache<Integer, Integer> caffeineMatched;
  private com.github.benmanes.caffeine.cache.@Nullable Cache<Integer, Integer> caffeineDirect;
  private @Nullable LoadingCache<Integer, Integer> guava;
  private @Nullable ConcurrentHashMap<Integer, Integer> map;

  /** Each thread walks the shared sample array from its own random offset. */
  @State(Scope.Thread)
  public static class Cursor {
    int index = ThreadLocalRandom.current().nextInt(SAMPLES);
  }

  /**
   * Builds only the cache the running benchmark reads (JMH forks a JVM per benchmark method): a
   * second Caffeine layout in the same JVM pollutes the JIT's profile of the first and slows both.
   * Then settles the heap ({@link Heap#settle()}), for every subject alike.
   */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String benchmark = params.getBenchmark();
    String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
    Integer[] keys = new Integer[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = i * 31 + 7; // not 0..n-1: keys whose hashes are not consecutive
    }
    int[] drawn = ZipfKeys.sample(KEYS, 1.0, SAMPLES, 42);
    for (int i = 0; i < SAMPLES; i++) {
      samples[i] = keys[drawn[i]];
    }
    switch (method) {
      case "loomcache_get", "loomcache_getIfPresent" -> {
        loomcache = Loomcache.newBuilder().maximumSize(MAXIMUM_SIZE).build();
        fill(keys, loomcache::put);
      }
      case "loomcache_noStats_get" -> {
        loomcache = Loomcache.newBuilder().maximumSize(MAXIMUM_SIZE).recordStats(false).build();
        fill(keys, loomcache::put);
      }
      case "loomcache_defaultTtl_get" -> {
        loomcacheTtl = Loomcache.newBuilder().maximumSize(MAXIMUM_SIZE).defaultTtl(HOUR).build();
        fill(keys, loomcacheTtl::put);
      }
      case "loomcache_perCallTtl_get" -> {
        Cache<Integer, Integer> perCall = Loomcache.newBuilder().maximumSize(MAXIMUM_SIZE).build();
        loomcachePerCall = perCall;
        fill(keys, (k, v) -> perCall.put(k, v, HOUR));
      }
      case "loomcache_refreshAfter_get" -> {
        loomcacheRefresh =
            Loomcache.newBuilder()
                .maximumSize(MAXIMUM_SIZE)
                .defaultTtl(HOUR)
                .refreshAfter(java.time.Duration.ofMinutes(50))
                .build();
        fill(keys, loomcacheRefresh::put);
      }
      case "caffeine_refreshAfterWrite_get" -> {
        caffeineRefresh =
            Caffeine.newBuilder()
                .maximumSize(MAXIMUM_SIZE)
                .expireAfterWrite(HOUR)
                .refreshAfterWrite(java.time.Duration.ofMinutes(50))
                .build(key -> key);
        fill(keys, caffeineRefresh::put);
      }
      case "loomcache_expireAfterAccess_get" -> {
        loomcacheAccess =
            Loomcache.newBuilder().maximumSize(MAXIMUM_SIZE).expireAfterAccess(HOUR).build();
        fill(keys, loomcacheAccess::put);
      }
      case "caffeine_expireAfterAccess_get" -> {
        caffeineAccess =
            Caffeine.newBuilder()
                .maximumSize(MAXIMUM_SIZE)
                .expireAfterAccess(HOUR)
                .recordStats()
                .build();
        fill(keys, caffeineAccess::put);
      }
      case "caffeine_get", "caffeine_getIfPresent" -> {
        caffeine = Caffeine.newBuilder().maximumSize(MAXIMUM_SIZE).build();
        fill(keys, caffeine::put);
      }
      case "caffeine_stats_get" -> {
        caffeineStats = Caffeine.newBuilder().maximumSize(MAXIMUM_SIZE).recordStats().build();
        fill(keys, caffeineStats::put);
      }
      case "caffeine_expireAfterWrite_get" -> {
        caffeineWrite =
            Caffeine.newBuilder()
                .maximumSize(MAXIMUM_SIZE)
                .expireAfterWrite(HOUR)
                .recordStats()
                .build();
        fill(keys, caffeineWrite::put);
      }
      case "caffeine_featureMatched_get" -> {
        caffeineMatched =
            Caffeine.newBuilder()
                .maximumSize(MAXIMUM_SIZE)
                .expireAfter(new NeverExpires<Integer, Integer>())
                .recordStats()
                .build();
        fill(keys, caffeineMatched::put);
      }
      case "caffeine_directMaintenance_get" -> {
        caffeineDirect =
            Caffeine.newBuilder()
                .maximumSize(MAXIMUM_SIZE)
                .expireAfter(new NeverExpires<Integer, Integer>())
                .recordStats()
                .executor(Runnable::run)
                .build();
        fill(keys, caffeineDirect::put);
      }
      case "guava_get" -> {
        guava =
            CacheBuilder.newBuilder().maximumSize(MAXIMUM_SIZE).build(CacheLoader.from(key -> key));
        fill(keys, guava::put);
      }
      case "concurrentHashMap_get" -> {
        map = new ConcurrentHashMap<>();
        fill(keys, map::put);
      }
      default -> throw new IllegalStateException("No cache for benchmark " + method);
    }
    Heap.settle();
  }

  private static void fill(Integer[] keys, java.util.function.BiConsumer<Integer, Integer> put) {
    for (Integer key : keys) {
      put.accept(key, key);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    var caches =
        new @Nullable Cache<?, ?>[] {
          loomcache, loomcacheTtl, loomcachePerCall, loomcacheAccess, loomcacheRefresh
        };
    for (@Nullable Cache<?, ?> cache : caches) {
      if (cache != null) {
        cache.close();
      }
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
  public @Nullable Integer loomcache_noStats_get(Cursor cursor) {
    return present(loomcache).get(next(cursor), LOADER);
  }

  @Benchmark
  public @Nullable Integer loomcache_getIfPresent(Cursor cursor) {
    return present(loomcache).getIfPresent(next(cursor));
  }

  @Benchmark
  public @Nullable Integer loomcache_defaultTtl_get(Cursor cursor) {
    return present(loomcacheTtl).get(next(cursor), LOADER);
  }

  @Benchmark
  public @Nullable Integer loomcache_perCallTtl_get(Cursor cursor) {
    return present(loomcachePerCall).get(next(cursor), LOADER, HOUR);
  }

  @Benchmark
  public @Nullable Integer loomcache_refreshAfter_get(Cursor cursor) {
    return present(loomcacheRefresh).get(next(cursor), LOADER);
  }

  @Benchmark
  public Integer caffeine_refreshAfterWrite_get(Cursor cursor) {
    return present(caffeineRefresh).get(next(cursor));
  }

  @Benchmark
  public @Nullable Integer loomcache_expireAfterAccess_get(Cursor cursor) {
    return present(loomcacheAccess).get(next(cursor), LOADER);
  }

  @Benchmark
  public Integer caffeine_expireAfterAccess_get(Cursor cursor) {
    return present(caffeineAccess).get(next(cursor), MAPPING);
  }

  @Benchmark
  public Integer caffeine_stats_get(Cursor cursor) {
    return present(caffeineStats).get(next(cursor), MAPPING);
  }

  @Benchmark
  public Integer caffeine_expireAfterWrite_get(Cursor cursor) {
    return present(caffeineWrite).get(next(cursor), MAPPING);
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
