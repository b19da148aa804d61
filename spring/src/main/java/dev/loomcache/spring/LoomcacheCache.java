package dev.loomcache.spring;

import static java.util.Objects.requireNonNull;

import dev.loomcache.Cache;
import dev.loomcache.CacheLoadException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.interceptor.CacheOperationInvoker;
import org.springframework.cache.support.AbstractValueAdaptingCache;

/**
 * A Spring {@link org.springframework.cache.Cache} on a Loomcache {@link Cache}; made by {@link
 * LoomcacheCacheManager}.
 *
 * <p>Design note: every load goes through Loomcache's single flight, so one key has at most one
 * load running in this cache, whichever API asked. {@link #get(Object, Callable)} (what
 * {@code @Cacheable(sync = true)} calls) runs the method on the calling thread, outside every lock:
 * unlike a cache that loads inside {@code ConcurrentHashMap.compute}, a slow method never blocks
 * other keys. The {@code CompletableFuture} methods never block the caller: work that may park (a
 * tier read, waiting for another caller's load, the value loader's future) runs on a virtual thread
 * owned by the manager; a cache with no tiers answers an L1 hit at once, on the calling thread.
 * Failures always arrive in the future, never as a thrown exception or a null future. Spring's
 * {@code null} is stored as {@link org.springframework.cache.support.NullValue} when the cache
 * allows nulls (tiers keep it through {@link NullValueCodec}).
 *
 * <p>{@code put}, {@code evict} and {@code clear} are Loomcache's {@code put}, {@code invalidate}
 * and {@code invalidateAll}: they reach every tier, and a load already running for the key will not
 * store over them. With a write-through tier they park the calling thread for the tier write (one
 * command timeout at most for Redis).
 */
public final class LoomcacheCache extends AbstractValueAdaptingCache {
  private final String name;
  private final Cache<Object, Object> cache;
  private final boolean memoryOnly;
  private final Executor executor;

  LoomcacheCache(
      String name, Cache<Object, Object> cache, boolean allowNullValues, Executor executor) {
    super(allowNullValues);
    this.name = requireNonNull(name, "name must not be null");
    this.cache = requireNonNull(cache, "cache must not be null");
    // A cache without tiers answers getIfPresent from memory: no I/O, never parks.
    this.memoryOnly = cache.stats().tierStats().isEmpty();
    this.executor = requireNonNull(executor, "executor must not be null");
  }

  @Override
  public String getName() {
    return name;
  }

  /** The Loomcache cache underneath; values in it are Spring store values (nulls as NullValue). */
  @Override
  public Cache<Object, Object> getNativeCache() {
    return cache;
  }

  /** Reads L1, then the tiers; never loads. May park the calling thread for tier reads. */
  @Override
  protected @Nullable Object lookup(Object key) {
    return cache.getIfPresent(key);
  }

  /**
   * Returns the cached value or loads it with {@code valueLoader}, at most one load per key at a
   * time: concurrent callers for the key park until that load completes and receive its value. The
   * loader runs on the calling thread, outside every lock. May park the calling thread for tier
   * reads and writes, and while it waits for another caller's load.
   *
   * @throws ValueRetrievalException if the loader threw (the cause is what it threw; every caller
   *     waiting for that load receives it), or if this thread was interrupted while it waited (the
   *     cause is an {@link InterruptedException}; the interrupt status is restored)
   * @throws IllegalArgumentException if the loader returned null and the cache allows no nulls
   */
  @Override
  @SuppressWarnings("unchecked")
  public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
    requireNonNull(valueLoader, "valueLoader must not be null");
    try {
      return (T) fromStoreValue(cache.get(key, () -> toStoreValue(call(key, valueLoader))));
    } catch (CacheLoadException e) {
      // Loomcache's own wrapper: an interrupted waiter (the loader's failures are wrapped above).
      throw new ValueRetrievalException(key, valueLoader, e.getCause() == null ? e : e.getCause());
    }
  }

  private static <T> @Nullable T call(Object key, Callable<T> valueLoader) {
    try {
      return valueLoader.call();
    } catch (Exception e) {
      throw new ValueRetrievalException(key, valueLoader, e);
    }
  }

  /**
   * Returns the cached value in a future: a completed one at once for a cache without tiers, else
   * one completed on a virtual thread after the tier reads. A miss is a future of {@code null};
   * with nulls allowed the value comes as a {@link ValueWrapper}. Never loads, never blocks the
   * caller, never returns null; a failure completes the future exceptionally.
   */
  @Override
  public CompletableFuture<?> retrieve(Object key) {
    requireNonNull(key, "key must not be null");
    if (memoryOnly) {
      try {
        return CompletableFuture.completedFuture(forRetrieve(cache.getIfPresent(key)));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return onVirtualThread(() -> forRetrieve(cache.getIfPresent(key)));
  }

  private @Nullable Object forRetrieve(@Nullable Object stored) {
    if (stored == null) {
      return null;
    }
    return isAllowNullValues() ? toValueWrapper(stored) : fromStoreValue(stored);
  }

  /**
   * Returns the cached value in a future, or loads it through {@code valueLoader}'s future: at most
   * one load per key at a time, so concurrent callers share one {@code valueLoader} call. Never
   * blocks the caller: the look-up and the wait for the loader's future run on a virtual thread
   * owned by the manager (a cache without tiers answers an L1 hit at once). Never returns null; if
   * the loader throws, returns a null future or a future that fails, every caller sharing that load
   * gets a future failed with that exception (its cause, when Spring wrapped it).
   */
  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
    requireNonNull(key, "key must not be null");
    requireNonNull(valueLoader, "valueLoader must not be null");
    if (memoryOnly) {
      try {
        Object stored = cache.getIfPresent(key);
        if (stored != null) {
          return CompletableFuture.completedFuture((T) fromStoreValue(stored));
        }
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return onVirtualThread(
        () -> (T) fromStoreValue(cache.get(key, () -> toStoreValue(await(valueLoader)))));
  }

  private static <T> @Nullable T await(Supplier<CompletableFuture<T>> valueLoader)
      throws Exception {
    CompletableFuture<T> future = valueLoader.get();
    if (future == null) {
      throw new IllegalStateException("valueLoader returned a null future");
    }
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private <T> CompletableFuture<T> onVirtualThread(Callable<T> work) {
    var result = new CompletableFuture<T>();
    try {
      executor.execute(() -> {
        try {
          result.complete(work.call());
        } catch (Throwable t) {
          result.completeExceptionally(unwrap(t));
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  /** What the caller should see: the loader's own exception, not the wrappers around it. */
  private static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while (true) {
      if (current instanceof CacheLoadException && current.getCause() != null) {
        current = current.getCause();
      } else if (current instanceof CacheOperationInvoker.ThrowableWrapper wrapper) {
        current = wrapper.getOriginal();
      } else {
        return current;
      }
    }
  }

  /**
   * Stores {@code value} in L1 and the tiers; a load running for the key will not overwrite it. May
   * park the calling thread for write-through tier writes.
   */
  @Override
  public void put(Object key, @Nullable Object value) {
    cache.put(key, toStoreValue(value));
  }

  /**
   * Stores {@code value} unless the key has a value (in L1 or a tier), atomically with respect to
   * loads of the key in this cache; returns the value found, or null if this call stored.
   */
  @Override
  public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
    Object storeValue = toStoreValue(value);
    boolean[] stored = {false};
    Object present =
        cache.get(
            key,
            () -> {
              stored[0] = true; // the loader runs on this thread
              return storeValue;
            });
    return stored[0] ? null : toValueWrapper(present);
  }

  /** Removes the key from L1 and the tiers; no load that began before it will store. */
  @Override
  public void evict(Object key) {
    cache.invalidate(key);
  }

  /**
   * As {@link #evict}, returning whether the key had a value just before (looked up in L1 and the
   * tiers; a value stored concurrently may be missed).
   */
  @Override
  public boolean evictIfPresent(Object key) {
    boolean present = cache.getIfPresent(key) != null;
    cache.invalidate(key);
    return present;
  }

  /** Removes every entry from L1 and the tiers (this cache's keys only). */
  @Override
  public void clear() {
    cache.invalidateAll();
  }

  /**
   * As {@link #clear}, returning whether L1 held entries just before (entries only in a tier are
   * not counted).
   */
  @Override
  public boolean invalidate() {
    boolean hadEntries = cache.estimatedSize() > 0;
    cache.invalidateAll();
    return hadEntries;
  }

  @Override
  public String toString() {
    return "LoomcacheCache{name="
        + name
        + ", allowNullValues="
        + isAllowNullValues()
        + ", tiers="
        + (memoryOnly ? "none" : cache.stats().tierStats().size())
        + "}";
  }
}
