package dev.loomcache.spring;

import static java.util.Objects.requireNonNull;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.CacheTier;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.CacheManager;

/**
 * A Spring {@link CacheManager} whose caches are Loomcache caches, configured by Loomcache specs
 * ({@code maximumSize=10000,defaultTtl=5m}, see {@link Loomcache#from(String)}).
 *
 * <pre>{@code
 * @Bean
 * LoomcacheCacheManager cacheManager() {
 *   var manager = new LoomcacheCacheManager();
 *   manager.setCacheSpecification("maximumSize=10000,defaultTtl=10m");
 *   manager.setCacheSpecifications(Map.of("books", "maximumSize=500,defaultTtl=1h"));
 *   return manager;
 * }
 * }</pre>
 *
 * <p>By default caches are created on demand (dynamic mode): {@link #getCache(String)} creates a
 * missing cache from the spec for its name, or the common spec, or Loomcache's defaults. Naming
 * caches with {@link #setCacheNames(Collection)} switches to a static set. Each cache's Loomcache
 * {@code name} (the {@code cache} tag of its meters) is its Spring name, so a spec must not set
 * {@code name}. Caches with tiers ({@link #setTierFactory(TierFactory)}) need a value codec; keys
 * are encoded with a default codec for {@code String}, {@code Long}, {@code Integer} and {@code
 * UUID} keys unless {@link #setKeyCodec(KeyCodec)} gives another.
 *
 * <p>Threads: configure the manager before use, from one thread; {@link #getCache(String)} and the
 * caches are thread-safe. The {@code CompletableFuture} methods of the caches run on virtual
 * threads the manager owns; {@link #close()} (which Spring calls when the context closes) stops
 * them and closes the caches the manager created (not those {@linkplain #registerCustomCache
 * registered} by the caller, who owns them).
 */
public final class LoomcacheCacheManager implements CacheManager, AutoCloseable {
  private final Map<String, LoomcacheCache> caches = new ConcurrentHashMap<>();
  private final Set<String> customCacheNames = ConcurrentHashMap.newKeySet();
  private final ExecutorService virtualThreads =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("loomcache-spring-", 0).factory());
  private volatile boolean dynamic = true;
  private volatile boolean closed;
  private @Nullable String commonSpec;
  private Map<String, String> specs = Map.of();
  private boolean allowNullValues = true;
  private @Nullable TierFactory tierFactory;
  private KeyCodec<Object> keyCodec = ScalarKeyCodec.INSTANCE;
  private @Nullable ValueCodec<?> valueCodec;

  /** Creates a manager in dynamic mode, with no spec (Loomcache's defaults) and nulls allowed. */
  public LoomcacheCacheManager() {}

  /**
   * Sets the spec of every cache without a spec of its own, and recreates the caches already made
   * from the previous one (dropping their entries).
   *
   * @throws IllegalArgumentException if {@code spec} is not a valid Loomcache spec, or sets {@code
   *     name}
   */
  public void setCacheSpecification(String spec) {
    requireNonNull(spec, "spec must not be null");
    check("", spec);
    this.commonSpec = spec;
    recreateManagedCaches();
  }

  /**
   * Sets a spec per cache name, creates those caches (so they are listed, and bound to metrics,
   * from the start) and recreates the other caches already made.
   *
   * @throws IllegalArgumentException if a spec is not a valid Loomcache spec, or sets {@code name}
   */
  public void setCacheSpecifications(Map<String, String> specsByName) {
    requireNonNull(specsByName, "specsByName must not be null");
    specsByName.forEach(this::check);
    this.specs = Collections.unmodifiableMap(new LinkedHashMap<>(specsByName));
    recreateManagedCaches();
    specs.keySet().forEach(this::getOrCreate);
  }

  /**
   * Fixes the set of caches to {@code cacheNames} (static mode), creating them now; {@link
   * #getCache(String)} of another name then returns null. Null or empty returns to dynamic mode.
   */
  public void setCacheNames(@Nullable Collection<String> cacheNames) {
    if (cacheNames == null || cacheNames.isEmpty()) {
      dynamic = true;
      return;
    }
    for (String name : cacheNames) {
      requireNonNull(name, "cache names must not be null");
      getOrCreate(name);
    }
    dynamic = false;
  }

  /**
   * Sets whether caches store Spring's {@code null} (as {@code NullValue}); default true. Recreates
   * the caches already made.
   */
  public void setAllowNullValues(boolean allowNullValues) {
    if (this.allowNullValues != allowNullValues) {
      this.allowNullValues = allowNullValues;
      recreateManagedCaches();
    }
  }

  /** Whether caches store {@code null}. */
  public boolean isAllowNullValues() {
    return allowNullValues;
  }

  /**
   * Sets what gives each new cache its lower tiers (Chronicle, Redis); default: none. Recreates the
   * caches already made.
   */
  public void setTierFactory(@Nullable TierFactory tierFactory) {
    this.tierFactory = tierFactory;
    recreateManagedCaches();
  }

  /**
   * Sets how keys of caches with tiers become stable strings; default: {@code String}, {@code
   * Long}, {@code Integer} and {@code UUID} keys with a type tag, other keys rejected.
   */
  public void setKeyCodec(KeyCodec<Object> keyCodec) {
    this.keyCodec = requireNonNull(keyCodec, "keyCodec must not be null");
    recreateManagedCaches();
  }

  /**
   * Sets how values of caches with tiers become bytes (wrapped in a {@link NullValueCodec} so that
   * cached nulls survive the tiers); required when a {@link TierFactory} gives tiers.
   */
  public void setValueCodec(ValueCodec<?> valueCodec) {
    this.valueCodec = requireNonNull(valueCodec, "valueCodec must not be null");
    recreateManagedCaches();
  }

  /**
   * Adds a cache built by the caller under {@code name}, in either mode; it replaces (and closes) a
   * cache the manager made under that name. The caller keeps ownership: the manager never closes
   * it. Its values are Spring store values: with tiers, wrap its value codec with {@link
   * NullValueCodec#wrap}.
   */
  public void registerCustomCache(String name, Cache<Object, Object> cache) {
    requireNonNull(name, "name must not be null");
    requireNonNull(cache, "cache must not be null");
    boolean replacesManaged = caches.containsKey(name) && !customCacheNames.contains(name);
    customCacheNames.add(name);
    LoomcacheCache previous =
        caches.put(name, new LoomcacheCache(name, cache, allowNullValues, virtualThreads));
    if (previous != null && replacesManaged) {
      previous.getNativeCache().close();
    }
  }

  /**
   * Returns the cache named {@code name}, creating it in dynamic mode. Creation builds a Loomcache
   * cache and calls the tier factory, outside every lock; two threads creating the same cache at
   * once both build one, and the loser's is closed.
   *
   * @throws IllegalStateException if the manager is closed and the cache does not exist
   */
  @Override
  public org.springframework.cache.@Nullable Cache getCache(String name) {
    requireNonNull(name, "name must not be null");
    LoomcacheCache cache = caches.get(name);
    if (cache != null || !dynamic) {
      return cache;
    }
    return getOrCreate(name);
  }

  /** The names of the caches made or registered so far. */
  @Override
  public Collection<String> getCacheNames() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
  }

  /**
   * In dynamic mode, closes and forgets the caches the manager made (they are made again on demand)
   * and empties the registered ones; in static mode, empties every cache.
   */
  @Override
  public void resetCaches() {
    if (!dynamic) {
      caches.values().forEach(LoomcacheCache::clear);
      return;
    }
    for (String name : List.copyOf(caches.keySet())) {
      if (customCacheNames.contains(name)) {
        LoomcacheCache cache = caches.get(name); // null if removed since the copy of the names
        if (cache != null) {
          cache.clear();
        }
      } else {
        LoomcacheCache removed = caches.remove(name);
        if (removed != null) {
          removed.getNativeCache().close();
        }
      }
    }
  }

  /**
   * Stops the virtual threads of pending {@code CompletableFuture} operations (their futures fail)
   * and closes the caches the manager made, flushing their tiers. Parks the calling thread until
   * those threads have stopped. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    virtualThreads.shutdownNow();
    try {
      if (!virtualThreads.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            "virtual threads of the cache manager did not stop in 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (var entry : caches.entrySet()) {
        if (!customCacheNames.contains(entry.getKey())) {
          entry.getValue().getNativeCache().close();
        }
      }
    }
  }

  private LoomcacheCache getOrCreate(String name) {
    LoomcacheCache existing = caches.get(name);
    if (existing != null) {
      return existing;
    }
    if (closed) {
      throw new IllegalStateException("the cache manager is closed; no cache '" + name + "'");
    }
    LoomcacheCache created = create(name);
    LoomcacheCache raced = caches.putIfAbsent(name, created);
    if (raced != null) {
      created.getNativeCache().close();
      return raced;
    }
    return created;
  }

  private LoomcacheCache create(String name) {
    Loomcache<Object, Object> builder = Loomcache.from(specFor(name));
    try {
      builder.name(name);
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(
          "the spec of cache '"
              + name
              + "' sets name: the manager"
              + " names each cache after its Spring name",
          e);
    }
    List<CacheTier> tiers = tierFactory == null ? List.of() : tierFactory.tiersFor(name);
    if (!tiers.isEmpty()) {
      if (valueCodec == null) {
        tiers.forEach(CacheTier::close);
        throw new IllegalStateException(
            "cache '"
                + name
                + "' has tiers but the manager has no"
                + " value codec: call setValueCodec");
      }
      builder.keyCodec(keyCodec).valueCodec(NullValueCodec.wrap(valueCodec));
      tiers.forEach(builder::tier);
    }
    Cache<Object, Object> cache = builder.build();
    return new LoomcacheCache(name, cache, allowNullValues, virtualThreads);
  }

  private String specFor(String name) {
    String own = specs.get(name);
    if (own != null) {
      return own;
    }
    return commonSpec == null ? "" : commonSpec;
  }

  private void check(String name, String spec) {
    requireNonNull(spec, () -> "the spec of cache '" + name + "' must not be null");
    try {
      Loomcache.from(spec).name("-");
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(
          (name.isEmpty() ? "the common spec" : "the spec of cache '" + name + "'")
              + " sets name: the manager names each cache after its Spring name",
          e);
    }
  }

  /** Makes the caches made so far again with the current settings; registered ones stay. */
  private void recreateManagedCaches() {
    var rebuilt = new ArrayList<String>();
    for (String name : List.copyOf(caches.keySet())) {
      if (!customCacheNames.contains(name)) {
        rebuilt.add(name);
      }
    }
    for (String name : rebuilt) {
      LoomcacheCache fresh = create(name);
      LoomcacheCache old = caches.put(name, fresh);
      if (old != null) {
        old.getNativeCache().close();
      }
    }
  }

  @Override
  public String toString() {
    return "LoomcacheCacheManager{"
        + (dynamic ? "dynamic" : "static")
        + ", caches="
        + caches.keySet()
        + "}";
  }
}
