package dev.loomcache;

/**
 * Told about every entry that leaves L1, once, with the reason; set with {@link
 * Loomcache#removalListener(RemovalListener)}.
 *
 * <p>Called outside every lock of the cache, never on the thread whose call removed the entry and
 * never on the hit path: notifications go to a queue that one virtual thread of the cache drains in
 * order. The listener may block and may call the cache, including for the same key. A listener that
 * throws is logged at warn level and counted ({@link CacheStats#removalListenerFailureCount()});
 * the exception never reaches a caller of the cache. Removals caused by {@link Cache#close()}
 * itself are not reported; notifications queued before it are delivered before {@code close}
 * returns.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface RemovalListener<K, V> {

  /** Called once for each entry removed from L1, with the value it held and why it left. */
  void onRemoval(K key, V value, RemovalCause cause);
}
