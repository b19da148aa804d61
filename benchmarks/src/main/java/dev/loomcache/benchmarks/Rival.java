package dev.loomcache.benchmarks;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.cache.CacheBuilder;
import com.google.common.util.concurrent.UncheckedExecutionException;
import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The loading caches compared by the plain harnesses (stampede, collateral blocking, pinning), each
 * behind the same blocking call: {@code get(key, loader)} that loads a missing key and makes
 * concurrent callers of the same key share that load.
 */
public enum Rival {
  /** Loomcache's {@code Cache.get(k, loader)}. */
  LOOMCACHE("Loomcache", "Loomcache.newBuilder().maximumSize(n).build(); get(k, () -> load(k))"),
  /** Caffeine's synchronous cache: the loader runs inside {@code ConcurrentHashMap.compute}. */
  CAFFEINE_SYNC("Caffeine sync", "Caffeine.newBuilder().maximumSize(n).build(); get(k, fn)"),
  /** Caffeine's asynchronous cache, loading on a virtual thread per load, joined by the caller. */
  CAFFEINE_ASYNC(
      "Caffeine async",
      "Caffeine.newBuilder().maximumSize(n).executor(newVirtualThreadPerTaskExecutor())"
          + ".buildAsync(); get(k, fn).join()"),
  /** Guava's cache: a loading placeholder per key, the loader outside the segment lock. */
  GUAVA("Guava", "CacheBuilder.newBuilder().maximumSize(n).build(); get(k, () -> load(k))"),
  /**
   * No cache at all: every caller runs the loader itself. Only the stampede runs it, as the
   * harness's own floor (starting, releasing and joining the threads, each parking for the load).
   */
  NONE("no cache (harness floor)", "every caller calls load(k) itself; loader calls = callers");

  /** The rivals that are caches (all but {@link #NONE}). */
  public static java.util.List<Rival> caches() {
    return java.util.Arrays.stream(values()).filter(r -> r != NONE).toList();
  }

  private final String label;
  private final String configuration;

  Rival(String label, String configuration) {
    this.label = label;
    this.configuration = configuration;
  }

  /** The name shown in the report. */
  public String label() {
    return label;
  }

  /** How the cache is built and called; shown in the report. */
  public String configuration() {
    return configuration;
  }

  /** Builds a fresh, empty cache of this kind bounded at {@code maximumSize} entries. */
  public LoadingCacheUnderTest open(long maximumSize) {
    return switch (this) {
      case LOOMCACHE -> new OfLoomcache(Loomcache.newBuilder().maximumSize(maximumSize).build());
      case CAFFEINE_SYNC -> new OfCaffeine(Caffeine.newBuilder().maximumSize(maximumSize).build());
      case CAFFEINE_ASYNC -> {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        yield new OfCaffeineAsync(
            Caffeine.newBuilder().maximumSize(maximumSize).executor(executor).buildAsync(),
            executor);
      }
      case GUAVA -> new OfGuava(CacheBuilder.newBuilder().maximumSize(maximumSize).build());
      case NONE -> new NoCache();
    };
  }

  /** Parses a rival from its enum name, as passed on a forked harness's command line. */
  public static Rival parse(String name) {
    return Rival.valueOf(name);
  }

  /** One cache instance under test; thread-safe like the cache it wraps. */
  public interface LoadingCacheUnderTest extends AutoCloseable {
    /**
     * Returns the value of {@code key}, loading it with {@code loader} if absent. May park the
     * calling thread while another caller loads the same key.
     */
    @Nullable String get(Integer key, Function<Integer, String> loader);

    /** Stores {@code value} for {@code key}. */
    void put(Integer key, String value);

    /** Releases the cache and anything it started. */
    @Override
    void close();
  }

  private record NoCache() implements LoadingCacheUnderTest {
    @Override
    public @Nullable String get(Integer key, Function<Integer, String> loader) {
      return loader.apply(key);
    }

    @Override
    public void put(Integer key, String value) {}

    @Override
    public void close() {}
  }

  private record OfLoomcache(Cache<Integer, String> cache) implements LoadingCacheUnderTest {
    @Override
    public @Nullable String get(Integer key, Function<Integer, String> loader) {
      return cache.get(key, () -> loader.apply(key));
    }

    @Override
    public void put(Integer key, String value) {
      cache.put(key, value);
    }

    @Override
    public void close() {
      cache.close();
    }
  }

  private record OfCaffeine(com.github.benmanes.caffeine.cache.Cache<Integer, String> cache)
      implements LoadingCacheUnderTest {
    @Override
    public @Nullable String get(Integer key, Function<Integer, String> loader) {
      return cache.get(key, loader);
    }

    @Override
    public void put(Integer key, String value) {
      cache.put(key, value);
    }

    @Override
    public void close() {
      cache.invalidateAll();
    }
  }

  private record OfCaffeineAsync(AsyncCache<Integer, String> cache, ExecutorService executor)
      implements LoadingCacheUnderTest {
    @Override
    public @Nullable String get(Integer key, Function<Integer, String> loader) {
      return cache.get(key, loader).join();
    }

    @Override
    public void put(Integer key, String value) {
      cache.synchronous().put(key, value);
    }

    @Override
    public void close() {
      cache.synchronous().invalidateAll();
      executor.close();
    }
  }

  private record OfGuava(com.google.common.cache.Cache<Integer, String> cache)
      implements LoadingCacheUnderTest {
    @Override
    public @Nullable String get(Integer key, Function<Integer, String> loader) {
      try {
        return cache.get(key, () -> loader.apply(key));
      } catch (ExecutionException | UncheckedExecutionException e) {
        throw new IllegalStateException("Guava load of " + key + " failed", e.getCause());
      }
    }

    @Override
    public void put(Integer key, String value) {
      cache.put(key, value);
    }

    @Override
    public void close() {
      cache.invalidateAll();
    }
  }
}
