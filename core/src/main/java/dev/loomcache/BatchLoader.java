package dev.loomcache;

import java.util.Map;
import java.util.Set;

/**
 * Loads many keys in one call, for {@link Cache#getAll} and {@link Cache#batcher}.
 *
 * <p>The returned map holds a value for each key found; keys it leaves out (or maps to {@code
 * null}) are absent: they are not cached and callers asking for them receive {@code null}. Entries
 * for keys that were not asked for are ignored. A batch loader runs outside every lock of the
 * cache, on a virtual thread of the cache or on the calling thread, and may block.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface BatchLoader<K, V> {

  /**
   * Returns the values of {@code keys}; the set is unmodifiable, free of duplicates, and never
   * larger than the cache's (or batcher's) maximum batch size.
   *
   * @throws Exception to fail every key of this batch (and only this batch)
   */
  Map<K, V> load(Set<K> keys) throws Exception;
}
