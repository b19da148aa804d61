package dev.loomcache.jcache.internal;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.jspecify.annotations.Nullable;

/**
 * A JCache {@link CacheManager}: the named caches of one URI and class loader.
 *
 * <p>Creating, destroying and closing are serialized by one lock (they call user factories and
 * close user objects, so it is a {@link ReentrantLock}); looking a cache up never blocks.
 */
public final class JCacheManager implements CacheManager {
  private final CachingProvider provider;
  private final URI uri;
  private final ClassLoader classLoader;
  private final Properties properties;
  private final Runnable onClose;
  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentHashMap<String, JCache<?, ?>> caches = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param onClose run once when this manager closes (the provider forgets it)
   */
  public JCacheManager(
      CachingProvider provider,
      URI uri,
      ClassLoader classLoader,
      Properties properties,
      Runnable onClose) {
    this.provider = requireNonNull(provider);
    this.uri = requireNonNull(uri);
    this.classLoader = requireNonNull(classLoader);
    this.properties = requireNonNull(properties);
    this.onClose = requireNonNull(onClose);
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public ClassLoader getClassLoader() {
    return classLoader;
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  @Override
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(
      String cacheName, C configuration) {
    requireNonNull(cacheName, "cacheName must not be null");
    requireNonNull(configuration, "configuration must not be null");
    lock.lock();
    try {
      requireOpen();
      if (caches.containsKey(cacheName)) {
        throw new CacheException("A cache named " + cacheName + " exists");
      }
      var cache = new JCache<K, V>(cacheName, this, complete(configuration));
      caches.put(cacheName, cache);
      if (configuration instanceof CompleteConfiguration<?, ?> complete) {
        if (complete.isManagementEnabled()) {
          cache.enableManagement(true);
        }
        if (complete.isStatisticsEnabled()) {
          cache.enableStatistics(true);
        }
      }
      return cache;
    } finally {
      lock.unlock();
    }
  }

  private static <K, V> CompleteConfiguration<K, V> complete(Configuration<K, V> configuration) {
    if (configuration instanceof CompleteConfiguration<K, V> complete) {
      return complete;
    }
    return new MutableConfiguration<K, V>()
        .setTypes(configuration.getKeyType(), configuration.getValueType())
        .setStoreByValue(configuration.isStoreByValue());
  }

  @Override
  public <K, V> @Nullable Cache<K, V> getCache(
      String cacheName, Class<K> keyType, Class<V> valueType) {
    requireNonNull(cacheName, "cacheName must not be null");
    requireNonNull(keyType, "keyType must not be null");
    requireNonNull(valueType, "valueType must not be null");
    requireOpen();
    JCache<?, ?> cache = caches.get(cacheName);
    if (cache == null) {
      return null;
    }
    CompleteConfiguration<?, ?> configuration = cache.configuration();
    if (configuration.getKeyType() != keyType) {
      throw new ClassCastException(
          "The cache "
              + cacheName
              + " has keys of "
              + configuration.getKeyType().getName()
              + ", not "
              + keyType.getName());
    }
    if (configuration.getValueType() != valueType) {
      throw new ClassCastException(
          "The cache "
              + cacheName
              + " has values of "
              + configuration.getValueType().getName()
              + ", not "
              + valueType.getName());
    }
    @SuppressWarnings("unchecked")
    Cache<K, V> typed = (Cache<K, V>) cache;
    return typed;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> @Nullable Cache<K, V> getCache(String cacheName) {
    requireNonNull(cacheName, "cacheName must not be null");
    requireOpen();
    return (Cache<K, V>) caches.get(cacheName);
  }

  @Override
  public Iterable<String> getCacheNames() {
    requireOpen();
    return Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
  }

  @Override
  public void destroyCache(String cacheName) {
    requireNonNull(cacheName, "cacheName must not be null");
    lock.lock();
    try {
      requireOpen();
      JCache<?, ?> cache = caches.get(cacheName);
      if (cache != null) {
        cache.clear();
        cache.close();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    requireNonNull(cacheName, "cacheName must not be null");
    requireOpen();
    JCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.enableManagement(enabled);
    }
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    requireNonNull(cacheName, "cacheName must not be null");
    requireOpen();
    JCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.enableStatistics(enabled);
    }
  }

  /** Removes a closing cache; called by {@link JCache#close()}. */
  void forget(JCache<?, ?> cache) {
    caches.remove(cache.getName(), cache);
  }

  /** Closes every cache of this manager, then the manager; idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      List<JCache<?, ?>> open = new ArrayList<>(caches.values());
      for (JCache<?, ?> cache : open) {
        cache.close();
      }
      caches.clear();
    } finally {
      lock.unlock();
    }
    onClose.run();
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException(
        "Cannot unwrap a Loomcache CacheManager to " + type.getName());
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("The cache manager " + uri + " is closed");
    }
  }
}
