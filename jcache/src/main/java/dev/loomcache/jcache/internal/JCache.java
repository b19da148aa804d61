package dev.loomcache.jcache.internal;

import static java.util.Objects.requireNonNull;

import dev.loomcache.jcache.internal.EntryTable.Stored;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import org.jspecify.annotations.Nullable;

/**
 * A JCache {@link Cache} on Loomcache.
 *
 * <p>Each operation follows the specification's wording; the per-key protocol (locks, expiry,
 * writer, events) lives in {@link EntryTable}. Single-key operations are atomic per key: the
 * writer, the entry processor and synchronous listeners run with the key's lock held, never inside
 * a {@code ConcurrentHashMap.compute}. Bulk operations ({@code getAll}, {@code putAll}, {@code
 * removeAll}, {@code invokeAll}, {@code loadAll}) call the bulk loader or writer once, with no lock
 * held, then apply each key under its own lock: atomic per key, never across keys.
 *
 * <p>Statistics are counted as the TCK checks them; times are measured only while statistics are
 * enabled.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class JCache<K, V> implements Cache<K, V> {
  private static final System.Logger LOG = System.getLogger(JCache.class.getName());

  private final String name;
  private final JCacheManager manager;
  private final ReentrantLock lifecycle = new ReentrantLock();
  private final MutableConfiguration<K, V> configuration; // guarded by lifecycle
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final EventDispatcher<K, V> dispatcher = new EventDispatcher<>(executor);
  private final Statistics statistics = new Statistics();
  private final ConfigurationBean configurationBean = new ConfigurationBean(this);
  private final @Nullable CacheLoader<K, V> loader;
  private final @Nullable CacheWriter<K, V> writer;
  private final EntryTable<K, V> table;
  private volatile boolean closed;

  JCache(String name, JCacheManager manager, CompleteConfiguration<K, V> configuration) {
    this.name = name;
    this.manager = manager;
    this.configuration = new MutableConfiguration<>(configuration);
    Factory<CacheLoader<K, V>> loaderFactory = configuration.getCacheLoaderFactory();
    this.loader = loaderFactory == null ? null : loaderFactory.create();
    Factory<CacheWriter<? super K, ? super V>> writerFactory =
        configuration.getCacheWriterFactory();
    this.writer =
        configuration.isWriteThrough() && writerFactory != null
            ? narrow(writerFactory.create())
            : null;
    Factory<ExpiryPolicy> expiryFactory = configuration.getExpiryPolicyFactory();
    Copier copier =
        configuration.isStoreByValue()
            ? Copier.byValue(manager.getClassLoader())
            : Copier.byReference();
    this.table =
        new EntryTable<>(
            this, new Expiry(expiryFactory.create()), copier, dispatcher, statistics, writer);
    for (CacheEntryListenerConfiguration<K, V> listener :
        configuration.getCacheEntryListenerConfigurations()) {
      dispatcher.register(listener);
    }
    statistics.enable(configuration.isStatisticsEnabled());
  }

  /** A writer of supertypes writes these types: its methods only consume keys and values. */
  @SuppressWarnings("unchecked")
  private static <K, V> CacheWriter<K, V> narrow(CacheWriter<? super K, ? super V> writer) {
    return (CacheWriter<K, V>) writer;
  }

  /** The live configuration, for the MXBean; callers must not change it. */
  CompleteConfiguration<K, V> configuration() {
    return configuration;
  }

  // ---- reads

  @Override
  public @Nullable V get(K key) {
    requireOpen();
    requireNonNull(key, "key must not be null");
    long start = startTimer();
    V value = readOrLoad(key);
    if (start != 0) {
      statistics.recordGetNanos(System.nanoTime() - start);
    }
    return value;
  }

  private @Nullable V readOrLoad(K key) {
    long now = table.now();
    Stored<V> stored = table.peek(key, now);
    if (stored != null) {
      statistics.recordHits(1);
      table.touchUnlocked(key, stored, now);
      return table.copier().copy(stored.value);
    }
    statistics.recordMisses(1);
    if (!configuration.isReadThrough() || loader == null) {
      if (table.holds(key)) {
        expireIfDue(key);
      }
      return null;
    }
    Failures failures = new Failures();
    V value =
        table.locked(
            key,
            () -> {
              long at = table.now();
              Stored<V> current = table.live(key, at, failures);
              if (current != null) { // loaded by another caller meanwhile
                table.touch(key, current, at);
                return current.value;
              }
              V loaded = load(key);
              if (loaded != null) {
                table.store(
                    table.copier().copy(key), table.copier().copy(loaded), null, at, failures);
              }
              return loaded;
            });
    failures.throwIfAny();
    return value == null ? null : table.copier().copy(value);
  }

  /** Removes {@code key}'s entry if it has expired, publishing {@code EXPIRED}. */
  private void expireIfDue(K key) {
    Failures failures = new Failures();
    table.locked(key, () -> table.live(key, table.now(), failures));
    failures.throwIfAny();
  }

  private @Nullable V load(K key) {
    try {
      return requireNonNull(loader).load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("The cache loader failed to load " + key, e);
    }
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    requireOpen();
    requireNoNulls(keys);
    long start = startTimer();
    Map<K, V> result = new LinkedHashMap<>();
    List<K> missing = new ArrayList<>();
    long now = table.now();
    for (K key : keys) {
      Stored<V> stored = table.peek(key, now);
      if (stored == null) {
        missing.add(key);
      } else {
        table.touchUnlocked(key, stored, now);
        result.put(table.copier().copy(key), table.copier().copy(stored.value));
      }
    }
    statistics.recordHits(result.size());
    statistics.recordMisses(missing.size());
    if (!missing.isEmpty()) {
      if (configuration.isReadThrough() && loader != null) {
        loadMissing(missing, result);
      } else {
        for (K key : missing) {
          if (table.holds(key)) {
            expireIfDue(key);
          }
        }
      }
    }
    if (start != 0) {
      statistics.recordGetNanos(System.nanoTime() - start);
    }
    return result;
  }

  private void loadMissing(List<K> missing, Map<K, V> result) {
    Map<K, V> loaded;
    try {
      loaded = requireNonNull(loader).loadAll(missing);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("The cache loader failed to load " + missing, e);
    }
    Failures failures = new Failures();
    for (K key : missing) {
      V value = loaded == null ? null : loaded.get(key);
      if (value == null) {
        continue;
      }
      V kept =
          table.locked(
              key,
              () -> {
                long now = table.now();
                Stored<V> current = table.live(key, now, failures);
                if (current != null) {
                  return current.value;
                }
                table.store(
                    table.copier().copy(key), table.copier().copy(value), null, now, failures);
                return value;
              });
      result.put(table.copier().copy(key), table.copier().copy(kept));
    }
    failures.throwIfAny();
  }

  @Override
  public boolean containsKey(K key) {
    requireOpen();
    requireNonNull(key, "key must not be null");
    if (table.peek(key, table.now()) != null) {
      return true;
    }
    if (table.holds(key)) {
      expireIfDue(key);
    }
    return false;
  }

  @Override
  public void loadAll(
      Set<? extends K> keys,
      boolean replaceExistingValues,
      @Nullable CompletionListener completionListener) {
    requireOpen();
    requireNoNulls(keys);
    CompletionListener listener = completionListener == null ? NO_LISTENER : completionListener;
    if (loader == null) {
      listener.onCompletion();
      return;
    }
    List<K> requested = List.copyOf(keys);
    try {
      executor.execute(() -> {
        try {
          loadAllNow(requested, replaceExistingValues);
        } catch (CacheLoaderException e) {
          listener.onException(e);
          return;
        } catch (RuntimeException e) {
          listener.onException(new CacheLoaderException(e));
          return;
        }
        listener.onCompletion();
      });
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("The cache " + name + " is closed", e);
    }
  }

  private void loadAllNow(List<K> requested, boolean replaceExistingValues) {
    List<K> toLoad = new ArrayList<>();
    long now = table.now();
    for (K key : requested) {
      if (replaceExistingValues || table.peek(key, now) == null) {
        toLoad.add(key);
      }
    }
    if (toLoad.isEmpty()) {
      return;
    }
    Map<K, V> loaded = requireNonNull(loader).loadAll(toLoad);
    if (loaded == null) {
      return;
    }
    Failures failures = new Failures();
    for (Map.Entry<K, V> entry : loaded.entrySet()) {
      K key = entry.getKey();
      V value = entry.getValue();
      if (key == null || value == null) {
        continue;
      }
      table.locked(
          key,
          () -> {
            long at = table.now();
            Stored<V> current = table.live(key, at, failures);
            if (current == null || replaceExistingValues) {
              table.store(
                  table.copier().copy(key), table.copier().copy(value), current, at, failures);
            }
            return null;
          });
    }
    failures.throwIfAny();
  }

  // ---- writes

  @Override
  public void put(K key, V value) {
    requireOpen();
    requireNonNull(key, "key must not be null");
    requireNonNull(value, "value must not be null");
    long start = startTimer();
    Failures failures = new Failures();
    boolean stored = table.locked(key, () -> putLocked(key, value, failures) != NOT_STORED);
    if (stored) {
      statistics.recordPuts(1);
      if (start != 0) {
        statistics.recordPutNanos(System.nanoTime() - start);
      }
    }
    failures.throwIfAny();
  }

  private static final Object NOT_STORED = new Object();

  /**
   * Writes through and stores; returns the old value, null if there was none, or {@link
   * #NOT_STORED}. Locked.
   */
  private @Nullable Object putLocked(K key, V value, Failures failures) {
    long now = table.now();
    Stored<V> old = table.live(key, now, failures);
    table.writeThrough(key, value);
    boolean stored =
        table.store(table.copier().copy(key), table.copier().copy(value), old, now, failures);
    if (!stored) {
      return NOT_STORED;
    }
    return old == null ? null : old.value;
  }

  @Override
  @SuppressWarnings("unchecked")
  public @Nullable V getAndPut(K key, V value) {
    requireOpen();
    requireNonNull(key, "key must not be null");
    requireNonNull(value, "value must not be null");
    long start = startTimer();
    Failures failures = new Failures();
    @Nullable Object[] old = new @Nullable Object[1];
    boolean stored =
        table.locked(
            key,
            () -> {
              Stored<V> before = table.live(key, table.now(), failures);
              old[0] = before == null ? null : before.value;
              return putLocked(key, value, failures) != NOT_STORED;
            });
    statistics.recordHits(old[0] == null ? 0 : 1);
    statistics.recordMisses(old[0] == null ? 1 : 0);
    if (stored) {
      statistics.recordPuts(1);
    }
    if (start != 0) {
      long elapsed = System.nanoTime() - start;
      statistics.recordGetNanos(elapsed);
      if (stored) {
        statistics.recordPutNanos(elapsed);
      }
    }
    failures.throwIfAny();
    return old[0] == null ? null : table.copier().copy((V) old[0]);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    requireOpen();
    requireNonNull(map, "map must not be null");
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      requireNonNull(entry.getKey(), "map must not contain a null key");
      requireNonNull(entry.getValue(), "map must not contain a null value");
    }
    long start = startTimer();
    Failures failures = new Failures();
    Set<K> failed = writeAllThrough(map, failures);
    int stored = 0;
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      K key = entry.getKey();
      V value = entry.getValue();
      if (failed.contains(key)) {
        continue;
      }
      boolean done =
          table.locked(
              key,
              () -> {
                long now = table.now();
                Stored<V> old = table.live(key, now, failures);
                return table.store(
                    table.copier().copy(key), table.copier().copy(value), old, now, failures);
              });
      stored += done ? 1 : 0;
    }
    statistics.recordPuts(stored);
    if (start != 0 && stored > 0) {
      statistics.recordPutNanos(System.nanoTime() - start);
    }
    failures.throwIfAny();
  }

  /**
   * Calls the writer's {@code writeAll} for the whole map, with no lock held; returns the keys it
   * failed to write (those it left in the collection when it threw), adding its failure.
   */
  private Set<K> writeAllThrough(Map<? extends K, ? extends V> map, Failures failures) {
    if (writer == null || map.isEmpty()) {
      return Set.of();
    }
    Collection<Cache.Entry<? extends K, ? extends V>> entries = new ArrayList<>(map.size());
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      entries.add(new CacheEntry<>(entry.getKey(), entry.getValue()));
    }
    try {
      writer.writeAll(entries);
      return Set.of();
    } catch (RuntimeException e) {
      failures.add(e instanceof CacheWriterException ? e : new CacheWriterException(e));
      Set<K> failed = new LinkedHashSet<>();
      for (Cache.Entry<? extends K, ? extends V> entry : entries) {
        failed.add(entry.getKey());
      }
      return failed;
    }
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    requireOpen();
    requireNonNull(key, "key must not be null");
    requireNonNull(value, "value must not be null");
    long start = startTimer();
    Failures failures = new Failures();
    boolean[] present = new boolean[1];
    boolean stored =
        table.locked(
            key,
            () -> {
              long now = table.now();
              if (table.live(key, now, failures) != null) {
                present[0] = true;
                return false;
              }
              table.writeThrough(key, value);
              return table.store(
                  table.copier().copy(key), table.copier().copy(value), null, now, failures);
            });
    statistics.recordHits(present[0] ? 1 : 0);
    statistics.recordMisses(present[0] ? 0 : 1);
    if (stored) {
      statistics.recordPuts(1);
      if (start != 0) {
        statistics.recordPutNanos(System.nanoTime() - start);
      }
    }
    failures.throwIfAny();
    return stored;
  }

  @Override
  public boolean remove(K key) {
    requireOpen();
    requireNonNull(key, "key must not be null");
    long start = startTimer();
    Failures failures = new Failures();
    boolean removed =
        table.locked(
            key,
            () -> {
              Stored<V> old = table.live(key, table.now(), failures);
              table.deleteThrough(key);
              if (old == null) {
                return false;
              }
              table.remove(key, old, failures);
              return true;
            });
    if (removed) {
      statistics.recordRemovals(1);
      if (start != 0) {
        statistics.recordRemoveNanos(System.nanoTime() - start);
      }
    }
    failures.throwIfAny();
    return removed;
  }

  @Override
  public boolean remove(K key, V oldValue) {
    requireOpen();
    requireNonNull(key, "key must not be null");
    requireNonNull(oldValue, "oldValue must not be null");
    long start = startTimer();
    Failures failures = new Failures();
    boolean[] found = new boolean[1];
    boolean removed =
        table.locked(
            key,
            () -> {
              long now = table.now();
              Stored<V> old = table.live(key, now, failures);
              if (old == null) {
                return false;
              }
              found[0] = true;
              if (!old.value.equals(oldValue)) {
                table.touch(key, old, now);
                return false;
              }
              table.deleteThrough(key);
              table.remove(key, old, failures);
              return true;
            });
    statistics.recordHits(found[0] ? 1 : 0);
    statistics.recordMisses(found[0] ? 0 : 1);
    if (start != 0) {
      long elapsed = System.nanoTime() - start;
      statistics.recordGetNanos(elapsed);
      if (removed) {
        statistics.recordRemoveNanos(elapsed);
      }
    }
    if (removed) {
      statistics.recordRemovals(1);
    }
    failures.throwIfAny();
    return removed;
  }

  @Override
  public @Nullable V getAndRemove(K key) {
    requireOpen();
    requireNonNull(key, "key must not be null");
    long start = startTimer();
    Failures failures = new Failures();
    V old =
        table.locked(
            key,
            () -> {
              Stored<V> current = table.live(key, table.now(), failures);
              table.deleteThrough(key);
              if (current == null) {
                return null;
              }
              table.remove(key, current, failures);
              return current.value;
            });
    statistics.recordHits(old == null ? 0 : 1);
    statistics.recordMisses(old == null ? 1 : 0);
    statistics.recordRemovals(old == null ? 0 : 1);
    if (start != 0) {
      long elapsed = System.nanoTime() - start;
      statistics.recordGetNanos(elapsed);
      if (old != null) {
        statistics.recordRemoveNanos(elapsed);
      }
    }
    failures.throwIfAny();
    return old == null ? null : table.copier().copy(old);
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    requireOpen();
    requireNonNull(key, "key must not be null");
    requireNonNull(oldValue, "oldValue must not be null");
    requireNonNull(newValue, "newValue must not be null");
    long start = startTimer();
    Failures failures = new Failures();
    boolean[] found = new boolean[1];
    boolean replaced =
        table.locked(
            key,
            () -> {
              long now = table.now();
              Stored<V> old = table.live(key, now, failures);
              if (old == null) {
                return false;
              }
              found[0] = true;
              if (!old.value.equals(oldValue)) {
                table.touch(key, old, now);
                return false;
              }
              table.writeThrough(key, newValue);
              return table.store(
                  table.copier().copy(key), table.copier().copy(newValue), old, now, failures);
            });
    recordReplace(found[0], replaced, start);
    failures.throwIfAny();
    return replaced;
  }

  @Override
  public boolean replace(K key, V value) {
    return replaceAndGet(key, value) != null;
  }

  @Override
  public @Nullable V getAndReplace(K key, V value) {
    V old = replaceAndGet(key, value);
    return old == null ? null : table.copier().copy(old);
  }

  /** Replaces a present value; returns the old value (not copied), or null if absent. */
  private @Nullable V replaceAndGet(K key, V value) {
    requireOpen();
    requireNonNull(key, "key must not be null");
    requireNonNull(value, "value must not be null");
    long start = startTimer();
    Failures failures = new Failures();
    V old =
        table.locked(
            key,
            () -> {
              long now = table.now();
              Stored<V> current = table.live(key, now, failures);
              if (current == null) {
                return null;
              }
              table.writeThrough(key, value);
              table.store(
                  table.copier().copy(key), table.copier().copy(value), current, now, failures);
              return current.value;
            });
    recordReplace(old != null, old != null, start);
    failures.throwIfAny();
    return old;
  }

  private void recordReplace(boolean found, boolean replaced, long start) {
    statistics.recordHits(found ? 1 : 0);
    statistics.recordMisses(found ? 0 : 1);
    statistics.recordPuts(replaced ? 1 : 0);
    if (start != 0) {
      long elapsed = System.nanoTime() - start;
      statistics.recordGetNanos(elapsed);
      if (replaced) {
        statistics.recordPutNanos(elapsed);
      }
    }
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    requireOpen();
    requireNoNulls(keys);
    removeEach(new LinkedHashSet<K>(keys));
  }

  @Override
  public void removeAll() {
    requireOpen();
    removeEach(new LinkedHashSet<>(table.keySnapshot()));
  }

  private void removeEach(Set<K> keys) {
    long start = startTimer();
    Failures failures = new Failures();
    Set<K> failed = deleteAllThrough(keys, failures);
    int removed = 0;
    for (K key : keys) {
      if (failed.contains(key)) {
        continue;
      }
      boolean done =
          table.locked(
              key,
              () -> {
                Stored<V> old = table.live(key, table.now(), failures);
                if (old == null) {
                  return false;
                }
                table.remove(key, old, failures);
                return true;
              });
      removed += done ? 1 : 0;
    }
    statistics.recordRemovals(removed);
    if (start != 0 && removed > 0) {
      statistics.recordRemoveNanos(System.nanoTime() - start);
    }
    failures.throwIfAny();
  }

  /** Calls the writer's {@code deleteAll} with no lock held; returns the keys it failed on. */
  private Set<K> deleteAllThrough(Set<K> keys, Failures failures) {
    if (writer == null || keys.isEmpty()) {
      return Set.of();
    }
    Set<K> remaining = new LinkedHashSet<>(keys);
    try {
      writer.deleteAll(remaining);
      return Set.of();
    } catch (RuntimeException e) {
      failures.add(e instanceof CacheWriterException ? e : new CacheWriterException(e));
      return remaining;
    }
  }

  @Override
  public void clear() {
    requireOpen();
    table.clear();
  }

  // ---- entry processors

  @Override
  public <T> @Nullable T invoke(
      K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    requireOpen();
    requireNonNull(key, "key must not be null");
    requireNonNull(entryProcessor, "entryProcessor must not be null");
    Failures failures = new Failures();
    T result = table.locked(key, () -> processLocked(key, entryProcessor, arguments, failures));
    failures.throwIfAny();
    return result;
  }

  private <T> @Nullable T processLocked(
      K key, EntryProcessor<K, V, T> processor, Object[] arguments, Failures failures) {
    long now = table.now();
    Stored<V> old = table.live(key, now, failures);
    statistics.recordHits(old == null ? 0 : 1);
    statistics.recordMisses(old == null ? 1 : 0);
    CacheLoader<K, V> readThrough = configuration.isReadThrough() ? loader : null;
    var entry =
        new ProcessorEntry<K, V>(
            key, old == null ? null : table.copier().copy(old.value), readThrough);
    try {
      T result = processor.process(entry, arguments);
      apply(key, old, entry, now, failures);
      return result;
    } catch (EntryProcessorException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new EntryProcessorException(e);
    }
  }

  /** Applies what an entry processor did; locked. */
  private void apply(
      K key, @Nullable Stored<V> old, ProcessorEntry<K, V> entry, long now, Failures failures) {
    switch (entry.action()) {
      case NONE -> {}
      case READ -> table.touch(key, requireNonNull(old), now);
      case LOADED ->
          table.store(
              table.copier().copy(key),
              table.copier().copy(requireNonNull(entry.getValue())),
              null,
              now,
              failures);
      case CREATED, UPDATED -> {
        V value = requireNonNull(entry.getValue());
        table.writeThrough(key, value);
        if (table.store(table.copier().copy(key), table.copier().copy(value), old, now, failures)) {
          statistics.recordPuts(1);
        }
      }
      case DELETED -> {
        table.deleteThrough(key);
        if (old != null) {
          table.remove(key, old, failures);
          statistics.recordRemovals(1);
        }
      }
    }
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(
      Set<? extends K> keys, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    requireOpen();
    requireNoNulls(keys);
    requireNonNull(entryProcessor, "entryProcessor must not be null");
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keys) {
      try {
        T result = invoke(key, entryProcessor, arguments);
        if (result != null) {
          results.put(key, () -> result);
        }
      } catch (RuntimeException e) {
        EntryProcessorException failure =
            e instanceof EntryProcessorException processorFailure
                ? processorFailure
                : new EntryProcessorException(e);
        results.put(
            key,
            () -> {
              throw failure;
            });
      }
    }
    return results;
  }

  // ---- the rest of Cache

  @Override
  public String getName() {
    return name;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> type) {
    lifecycle.lock();
    try {
      MutableConfiguration<K, V> copy = new MutableConfiguration<>(configuration);
      if (type.isInstance(copy)) {
        return type.cast(copy);
      }
    } finally {
      lifecycle.unlock();
    }
    throw new IllegalArgumentException(
        "The configuration of a Loomcache JCache is not a " + type.getName());
  }

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
    requireNonNull(listener, "listener must not be null");
    lifecycle.lock();
    try {
      requireOpen();
      configuration.addCacheEntryListenerConfiguration(listener); // throws if registered
      dispatcher.register(listener);
    } finally {
      lifecycle.unlock();
    }
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
    requireNonNull(listener, "listener must not be null");
    lifecycle.lock();
    try {
      requireOpen();
      configuration.removeCacheEntryListenerConfiguration(listener);
      dispatcher.deregister(listener);
    } finally {
      lifecycle.unlock();
    }
  }

  @Override
  public Iterator<Cache.Entry<K, V>> iterator() {
    requireOpen();
    return new EntryIterator(table.keySnapshot().iterator());
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("Cannot unwrap a Loomcache JCache to " + type.getName());
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes this cache: unregisters its MXBeans, removes it from its manager, waits (up to ten
   * seconds) for running {@code loadAll} calls and queued asynchronous events, closes the loader,
   * writer, expiry policy and listeners that are {@link AutoCloseable}, and drops its entries.
   * Idempotent. If interrupted while waiting, stops waiting and restores the interrupt status.
   */
  @Override
  public void close() {
    lifecycle.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      Mbeans.unregister(this, Mbeans.Type.CONFIGURATION);
      Mbeans.unregister(this, Mbeans.Type.STATISTICS);
    } finally {
      lifecycle.unlock();
    }
    manager.forget(this);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.log(
            System.Logger.Level.WARNING,
            "Cache " + name + " closed with loads or events still running");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Closing.closeQuietly(loader, "the cache loader");
    Closing.closeQuietly(writer, "the cache writer");
    Closing.closeQuietly(table.expiry().policy(), "the expiry policy");
    dispatcher.closeAll();
    table.close();
  }

  /** Registers or unregisters the {@code CacheConfiguration} MXBean. */
  void enableManagement(boolean enabled) {
    lifecycle.lock();
    try {
      requireOpen();
      if (enabled) {
        Mbeans.register(this, Mbeans.Type.CONFIGURATION, configurationBean);
      } else {
        Mbeans.unregister(this, Mbeans.Type.CONFIGURATION);
      }
      configuration.setManagementEnabled(enabled);
    } finally {
      lifecycle.unlock();
    }
  }

  /** Starts or stops counting, and registers or unregisters the {@code CacheStatistics} MXBean. */
  void enableStatistics(boolean enabled) {
    lifecycle.lock();
    try {
      requireOpen();
      if (enabled) {
        Mbeans.register(this, Mbeans.Type.STATISTICS, statistics);
      } else {
        Mbeans.unregister(this, Mbeans.Type.STATISTICS);
      }
      statistics.enable(enabled);
      configuration.setStatisticsEnabled(enabled);
    } finally {
      lifecycle.unlock();
    }
  }

  /** The statistics, enabled or not; for tests. */
  Statistics statistics() {
    return statistics;
  }

  /** The number of key locks in use; for tests. */
  int lockCount() {
    return table.lockCount();
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("The cache " + name + " is closed");
    }
  }

  private long startTimer() {
    return statistics.isEnabled() ? System.nanoTime() : 0;
  }

  private static void requireNoNulls(Collection<?> keys) {
    requireNonNull(keys, "keys must not be null");
    for (Object key : keys) {
      requireNonNull(key, "keys must not contain null");
    }
  }

  private static final CompletionListener NO_LISTENER =
      new CompletionListener() {
        @Override
        public void onCompletion() {}

        @Override
        public void onException(Exception e) {}
      };

  /** Iterates over a snapshot of the keys, skipping entries gone or expired since. */
  private final class EntryIterator implements Iterator<Cache.Entry<K, V>> {
    private final Iterator<K> keys;
    private @Nullable CacheEntry<K, V> next;
    private @Nullable K last;

    EntryIterator(Iterator<K> keys) {
      this.keys = keys;
    }

    @Override
    public boolean hasNext() {
      requireOpen();
      while (next == null && keys.hasNext()) {
        K key = keys.next();
        long now = table.now();
        Stored<V> stored = table.peek(key, now);
        if (stored == null) {
          expireIfDue(key); // removes and publishes an expired entry, prunes a dropped key
          continue;
        }
        table.touchUnlocked(key, stored, now);
        next = new CacheEntry<>(table.copier().copy(key), table.copier().copy(stored.value));
      }
      return next != null;
    }

    @Override
    public Cache.Entry<K, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      CacheEntry<K, V> entry = requireNonNull(next);
      next = null;
      last = entry.getKey();
      statistics.recordHits(1);
      return entry;
    }

    @Override
    public void remove() {
      requireOpen();
      if (last == null) {
        throw new IllegalStateException("next() has not returned an entry to remove");
      }
      JCache.this.remove(last);
      last = null;
    }
  }
}
