package dev.loomcache.jcache.internal;

import java.util.Map;
import javax.cache.Cache;

/**
 * A key and value pair handed to users (by the iterator) and to writers.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class CacheEntry<K, V> implements Cache.Entry<K, V> {
  private final K key;
  private final V value;

  CacheEntry(K key, V value) {
    this.key = key;
    this.value = value;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("Cannot unwrap a cache entry to " + type.getName());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cache.Entry<?, ?> entry
        && key.equals(entry.getKey())
        && value.equals(entry.getValue());
  }

  @Override
  public int hashCode() {
    return Map.entry(key, value).hashCode();
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
