package dev.loomcache;

import static java.util.Objects.requireNonNull;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Cache#asMap()} view: a {@link ConcurrentMap} whose reads are the cache's reads and
 * whose writes are the cache's writes.
 *
 * <p>Design note. Conditional writes ({@code put} returning the previous value, {@code replace},
 * {@code remove(key, value)}) are compare-and-set loops on L1: read the current value, compare it
 * with {@code equals} outside every lock, then write only if L1 still holds that very object
 * ({@code WritePath.writeIfSame}, under the key's bin lock, where every L1 write of the key is
 * ordered). So they are atomic, and no user code ({@code equals}, functions) runs under a lock.
 * {@code putIfAbsent} and {@code computeIfAbsent} are the cache's single flight instead: they wait
 * for a load in flight rather than racing it.
 */
final class CacheMapView<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {
  private final LocalCache<K, V> cache;
  private final EntrySet entrySet = new EntrySet();

  CacheMapView(LocalCache<K, V> cache) {
    this.cache = cache;
  }

  /**
   * Returns the value of {@code key}, as {@link Cache#getIfPresent} (L1, then the tiers; counted as
   * a hit or a miss); never loads and never blocks on a load. With tiers, a key of the wrong type
   * throws {@link ClassCastException} from the key codec.
   */
  @Override
  @SuppressWarnings("unchecked")
  public @Nullable V get(Object key) {
    return cache.getIfPresent((K) requireNonNull(key, "key must not be null"));
  }

  /** Whether {@link #get} finds a value. */
  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  /**
   * Stores {@code value}, as {@link Cache#put}, and returns the value it replaced in L1 (a value
   * only in a lower tier is first promoted, then replaced). Atomic: the returned value is exactly
   * the one overwritten.
   */
  @Override
  public @Nullable V put(K key, V value) {
    requireNonNull(key, "key must not be null");
    requireNonNull(value, "value must not be null");
    for (; ; ) {
      V current = cache.current(key);
      if (cache.writeIfSame(key, current, value)) {
        return current;
      }
    }
  }

  /**
   * Removes {@code key}, as {@link Cache#invalidate} (a load in flight will not store its value),
   * and returns the value removed from L1, or {@code null} if there was none. Atomic.
   */
  @Override
  @SuppressWarnings("unchecked")
  public @Nullable V remove(Object key) {
    K k = (K) requireNonNull(key, "key must not be null");
    for (; ; ) {
      V current = cache.current(k);
      if (current == null) {
        cache.invalidate(k);
        return null;
      }
      if (cache.writeIfSame(k, current, null)) {
        return current;
      }
    }
  }

  /**
   * Stores {@code value} if {@code key} has none, through the cache's single flight: a present
   * value (in L1 or a tier) is returned, a load in flight for the key is waited for and its value
   * returned, and otherwise {@code value} is stored as a load's value would be (so an invalidation
   * racing it wins) and {@code null} returned. Atomic with respect to other {@code putIfAbsent},
   * {@code computeIfAbsent} and {@code get} calls; a {@code put} that races it wins. Counted as a
   * {@code get}. May park the calling thread until the load in flight completes; its failure is
   * thrown as {@link Cache#get} throws it.
   */
  @Override
  public @Nullable V putIfAbsent(K key, V value) {
    requireNonNull(key, "key must not be null");
    requireNonNull(value, "value must not be null");
    for (; ; ) {
      var stored = new boolean[1]; // the loader runs on this thread
      V result =
          cache.get(
              key,
              () -> {
                stored[0] = true;
                return value;
              });
      if (stored[0]) {
        return null;
      }
      if (result != null) {
        return result;
      }
      // We waited for another caller's load, which found nothing: try again.
    }
  }

  /**
   * Returns the value of {@code key}, computing it with {@code mappingFunction} if absent: this is
   * {@link Cache#get(Object, java.util.concurrent.Callable)}, the cache's single flight. Unlike
   * {@link java.util.concurrent.ConcurrentHashMap#computeIfAbsent}, the function runs on the
   * calling thread outside every lock (it may block, and may use the map for other keys), other
   * callers of the same key park until it returns and receive its result, and a read of other keys
   * never waits for it. As in {@code ConcurrentHashMap}, a {@code null} result stores nothing and
   * an unchecked exception propagates unchanged (a checked one cannot be thrown by a {@link
   * Function}); asking for the same key from inside the function throws {@link
   * IllegalStateException}. An {@code invalidate} or {@code put} of the key while the function runs
   * wins: its result is returned but not stored.
   */
  @Override
  public @Nullable V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
    requireNonNull(key, "key must not be null");
    requireNonNull(mappingFunction, "mappingFunction must not be null");
    return cache.get(key, () -> mappingFunction.apply(key));
  }

  /**
   * Stores {@code value} only if {@code key} has a value, returning it; atomic, as {@link #put}.
   */
  @Override
  public @Nullable V replace(K key, V value) {
    requireNonNull(key, "key must not be null");
    requireNonNull(value, "value must not be null");
    for (; ; ) {
      V current = cache.current(key);
      if (current == null) {
        return null;
      }
      if (cache.writeIfSame(key, current, value)) {
        return current;
      }
    }
  }

  /**
   * Stores {@code newValue} only if {@code key}'s value {@code equals} {@code oldValue}; atomic
   * ({@code equals} runs outside every lock; the write happens only if the value compared is still
   * the one stored).
   */
  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    requireNonNull(key, "key must not be null");
    requireNonNull(oldValue, "oldValue must not be null");
    requireNonNull(newValue, "newValue must not be null");
    for (; ; ) {
      V current = cache.current(key);
      if (current == null || !current.equals(oldValue)) {
        return false;
      }
      if (cache.writeIfSame(key, current, newValue)) {
        return true;
      }
    }
  }

  /**
   * Removes {@code key} only if its value {@code equals} {@code value}; atomic as {@link
   * #replace(Object, Object, Object)}. A {@code null} value removes nothing.
   */
  @Override
  @SuppressWarnings("unchecked")
  public boolean remove(Object key, @Nullable Object value) {
    K k = (K) requireNonNull(key, "key must not be null");
    if (value == null) {
      return false;
    }
    for (; ; ) {
      V current = cache.current(k);
      if (current == null || !current.equals(value)) {
        return false;
      }
      if (cache.writeIfSame(k, current, null)) {
        return true;
      }
    }
  }

  /** Removes every entry, as {@link Cache#invalidateAll()}. */
  @Override
  public void clear() {
    cache.invalidateAll();
  }

  /** The approximate number of entries in L1, as {@link Cache#estimatedSize()}. */
  @Override
  public int size() {
    return (int) Math.min(cache.estimatedSize(), Integer.MAX_VALUE);
  }

  /** Whether L1 holds no live entry. */
  @Override
  public boolean isEmpty() {
    cache.checkOpen();
    return !cache.l1Entries().hasNext();
  }

  /**
   * The entries of L1 (not of the tiers), weakly consistent as {@code ConcurrentHashMap}'s: never
   * throws {@link java.util.ConcurrentModificationException}, and sees each live entry at most
   * once. Iterating counts no hits and slides no idle time. {@code Iterator.remove} invalidates the
   * key; {@code Entry.setValue} puts.
   */
  @Override
  public Set<Entry<K, V>> entrySet() {
    return entrySet;
  }

  private final class EntrySet extends AbstractSet<Entry<K, V>> {
    @Override
    public Iterator<Entry<K, V>> iterator() {
      cache.checkOpen();
      Iterator<Entry<K, V>> entries = cache.l1Entries();
      return new Iterator<>() {
        private @Nullable K last;

        @Override
        public boolean hasNext() {
          return entries.hasNext();
        }

        @Override
        public Entry<K, V> next() {
          Entry<K, V> entry = entries.next();
          last = entry.getKey();
          return new WriteThroughEntry(entry.getKey(), entry.getValue());
        }

        @Override
        public void remove() {
          K key = last;
          if (key == null) {
            throw new IllegalStateException("next() has not been called, or remove() was already");
          }
          last = null;
          cache.invalidate(key);
        }
      };
    }

    @Override
    public int size() {
      return CacheMapView.this.size();
    }

    @Override
    public void clear() {
      CacheMapView.this.clear();
    }
  }

  private final class WriteThroughEntry extends SimpleEntry<K, V> {
    private static final long serialVersionUID = 1L;

    WriteThroughEntry(K key, V value) {
      super(key, value);
    }

    @Override
    public V setValue(V value) {
      requireNonNull(value, "value must not be null");
      CacheMapView.this.put(getKey(), value);
      return super.setValue(value);
    }
  }
}
