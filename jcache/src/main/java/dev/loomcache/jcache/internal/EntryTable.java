package dev.loomcache.jcache.internal;

import dev.loomcache.Loomcache;
import dev.loomcache.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.event.EventType;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import org.jspecify.annotations.Nullable;

/**
 * A JCache's entries: storage in a Loomcache {@link dev.loomcache.Cache}, per-key locks, expiry
 * deadlines, the writer and the entry events, as one protocol.
 *
 * <p>Design note. Every change of a key happens with that key's lock held (see {@link KeyLocks}):
 * look at the live entry (noticing an expiry: remove it, publish {@code EXPIRED}, count an
 * eviction), call the writer (its failure leaves the cache unchanged), store or remove in
 * Loomcache, publish the event (synchronous listeners run here). Lock-free reads ({@link #peek})
 * see either the old or the new entry, never a half-made one: an entry is an immutable value plus a
 * volatile deadline.
 *
 * <p>Loomcache stores each entry with a TTL a little longer than its JCache deadline: the deadline
 * is checked here on every access (so expiry is exact, and seen as an {@code EXPIRED} event), and
 * Loomcache's own expiry only reclaims the memory of entries nobody touches again. Loomcache has no
 * key enumeration, so the table keeps an index of its keys for iteration, {@code removeAll} and
 * {@code clear}; the index changes only with the key's lock held, and a key whose entry Loomcache
 * dropped is pruned when it is next seen.
 */
final class EntryTable<K, V> {
  /** How much longer than its deadline Loomcache keeps an entry, so that its expiry is noticed. */
  static final Duration GRACE = Duration.ofSeconds(1);

  private final Cache<K, V> source;
  private final dev.loomcache.Cache<K, Stored<V>> store;
  private final Set<K> keys = ConcurrentHashMap.newKeySet();
  private final KeyLocks locks = new KeyLocks();
  private final Ticker ticker = Ticker.systemTicker();
  private final long origin = ticker.read() - 1;
  private final Expiry expiry;
  private final Copier copier;
  private final EventDispatcher<K, V> dispatcher;
  private final Statistics statistics;
  private final @Nullable CacheWriter<K, V> writer;

  EntryTable(
      Cache<K, V> source,
      Expiry expiry,
      Copier copier,
      EventDispatcher<K, V> dispatcher,
      Statistics statistics,
      @Nullable CacheWriter<K, V> writer) {
    this.source = source;
    this.expiry = expiry;
    this.copier = copier;
    this.dispatcher = dispatcher;
    this.statistics = statistics;
    this.writer = writer;
    this.store =
        Loomcache.newBuilder()
            .name("jcache:" + source.getName())
            .maximumSize(Long.MAX_VALUE)
            .ticker(ticker)
            .build();
  }

  /** A stored entry: the value (a copy, for store-by-value) and its deadline. */
  static final class Stored<V> {
    final V value;
    volatile long deadline;

    Stored(V value, long deadline) {
      this.value = value;
      this.deadline = deadline;
    }
  }

  /** The current time on the table's clock (see {@link Expiry}). */
  long now() {
    return ticker.read() - origin;
  }

  Copier copier() {
    return copier;
  }

  Expiry expiry() {
    return expiry;
  }

  /** Runs {@code body} holding {@code key}'s lock; may park until the lock is free. */
  <T> T locked(Object key, Supplier<T> body) {
    KeyLocks.Lane lane = locks.lock(key);
    try {
      return body.get();
    } finally {
      locks.unlock(key, lane);
    }
  }

  /**
   * Returns the entry of {@code key} if present and not expired at {@code now}; never blocks and
   * never changes anything (an expired entry is removed by the next {@link #live}).
   */
  @Nullable Stored<V> peek(Object key, long now) {
    @SuppressWarnings("unchecked")
    Stored<V> stored = store.getIfPresent((K) key);
    return stored == null || Expiry.isExpired(stored.deadline, now) ? null : stored;
  }

  /** Returns whether Loomcache holds an entry for {@code key}, expired or not. */
  boolean holds(Object key) {
    @SuppressWarnings("unchecked")
    K k = (K) key;
    return store.getIfPresent(k) != null;
  }

  /**
   * Returns the live entry of {@code key}; an entry found expired is removed, published as {@code
   * EXPIRED} and counted as an eviction. Call with the key's lock held.
   */
  @Nullable Stored<V> live(K key, long now, Failures failures) {
    Stored<V> stored = store.getIfPresent(key);
    if (stored == null) {
      keys.remove(key); // Loomcache dropped it on its own, or it was never there
      return null;
    }
    if (!Expiry.isExpired(stored.deadline, now)) {
      return stored;
    }
    forget(key);
    statistics.recordEvictions(1);
    publish(EventType.EXPIRED, key, stored.value, stored.value, failures);
    return null;
  }

  /**
   * Stores {@code value} (already copied) for {@code key}, over {@code old} (the live entry, or
   * null), with the deadline the expiry policy gives for a creation or an update, and publishes
   * {@code CREATED} or {@code UPDATED}. A creation the policy expires at once stores nothing. Call
   * with the key's lock held; the writer, if any, has been called.
   *
   * @return whether a value was stored
   */
  boolean store(K key, V value, @Nullable Stored<V> old, long now, Failures failures) {
    long deadline;
    if (old == null) {
      deadline = expiry.forCreation(now);
      if (deadline == Expiry.NOW) {
        return false;
      }
    } else {
      deadline = expiry.forUpdate(now);
      if (deadline == Expiry.UNCHANGED) {
        deadline = old.deadline;
      }
    }
    put(key, new Stored<>(value, deadline), now);
    if (old == null) {
      publish(EventType.CREATED, key, value, null, failures);
    } else {
      publish(EventType.UPDATED, key, value, old.value, failures);
    }
    return true;
  }

  /** Removes the live entry {@code old} of {@code key} and publishes {@code REMOVED}; locked. */
  void remove(K key, Stored<V> old, Failures failures) {
    forget(key);
    publish(EventType.REMOVED, key, old.value, old.value, failures);
  }

  /** Applies the expiry policy's access duration to a live entry just read; locked. */
  void touch(K key, Stored<V> stored, long now) {
    long deadline = expiry.forAccess(now);
    if (deadline != Expiry.UNCHANGED) {
      stored.deadline = deadline;
      store.put(key, stored, loomcacheTtl(deadline, now));
    }
  }

  /**
   * Applies the access duration to an entry read without the lock: takes the lock only when the
   * policy changes the deadline, and only if the entry is still the one read.
   */
  void touchUnlocked(K key, Stored<V> read, long now) {
    long deadline = expiry.forAccess(now);
    if (deadline == Expiry.UNCHANGED) {
      return;
    }
    locked(
        key,
        () -> {
          if (store.getIfPresent(key) == read) {
            read.deadline = deadline;
            store.put(key, read, loomcacheTtl(deadline, now));
          }
          return null;
        });
  }

  /** Calls the writer, if any, for a write of {@code key}; a failure is a CacheWriterException. */
  void writeThrough(K key, V value) {
    if (writer != null) {
      try {
        writer.write(new CacheEntry<>(key, value));
      } catch (CacheWriterException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new CacheWriterException("The cache writer failed to write " + key, e);
      }
    }
  }

  /** Calls the writer, if any, for a delete of {@code key}; a failure is a CacheWriterException. */
  void deleteThrough(Object key) {
    if (writer != null) {
      try {
        writer.delete(key);
      } catch (CacheWriterException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new CacheWriterException("The cache writer failed to delete " + key, e);
      }
    }
  }

  boolean writesThrough() {
    return writer != null;
  }

  /** Returns the keys present now; a weakly consistent copy. */
  List<K> keySnapshot() {
    return new ArrayList<>(keys);
  }

  /** Removes every entry without the writer or events (JCache's {@code clear}); key by key. */
  void clear() {
    for (K key : keySnapshot()) {
      locked(
          key,
          () -> {
            forget(key);
            return null;
          });
    }
  }

  /** Drops every entry and closes the Loomcache store; for a cache being closed. */
  void close() {
    keys.clear();
    store.invalidateAll();
    store.close();
  }

  /** The number of key locks in use; for tests. */
  int lockCount() {
    return locks.laneCount();
  }

  private void put(K key, Stored<V> stored, long now) {
    keys.add(key);
    store.put(key, stored, loomcacheTtl(stored.deadline, now));
  }

  private void forget(K key) {
    store.invalidate(key);
    keys.remove(key);
  }

  private void publish(
      EventType type, K key, @Nullable V value, @Nullable V oldValue, Failures failures) {
    if (dispatcher.hasListenerFor(type)) {
      dispatcher.publish(new EntryEvent<>(source, type, copier, key, value, oldValue), failures);
    }
  }

  private static Duration loomcacheTtl(long deadline, long now) {
    if (deadline == Expiry.NEVER) {
      return Loomcache.NO_EXPIRY;
    }
    return Duration.ofNanos(Math.max(0, deadline - now)).plus(GRACE);
  }
}
