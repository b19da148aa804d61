package dev.loomcache.jcache;

import static java.util.Objects.requireNonNull;

import dev.loomcache.jcache.internal.JCacheManager;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;
import org.jspecify.annotations.Nullable;

/**
 * The JCache {@link CachingProvider} of Loomcache, found by {@code Caching.getCachingProvider()}
 * through the service loader.
 *
 * <pre>{@code
 * CachingProvider provider = Caching.getCachingProvider();
 * CacheManager manager = provider.getCacheManager();
 * Cache<String, Integer> cache = manager.createCache("counts",
 *     new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
 * }</pre>
 *
 * <p>Caches store by value (copies made by Java serialization) unless configured to store by
 * reference, which is supported. A provider keeps one {@link CacheManager} per class loader and
 * URI; every method is thread-safe. Creating or closing managers may park the calling thread while
 * another thread does the same; getting an existing manager never blocks for long.
 */
public final class LoomcacheCachingProvider implements CachingProvider {
  private static final URI DEFAULT_URI = URI.create("loomcache:default");

  private final ReentrantLock lock = new ReentrantLock();
  // Weak keys: a class loader that is gone takes its managers with it.
  private final Map<ClassLoader, Map<URI, JCacheManager>> managers = new WeakHashMap<>();

  /** Creates a provider; {@code Caching} calls this through the service loader. */
  public LoomcacheCachingProvider() {}

  /**
   * Returns the manager of {@code uri} and {@code classLoader}, creating it if needed (with {@code
   * properties}; the properties of an existing manager are kept).
   */
  @Override
  public CacheManager getCacheManager(
      @Nullable URI uri, @Nullable ClassLoader classLoader, @Nullable Properties properties) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Properties managerProperties = properties == null ? new Properties() : properties;
    lock.lock();
    try {
      Map<URI, JCacheManager> byUri = managers.computeIfAbsent(loader, l -> new HashMap<>());
      JCacheManager manager = byUri.get(managerUri);
      if (manager == null || manager.isClosed()) {
        manager =
            new JCacheManager(
                this, managerUri, loader, managerProperties, () -> forget(loader, managerUri));
        byUri.put(managerUri, manager);
      }
      return manager;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CacheManager getCacheManager(@Nullable URI uri, @Nullable ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context == null ? LoomcacheCachingProvider.class.getClassLoader() : context;
  }

  @Override
  public URI getDefaultURI() {
    return DEFAULT_URI;
  }

  @Override
  public Properties getDefaultProperties() {
    return new Properties();
  }

  /** Closes every manager this provider made. */
  @Override
  public void close() {
    for (JCacheManager manager : takeAll(null)) {
      manager.close();
    }
  }

  /** Closes the managers of {@code classLoader}. */
  @Override
  public void close(ClassLoader classLoader) {
    requireNonNull(classLoader, "classLoader must not be null");
    for (JCacheManager manager : takeAll(classLoader)) {
      manager.close();
    }
  }

  /** Closes the manager of {@code uri} and {@code classLoader}, if there is one. */
  @Override
  public void close(URI uri, ClassLoader classLoader) {
    requireNonNull(uri, "uri must not be null");
    requireNonNull(classLoader, "classLoader must not be null");
    JCacheManager manager;
    lock.lock();
    try {
      Map<URI, JCacheManager> byUri = managers.get(classLoader);
      manager = byUri == null ? null : byUri.remove(uri);
    } finally {
      lock.unlock();
    }
    if (manager != null) {
      manager.close();
    }
  }

  /** Store-by-reference is the one optional feature; it is supported. */
  @Override
  public boolean isSupported(OptionalFeature optionalFeature) {
    return optionalFeature == OptionalFeature.STORE_BY_REFERENCE;
  }

  /** Removes and returns the managers of {@code classLoader}, or all of them for null. */
  private List<JCacheManager> takeAll(@Nullable ClassLoader classLoader) {
    lock.lock();
    try {
      List<JCacheManager> taken = new ArrayList<>();
      if (classLoader == null) {
        managers.values().forEach(byUri -> taken.addAll(byUri.values()));
        managers.clear();
      } else {
        Map<URI, JCacheManager> byUri = managers.remove(classLoader);
        if (byUri != null) {
          taken.addAll(byUri.values());
        }
      }
      return taken;
    } finally {
      lock.unlock();
    }
  }

  private void forget(ClassLoader classLoader, URI uri) {
    lock.lock();
    try {
      Map<URI, JCacheManager> byUri = managers.get(classLoader);
      if (byUri != null) {
        JCacheManager current = byUri.get(uri);
        if (current != null && current.isClosed()) {
          byUri.remove(uri);
        }
      }
    } finally {
      lock.unlock();
    }
  }
}
