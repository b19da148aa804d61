package dev.loomcache;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * A thread-safe cache whose reads may load, with at most one load per key running at a time.
 *
 * <p>Every method may be called from any platform or virtual thread. Loaders run on the calling
 * thread, outside every lock of the cache; callers that ask for a key while another caller loads it
 * park until that load completes and receive its outcome. The guarantees (single flight,
 * generations, interrupts, re-entrancy) are described in {@code CONCURRENCY.md}.
 *
 * <p>Build one with {@link Loomcache#newBuilder()}. Close it when done: {@link #close()} stops
 * background work and closes the tiers; any later call throws {@link IllegalStateException}.
 *
 * @param <K> the key type; keys are compared with {@code equals} and {@code hashCode}
 * @param <V> the value type
 */
public interface Cache<K, V> extends AutoCloseable {

  /**
   * Returns the value for {@code key}, loading it with {@code loader} if absent, and stores a
   * loaded value with the cache's default TTL.
   *
   * <p>At most one load per key runs at a time: concurrent callers for the same key wait for that
   * load and all receive its value (or its failure). May park the calling thread until the load it
   * waits for completes. A loader that returns {@code null} makes this method return {@code null}
   * and caches nothing.
   *
   * @throws NullPointerException if {@code key} or {@code loader} is null
   * @throws CacheLoadException if the load failed with a checked exception, or if this thread was
   *     interrupted while waiting for another caller's load (its interrupt status is restored and
   *     the cause is an {@link InterruptedException})
   * @throws IllegalStateException if the loader asks this cache for the same key on the same
   *     thread, or if the cache is closed
   */
  @Nullable V get(K key, Callable<? extends V> loader);

  /**
   * Returns the value for {@code key}, loading it with {@code loader} if absent and storing it for
   * {@code ttl}; otherwise as {@link #get(Object, Callable)}.
   *
   * <p>{@link Duration#ZERO} returns the loaded value (and shares it with concurrent waiters)
   * without storing it. A TTL of {@link Loomcache#NO_EXPIRY} (or any duration too long to count in
   * nanoseconds) stores the value with no expiry.
   *
   * @throws NullPointerException if {@code key}, {@code loader} or {@code ttl} is null
   * @throws IllegalArgumentException if {@code ttl} is negative
   * @throws CacheLoadException as for {@link #get(Object, Callable)}
   * @throws IllegalStateException as for {@link #get(Object, Callable)}
   */
  @Nullable V get(K key, Callable<? extends V> loader, Duration ttl);

  /**
   * Returns the value for {@code key}, loading it with {@code loader} if absent and storing it with
   * {@code freshness} (the builder's freshness options, with the ones it sets replaced); otherwise
   * as {@link #get(Object, Callable)}. A hit on an entry due for a refresh starts its background
   * reload with {@code loader}, as the builder's {@code refreshAfter} describes.
   *
   * @throws NullPointerException if {@code key}, {@code loader} or {@code freshness} is null
   * @throws IllegalArgumentException if {@code freshness} sets a {@code refreshAfter} that is not
   *     shorter than the TTL in effect
   * @throws CacheLoadException as for {@link #get(Object, Callable)}
   * @throws IllegalStateException as for {@link #get(Object, Callable)}
   */
  @Nullable V get(K key, Callable<? extends V> loader, Freshness freshness);

  /**
   * Returns the value stored for {@code key}, or {@code null}; never loads and never blocks on a
   * load in flight. Never starts a refresh, never returns a value kept past its TTL for
   * stale-if-error, and returns {@code null} for a remembered absence.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalStateException if the cache is closed
   */
  @Nullable V getIfPresent(K key);

  /**
   * Returns the values of {@code keys}: present ones from the cache, missing ones loaded with
   * {@code loader} in as few calls as the maximum batch size allows (several batches run
   * concurrently on virtual threads; a single batch runs on the calling thread). Keys already being
   * loaded by another caller are waited for, not loaded twice. Keys the loader leaves out are
   * absent from the result and not cached. The map iterates in the order of {@code keys};
   * duplicates are read once. May park the calling thread until every load it needs completes.
   *
   * <p>Fail-fast: if a batch fails, the batches still running are cancelled (their keys' other
   * waiters take the loads over) and the failure is thrown as for {@link #get(Object, Callable)};
   * values of batches that completed stay cached.
   *
   * @throws NullPointerException if {@code keys}, any key, or {@code loader} is null
   * @throws CacheLoadException if a batch failed with a checked exception (or returned a null map),
   *     or if this thread was interrupted while waiting
   * @throws IllegalStateException if the cache is closed, or a batch loader asks for a key of its
   *     own batch on the same thread
   */
  Map<K, V> getAll(Collection<? extends K> keys, BatchLoader<K, V> loader);

  /**
   * Reloads {@code key} with {@code loader} in the background and returns a future of the new
   * value; the value present until then stays served (hits return it, and never wait).
   *
   * <p>The reload is a load like any other: it is claimed in the cache's single flight before this
   * method returns, runs on a virtual thread owned by the cache (outside every lock, not reading
   * the tiers: they hold the value being refreshed), and stores its value as a {@code get} would,
   * in L1 and the tiers, with the cache's default TTL, tags and freshness options. So a {@code get}
   * of the key that misses meanwhile waits for it, and if the key is already being loaded (by a
   * {@code get}, {@code getAll}, a batcher or another refresh) no second load starts: the future
   * completes with that load's outcome. A {@link #put}, {@link #invalidate}, {@link
   * #invalidateAll()} or {@link #invalidateTag} that runs after this method returned wins: the
   * refresh's value is handed to the future but not stored over it.
   *
   * <p>The future completes with the loaded value, or exceptionally with what {@code get} would
   * throw for the same failure (the loader's unchecked exception or error as it is, a checked one
   * wrapped in {@link CacheLoadException}); a failed refresh leaves the present value alone, also
   * under stale-if-error. A loader that returns {@code null} completes the future with {@code null}
   * and leaves nothing cached for the key (the present value is removed unless it was written
   * meanwhile), or stores the absence if the cache has a {@code negativeTtl}. Each reload this
   * method runs counts one {@link CacheStats#refreshCount()} or {@link
   * CacheStats#refreshFailureCount()} (and, as any load, one load); joining another load counts
   * neither. {@link #close()} interrupts a running refresh: its future completes exceptionally with
   * a {@link CacheLoadException} whose cause is an {@link InterruptedException}. Cancelling the
   * future does not stop the reload.
   *
   * @return a future of the refreshed value; completed exceptionally with {@link
   *     IllegalStateException} if the cache was closed concurrently with this call
   * @throws NullPointerException if {@code key} or {@code loader} is null
   * @throws IllegalStateException if the cache is closed, or if the calling thread is loading
   *     {@code key} itself (a loader refreshing its own key)
   */
  CompletableFuture<@Nullable V> refresh(K key, Callable<? extends V> loader);

  /**
   * Reloads {@code keys} with {@code loader} in the background, one {@link BatchLoader#load} call
   * per {@code maxBatchSize} keys, and returns a future of the new values; each key is refreshed as
   * {@link #refresh(Object, Callable)} describes (claimed before this method returns, old values
   * served until their reload lands, writes made meanwhile win, keys already being loaded are
   * joined and not loaded again, one refresh counted per key reloaded).
   *
   * <p>The batches run one after another on one virtual thread owned by the cache. The future
   * completes with the loaded values in the order of {@code keys} (duplicates once); keys the
   * loader leaves out are absent from the map and, as with {@link #getAll}, not cached: their
   * present values are removed unless written meanwhile (with a {@code negativeTtl}, the absence is
   * stored instead). If a batch fails, the other batches still run and store their values, the
   * failed batch's keys keep their present values, and the future completes exceptionally with the
   * first failure, as {@code getAll} would throw it.
   *
   * @return a future of the refreshed values; completed exceptionally with {@link
   *     IllegalStateException} if the cache was closed concurrently with this call
   * @throws NullPointerException if {@code keys}, any key, or {@code loader} is null
   * @throws IllegalStateException if the cache is closed, or if the calling thread is loading one
   *     of {@code keys} itself
   */
  CompletableFuture<Map<K, V>> refreshAll(Iterable<? extends K> keys, BatchLoader<K, V> loader);

  /**
   * Returns a DataLoader-style {@link Batcher} over this cache using the cache's batch window and
   * maximum batch size; equivalent to {@code batcher(loader, BatchOptions.defaults())}.
   *
   * @throws NullPointerException if {@code loader} is null
   * @throws IllegalStateException if the cache is closed
   */
  Batcher<K, V> batcher(BatchLoader<K, V> loader);

  /**
   * Returns a DataLoader-style {@link Batcher} over this cache: misses from many threads within one
   * window become one {@code loader} call whose results are stored in this cache. Batching is per
   * batcher object: share one. The batcher closes with the cache.
   *
   * @throws NullPointerException if {@code loader} or {@code options} is null
   * @throws IllegalStateException if the cache is closed
   */
  Batcher<K, V> batcher(BatchLoader<K, V> loader, BatchOptions options);

  /**
   * Loads the absent keys of {@code loaders} concurrently, each with its own loader, at most the
   * builder's {@code maxConcurrentBatches} at once. Never overwrites a present value (a key present
   * or loaded by another caller meanwhile is skipped); one failure does not stop the others. Parks
   * the calling thread until every load has finished.
   *
   * @throws NullPointerException if {@code loaders}, any key or any loader is null
   * @throws CacheLoadException if this thread is interrupted while waiting (the remaining loads are
   *     cancelled first)
   * @throws IllegalStateException if the cache is closed
   */
  WarmupResult<K> warmup(Map<K, ? extends Callable<? extends V>> loaders);

  /**
   * Stores {@code value} for {@code key} with the default TTL, replacing any present value. A load
   * already in flight for this key will not overwrite it. Never blocks on a load.
   *
   * @throws NullPointerException if {@code key} or {@code value} is null
   * @throws IllegalStateException if the cache is closed
   */
  void put(K key, V value);

  /**
   * Stores {@code value} for {@code key} for {@code ttl}; otherwise as {@link #put(Object,
   * Object)}. {@link Duration#ZERO} stores nothing and leaves any present value alone.
   *
   * @throws NullPointerException if {@code key}, {@code value} or {@code ttl} is null
   * @throws IllegalArgumentException if {@code ttl} is negative
   * @throws IllegalStateException if the cache is closed
   */
  void put(K key, V value, Duration ttl);

  /**
   * Removes {@code key}. After this returns, no load that began before it will store its value;
   * callers already waiting for such a load still receive it. A no-op for an absent key.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalStateException if the cache is closed
   */
  void invalidate(K key);

  /**
   * Removes each of {@code keys}, with the guarantee of {@link #invalidate(Object)} for each.
   *
   * @throws NullPointerException if {@code keys} or any of its elements is null
   * @throws IllegalStateException if the cache is closed
   */
  void invalidateAll(Collection<? extends K> keys);

  /**
   * Removes every entry. After this returns, no load that began before it will store its value.
   * Statistics are kept: clearing is not resetting.
   *
   * @throws IllegalStateException if the cache is closed
   */
  void invalidateAll();

  /**
   * Removes every entry carrying {@code tag} (as the builder's {@link Loomcache#tags tagger} gave
   * it when the entry was stored) from L1 and the tiers, with the guarantee of {@link
   * #invalidate(Object)}: after this returns, no load that began before it will store a value
   * carrying the tag. Other instances sharing a tier that supports it (Redis) drop their L1 copies
   * too. Costs one look per L1 entry carrying the tag; parks for the tiers' I/O. A no-op on a cache
   * without a tagger and without tiers.
   *
   * @throws NullPointerException if {@code tag} is null
   * @throws IllegalStateException if the cache is closed
   */
  void invalidateTag(String tag);

  /**
   * Removes every entry carrying any of {@code tags}, with the guarantee of {@link
   * #invalidateTag(String)} for each.
   *
   * @throws NullPointerException if {@code tags} or any of its elements is null
   * @throws IllegalStateException if the cache is closed
   */
  void invalidateTags(Collection<String> tags);

  /**
   * Removes every entry whose encoded key matches {@code glob} ({@code *} any run of characters,
   * {@code ?} one character), in L1 and the tiers, with the guarantee of {@link
   * #invalidate(Object)} for each matching key. A key is matched as its key codec encodes it (as
   * tiers store it), or as its {@code toString()} when the cache has no tiers. Costs a pass over L1
   * and, in each tier, a pass over this cache's keys (Redis: {@code SCAN MATCH} within the key
   * prefix and {@code UNLINK} in batches); parks for the tiers' I/O.
   *
   * @throws NullPointerException if {@code glob} is null
   * @throws IllegalArgumentException if {@code glob} is empty
   * @throws IllegalStateException if the cache is closed
   */
  void invalidateMatching(String glob);

  /**
   * Returns a snapshot of the statistics; never blocks.
   *
   * @throws IllegalStateException if the cache is closed
   */
  CacheStats stats();

  /**
   * Returns the approximate number of entries in L1; never blocks. Entries that expired or were
   * evicted may still be counted until the next maintenance.
   *
   * @throws IllegalStateException if the cache is closed
   */
  long estimatedSize();

  /**
   * Returns a {@link ConcurrentMap} view of this cache, for code written against maps. The view is
   * created once and lives as long as the cache; closing the cache closes it. Reads are {@link
   * #getIfPresent} (L1, then the tiers); writes are {@link #put} and {@link #invalidate}, with
   * their tier and generation guarantees; {@code computeIfAbsent} is this cache's single flight,
   * its function running outside every lock. Iteration and {@code size} see L1 only. Keys and
   * values must not be {@code null}. What each method guarantees, and where it differs from {@link
   * java.util.concurrent.ConcurrentHashMap}, is stated on the view's methods.
   *
   * @throws IllegalStateException if the cache is closed
   */
  ConcurrentMap<K, V> asMap();

  /**
   * Returns a view whose reads return {@link java.util.concurrent.CompletableFuture}s, running on
   * virtual threads owned by this cache and sharing its single flight with the blocking calls.
   * Created once; it lives as long as the cache.
   *
   * @throws IllegalStateException if the cache is closed
   */
  AsyncView<K, V> async();

  /**
   * Flushes pending tier writes, dispatches the batchers' open windows, stops background work and
   * closes the tiers. Idempotent; every other method throws {@link IllegalStateException}
   * afterwards. Loads already running finish and are handed to their waiters; this method parks
   * until running batch loaders return (if interrupted meanwhile, it stops waiting and restores the
   * interrupt status).
   */
  @Override
  void close();
}
