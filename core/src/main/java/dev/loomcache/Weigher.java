package dev.loomcache;

/**
 * The weight of an entry, for a cache bounded by {@link Loomcache#maximumWeight(long)}: the cache
 * evicts entries once the sum of their weights passes that bound.
 *
 * <p>The weigher is called once per L1 write (a {@code put}, a load's store, a tier value promoted
 * to L1), with the value as the user stored it, and the weight is kept for the entry's life. It
 * runs inside the L1 write, as Caffeine's does, so it must be fast, free of side effects, and must
 * not call the cache.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface Weigher<K, V> {

  /**
   * Returns the weight of this entry: zero or more. An entry of weight zero is never evicted for
   * size.
   */
  int weigh(K key, V value);
}
