package dev.loomcache;

import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A DataLoader-style front on a {@link Cache}: reads go through the cache, and misses from many
 * threads within one window become one {@link BatchLoader#load} call whose results are stored.
 *
 * <p>A window opens with the first queued key and closes after the batch window, or as soon as the
 * maximum batch size is queued, whichever comes first; the next key opens a fresh window. Each
 * batch runs on its own virtual thread, outside every lock, and several batches may run at once up
 * to the cache's cap. Batched keys share the cache's flight table with {@link Cache#get} and {@link
 * Cache#getAll}: a key that is already being loaded is waited for, never loaded twice at once, and
 * a key is never queued twice. Create one batcher and share it: batching is per batcher object.
 * Batchers close with their cache.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface Batcher<K, V> {

  /**
   * Returns the value of {@code key}, from the cache or from a batch. May park the calling thread
   * until the batch window closes and the batch completes. Returns {@code null} if the batch loader
   * left the key out.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws CacheLoadException if the batch failed with a checked exception, or if this thread was
   *     interrupted while waiting (its interrupt status is restored; the batch goes on)
   * @throws IllegalStateException if the cache is closed
   */
  @Nullable V get(K key);

  /**
   * Returns the values of {@code keys} found in the cache or loaded through batches; keys the batch
   * loader left out are absent from the map. The map iterates in the order of {@code keys}.
   *
   * @throws NullPointerException if {@code keys} or any of its elements is null
   * @throws CacheLoadException as for {@link #get}
   * @throws IllegalStateException if the cache is closed
   */
  Map<K, V> getAll(Collection<? extends K> keys);
}
