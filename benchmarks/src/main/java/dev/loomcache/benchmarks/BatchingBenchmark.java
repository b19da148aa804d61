package dev.loomcache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.loomcache.BatchLoader;
import dev.loomcache.Batcher;
import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.MappedBatchLoader;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Benchmark 4, batching throughput: keys per second through a batch of {@value #BATCH} missing keys
 * with a trivial batch loader (it maps each key to itself), one caller.
 *
 * <p>Every invocation asks for {@value #BATCH} keys never asked for before, so every key misses and
 * goes through the batch loader; JMH counts {@value #BATCH} operations per invocation, so the score
 * is keys per microsecond. Loomcache's caches keep their default bound (10,000 entries: the older
 * keys are evicted as new ones arrive); java-dataloader keeps its per-loader cache on (its default)
 * and is cleared every 10,000 keys, as a per-request loader would be thrown away. How long a key
 * waits for a window to close is measured separately by {@link BatchLatencyHarness}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(BatchingBenchmark.BATCH)
public class BatchingBenchmark {
  /** Keys per batch: the default {@code maxBatchSize}. */
  static final int BATCH = 100;

  private static final int CLEAR_EVERY = 10_000;

  /** Each benchmark method's name, its label in the report, and how it is configured. */
  public static final List<String[]> SUBJECTS =
      List.of(
          new String[] {
            "loomcache_batcher_getAll",
            "Loomcache Batcher.getAll",
            "Loomcache defaults (maximumSize 10,000, window 5 ms, maxBatchSize 100);"
                + " cache.batcher(loader).getAll(100 new keys): the window fills and dispatches"
                + " at once"
          },
          new String[] {
            "loomcache_getAll",
            "Loomcache Cache.getAll",
            "same cache; cache.getAll(100 new keys, loader): one batch on the caller"
          },
          new String[] {
            "caffeine_getAll",
            "Caffeine getAll",
            "Caffeine.newBuilder().maximumSize(10,000); getAll(100 new keys, bulk fn)"
          },
          new String[] {
            "dataloader_loadMany_dispatch",
            "java-dataloader loadMany + dispatch",
            "DataLoaderFactory.newMappedDataLoader(loader), cache on, cleared every 10,000 keys;"
                + " loadMany(100 keys), dispatch(), join (the baseline)"
          },
          new String[] {
            "dataloader_load_dispatch",
            "java-dataloader load ×100 + dispatch",
            "same loader; load(k) ×100, dispatch(), join each: the GraphQL resolver pattern"
          });

  private static final BatchLoader<Integer, Integer> LOOMCACHE_LOADER = BatchingBenchmark::identity;
  private static final MappedBatchLoader<Integer, Integer> DATALOADER_LOADER =
      keys -> CompletableFuture.completedFuture(identity(keys));

  private int nextKey;
  private int sinceClear;
  private @Nullable Cache<Integer, Integer> loomcache;
  private @Nullable Batcher<Integer, Integer> batcher;
  private com.github.benmanes.caffeine.cache.@Nullable Cache<Integer, Integer> caffeine;
  private @Nullable DataLoader<Integer, Integer> dataLoader;

  @Setup(Level.Trial)
  public void setUp() {
    Cache<Integer, Integer> cache = Loomcache.newBuilder().build();
    loomcache = cache;
    batcher = cache.batcher(LOOMCACHE_LOADER);
    caffeine = Caffeine.newBuilder().maximumSize(10_000).build();
    dataLoader = DataLoaderFactory.newMappedDataLoader(DATALOADER_LOADER);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (loomcache != null) {
      loomcache.close();
    }
  }

  private List<Integer> nextKeys() {
    var keys = new ArrayList<Integer>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      keys.add(nextKey++);
    }
    return keys;
  }

  @Benchmark
  public Map<Integer, Integer> loomcache_batcher_getAll() {
    return present(batcher).getAll(nextKeys());
  }

  @Benchmark
  public Map<Integer, Integer> loomcache_getAll() {
    return present(loomcache).getAll(nextKeys(), LOOMCACHE_LOADER);
  }

  @Benchmark
  public Map<Integer, Integer> caffeine_getAll() {
    return present(caffeine).getAll(nextKeys(), BatchingBenchmark::identity);
  }

  @Benchmark
  public List<Integer> dataloader_loadMany_dispatch() {
    DataLoader<Integer, Integer> loader = dataLoader();
    CompletableFuture<List<Integer>> values = loader.loadMany(nextKeys());
    loader.dispatch();
    return values.join();
  }

  @Benchmark
  public List<Integer> dataloader_load_dispatch() {
    DataLoader<Integer, Integer> loader = dataLoader();
    var futures = new ArrayList<CompletableFuture<Integer>>(BATCH);
    for (Integer key : nextKeys()) {
      futures.add(loader.load(key));
    }
    loader.dispatch();
    var values = new ArrayList<Integer>(BATCH);
    for (CompletableFuture<Integer> future : futures) {
      values.add(future.join());
    }
    return values;
  }

  /** The loader, cleared every {@value #CLEAR_EVERY} keys so that its cache stays bounded. */
  private DataLoader<Integer, Integer> dataLoader() {
    DataLoader<Integer, Integer> loader = present(dataLoader);
    sinceClear += BATCH;
    if (sinceClear >= CLEAR_EVERY) {
      sinceClear = 0;
      loader.clearAll();
    }
    return loader;
  }

  private static Map<Integer, Integer> identity(Set<? extends Integer> keys) {
    var values = HashMap.<Integer, Integer>newHashMap(keys.size());
    for (Integer key : keys) {
      values.put(key, key);
    }
    return values;
  }

  private static <T> T present(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("setUp() has not run");
    }
    return value;
  }
}
