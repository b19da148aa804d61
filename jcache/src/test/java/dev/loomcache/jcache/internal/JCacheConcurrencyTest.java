package dev.loomcache.jcache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The concurrency design of the provider, with real virtual threads: per-key locks that never hold
 * other keys, lock-free reads, single-flight read-through, re-entrant user code, ordered async
 * events, and no lock left behind. Threads are lined up with latches, never with sleeps.
 */
class JCacheConcurrencyTest {
  /** User code of the tests, shared with the factories (which must be serializable). */
  static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

  static final AtomicInteger LOADS = new AtomicInteger();
  static final List<Integer> SEEN = new CopyOnWriteArrayList<>();

  private CacheManager manager;

  @BeforeEach
  void setUp() {
    CachingProvider provider = Caching.getCachingProvider();
    manager =
        provider.getCacheManager(
            URI.create("loomcache:concurrency-test"), provider.getDefaultClassLoader());
    GATES.clear();
    LOADS.set(0);
    SEEN.clear();
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  /** A writer that parks on the gate named after the key's value, if there is one. */
  public static final class GatedWriter implements CacheWriter<String, String>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public void write(Cache.Entry<? extends String, ? extends String> entry) {
      CountDownLatch entered = GATES.get("entered:" + entry.getValue());
      CountDownLatch gate = GATES.get(entry.getValue());
      if (gate != null) {
        entered.countDown();
        awaitQuietly(gate);
      }
    }

    @Override
    public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
      entries.removeIf(entry -> {
        write(entry);
        return true;
      });
    }

    @Override
    public void delete(Object key) {}

    @Override
    public void deleteAll(Collection<?> keys) {
      keys.clear();
    }
  }

  /** A loader that counts its calls and parks on the "load" gate. */
  public static final class GatedLoader implements CacheLoader<String, String>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public String load(String key) {
      LOADS.incrementAndGet();
      GATES.get("entered:load").countDown();
      awaitQuietly(GATES.get("load"));
      return "loaded " + key;
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      var result = new java.util.HashMap<String, String>();
      keys.forEach(key -> result.put(key, load(key)));
      return result;
    }
  }

  /** An asynchronous listener that records the values it sees, in order. */
  public static final class RecordingListener
      implements CacheEntryCreatedListener<String, Integer>,
          CacheEntryUpdatedListener<String, Integer>,
          Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      events.forEach(event -> SEEN.add(event.getValue()));
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      events.forEach(event -> SEEN.add(event.getValue()));
    }
  }

  /** A synchronous listener that fails on every event. */
  public static final class FailingListener
      implements CacheEntryCreatedListener<String, String>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      throw new IllegalStateException("listener failed");
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gate never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Cache<String, String> writeThroughCache() {
    return manager.createCache(
        "write-through",
        new MutableConfiguration<String, String>()
            .setTypes(String.class, String.class)
            .setWriteThrough(true)
            .setCacheWriterFactory(FactoryBuilder.factoryOf(GatedWriter.class)));
  }

  @Test
  void put_whileAnotherKeysWriterIsParked_completesAndReadsStayLockFree() throws Exception {
    Cache<String, String> cache = writeThroughCache();
    cache.put("a", "old");
    GATES.put("entered:slow", new CountDownLatch(1));
    GATES.put("slow", new CountDownLatch(1));
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<?> slowPut = threads.submit(() -> cache.put("a", "slow"));
      GATES.get("entered:slow").await();

      cache.put("b", "fast"); // another key: not held by a's writer
      assertThat(cache.get("b")).isEqualTo("fast");
      assertThat(cache.get("a")).isEqualTo("old"); // a read does not wait for a's writer
      assertThat(slowPut.isDone()).isFalse();

      GATES.get("slow").countDown();
      slowPut.get(30, TimeUnit.SECONDS);
    }
    assertThat(cache.get("a")).isEqualTo("slow");
    assertThat(cache.unwrap(JCache.class).lockCount()).isZero();
  }

  @Test
  void putIfAbsent_sameKeyWhileWriterIsParked_waitsAndSeesTheValue() throws Exception {
    Cache<String, String> cache = writeThroughCache();
    GATES.put("entered:first", new CountDownLatch(1));
    GATES.put("first", new CountDownLatch(1));
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Boolean> first = threads.submit(() -> cache.putIfAbsent("k", "first"));
      GATES.get("entered:first").await();
      Future<Boolean> second = threads.submit(() -> cache.putIfAbsent("k", "second"));
      GATES.get("first").countDown();

      assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
      assertThat(second.get(30, TimeUnit.SECONDS)).isFalse(); // atomic: it saw "first"
    }
    assertThat(cache.get("k")).isEqualTo("first");
  }

  @Test
  void get_readThroughStampede_loadsOnce() throws Exception {
    Cache<String, String> cache =
        manager.createCache(
            "read-through",
            new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setReadThrough(true)
                .setCacheLoaderFactory(FactoryBuilder.factoryOf(GatedLoader.class)));
    GATES.put("entered:load", new CountDownLatch(1));
    GATES.put("load", new CountDownLatch(1));
    List<Future<String>> results = new ArrayList<>();
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 1_000; i++) {
        results.add(threads.submit(() -> cache.get("hot")));
      }
      GATES.get("entered:load").await();
      GATES.get("load").countDown();
      for (Future<String> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("loaded hot");
      }
    }
    assertThat(LOADS.get()).isEqualTo(1);
    assertThat(cache.unwrap(JCache.class).lockCount()).isZero();
  }

  @Test
  void invoke_processorReadsItsOwnKeyThroughTheCache_doesNotDeadlock() {
    Cache<String, String> cache =
        manager.createCache(
            "reentrant",
            new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    cache.put("k", "v");

    String seen =
        cache.invoke(
            "k",
            (entry, arguments) -> {
              String inside = cache.get("k"); // same key, same thread: the key's lock is re-entrant
              entry.setValue(inside + "!");
              return inside;
            });

    assertThat(seen).isEqualTo("v");
    assertThat(cache.get("k")).isEqualTo("v!");
  }

  @Test
  void put_asyncListener_seesOneKeysEventsInOrder() throws Exception {
    Cache<String, Integer> cache =
        manager.createCache(
            "ordered",
            new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
    cache.registerCacheEntryListener(
        new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(RecordingListener.class), null, false, false));

    for (int i = 0; i < 1_000; i++) {
      cache.put("k", i);
    }
    cache.close(); // waits for queued asynchronous events

    assertThat(SEEN).hasSize(1_000);
    for (int i = 0; i < 1_000; i++) {
      assertThat(SEEN.get(i)).isEqualTo(i);
    }
  }

  @Test
  void put_syncListenerThrows_changeStaysAndCallerGetsListenerException() {
    Cache<String, String> cache =
        manager.createCache(
            "failing-listener",
            new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    cache.registerCacheEntryListener(
        new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(FailingListener.class), null, false, true));

    assertThatThrownBy(() -> cache.put("k", "v"))
        .isInstanceOf(CacheEntryListenerException.class)
        .hasRootCauseMessage("listener failed");
    assertThat(cache.get("k")).isEqualTo("v");
    assertThat(cache.unwrap(JCache.class).lockCount()).isZero();
  }

  @Test
  void put_storeByValue_cacheKeepsItsOwnCopy() {
    Cache<String, ArrayList<String>> cache =
        manager.createCache("by-value", new MutableConfiguration<String, ArrayList<String>>());
    var list = new ArrayList<>(List.of("a"));
    cache.put("k", list);
    list.add("changed by the caller");

    ArrayList<String> read = cache.get("k");
    read.add("changed by a reader");

    assertThat(cache.get("k")).containsExactly("a");
  }
}
