package dev.loomcache.jcache.internal;

import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;
import org.jspecify.annotations.Nullable;

/**
 * An entry event as listeners see it. Values are copied when a listener asks for them, so a
 * listener of a store-by-value cache cannot change what the cache holds.
 *
 * <p>For {@code REMOVED} and {@code EXPIRED} events the value is the one removed, as JCache 1.1
 * asks, and it is also the old value.
 */
// Serializable only because EventObject is: keys and values are whatever the cache holds.
@SuppressWarnings("serial")
final class EntryEvent<K, V> extends CacheEntryEvent<K, V> {
  private static final long serialVersionUID = 1L;

  private final transient Copier copier;
  private final K key;
  private final @Nullable V value;
  private final @Nullable V oldValue;

  EntryEvent(
      Cache<K, V> source,
      EventType type,
      Copier copier,
      K key,
      @Nullable V value,
      @Nullable V oldValue) {
    super(source, type);
    this.copier = copier;
    this.key = key;
    this.value = value;
    this.oldValue = oldValue;
  }

  @Override
  public K getKey() {
    return copier.copy(key);
  }

  @Override
  public @Nullable V getValue() {
    return value == null ? null : copier.copy(value);
  }

  @Override
  public @Nullable V getOldValue() {
    return oldValue == null ? null : copier.copy(oldValue);
  }

  @Override
  public boolean isOldValueAvailable() {
    return oldValue != null;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("Cannot unwrap an entry event to " + type.getName());
  }

  @Override
  public String toString() {
    return getEventType()
        + "["
        + key
        + "="
        + value
        + (oldValue == null ? "" : ", old " + oldValue)
        + "]";
  }
}
