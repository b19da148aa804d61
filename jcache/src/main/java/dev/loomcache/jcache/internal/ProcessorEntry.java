package dev.loomcache.jcache.internal;

import static java.util.Objects.requireNonNull;

import javax.cache.integration.CacheLoader;
import javax.cache.processor.MutableEntry;
import org.jspecify.annotations.Nullable;

/**
 * The entry an entry processor works on: it records what the processor did, and the cache applies
 * that one outcome when the processor returns.
 */
final class ProcessorEntry<K, V> implements MutableEntry<K, V> {
  /** What the processor did to the entry, as far as the cache is concerned. */
  enum Action {
    /** Nothing the cache must apply. */
    NONE,
    /** Read the existing value: an access, for expiry. */
    READ,
    /** Loaded an absent value through the cache's loader. */
    LOADED,
    /** Set a value where there was none. */
    CREATED,
    /** Set a new value over an existing one. */
    UPDATED,
    /** Removed the entry. */
    DELETED
  }

  private final K key;
  private final boolean existed;
  private @Nullable V value;
  private @Nullable CacheLoader<K, V> loader;
  private Action action = Action.NONE;

  /**
   * @param value the current value (a copy), or null if absent
   * @param loader the loader to use when the processor reads an absent value, or null
   */
  ProcessorEntry(K key, @Nullable V value, @Nullable CacheLoader<K, V> loader) {
    this.key = key;
    this.value = value;
    this.existed = value != null;
    this.loader = loader;
  }

  Action action() {
    return action;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public @Nullable V getValue() {
    if (action != Action.NONE) {
      return value;
    }
    if (value != null) {
      action = Action.READ;
    } else if (loader != null) {
      CacheLoader<K, V> once = loader;
      loader = null;
      value = once.load(key);
      if (value != null) {
        action = Action.LOADED;
      }
    }
    return value;
  }

  @Override
  public boolean exists() {
    return action == Action.NONE ? existed : value != null;
  }

  @Override
  public void remove() {
    // Removing what this processor created leaves nothing to do; anything else is a delete (through
    // the writer even if the entry was absent, as for Cache.remove).
    action = action == Action.CREATED ? Action.NONE : Action.DELETED;
    value = null;
  }

  @Override
  public void setValue(V value) {
    requireNonNull(value, "value must not be null");
    if (action != Action.CREATED) {
      action = existed ? Action.UPDATED : Action.CREATED;
    }
    this.value = value;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("Cannot unwrap a mutable entry to " + type.getName());
  }

  @Override
  public String toString() {
    return key + "=" + value + " (" + action + ")";
  }
}
