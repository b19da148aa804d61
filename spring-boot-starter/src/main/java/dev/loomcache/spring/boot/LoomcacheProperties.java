package dev.loomcache.spring.boot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code loomcache.*} properties of the starter. */
@ConfigurationProperties("loomcache")
public class LoomcacheProperties {
  /** Whether to auto-configure a Loomcache cache manager when caching is enabled. */
  private boolean enabled = true;

  private final CacheSettings cache = new CacheSettings();
  private final Redis redis = new Redis();
  private final Chronicle chronicle = new Chronicle();
  private final Serialization serialization = new Serialization();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public CacheSettings getCache() {
    return cache;
  }

  public Redis getRedis() {
    return redis;
  }

  public Chronicle getChronicle() {
    return chronicle;
  }

  public Serialization getSerialization() {
    return serialization;
  }

  /** The caches: specs and names. */
  public static class CacheSettings {
    /**
     * The Loomcache spec of every cache without one of its own, such as
     * "maximumSize=10000,defaultTtl=10m" (keys: maximumSize, defaultTtl, batchWindow, maxBatchSize,
     * maxConcurrentBatches; durations 500ms, 30s, 5m, 2h, 1d or ISO-8601).
     */
    private @Nullable String spec;

    /** A Loomcache spec per cache name; these caches are created at startup. */
    private Map<String, String> specs = new LinkedHashMap<>();

    /** The cache names, created at startup; when set, no other cache is created on demand. */
    private List<String> names = new ArrayList<>();

    /** Whether caches store null results (as Spring's NullValue). */
    private boolean allowNullValues = true;

    public @Nullable String getSpec() {
      return spec;
    }

    public void setSpec(@Nullable String spec) {
      this.spec = spec;
    }

    public Map<String, String> getSpecs() {
      return specs;
    }

    public void setSpecs(Map<String, String> specs) {
      this.specs = specs;
    }

    public List<String> getNames() {
      return names;
    }

    public void setNames(List<String> names) {
      this.names = names;
    }

    public boolean isAllowNullValues() {
      return allowNullValues;
    }

    public void setAllowNullValues(boolean allowNullValues) {
      this.allowNullValues = allowNullValues;
    }
  }

  /** A Redis tier under every cache (needs loomcache-redis on the class path). */
  public static class Redis {
    /**
     * The Redis URI: redis://[user:password@]host:port[/db], rediss:// for TLS or
     * redis-cluster://h1:p1,h2:p2, with the tier's options as query parameters (commandTimeout,
     * writeMode, singleFlight, invalidation, poolSize...). Its keyPrefix (default "loomcache:") is
     * the start of every cache's prefix: each cache keeps its keys under keyPrefix + name + ":".
     */
    private @Nullable String uri;

    public @Nullable String getUri() {
      return uri;
    }

    public void setUri(@Nullable String uri) {
      this.uri = uri;
    }
  }

  /** A Chronicle file tier under every cache (needs loomcache-persistence-chronicle). */
  public static class Chronicle {
    /**
     * The Chronicle file name pattern: each cache gets its own file beside it, named with the cache
     * name before the extension (data/cache.dat gives data/cache-books.dat).
     */
    private @Nullable Path file;

    /** The most entries each cache's Chronicle file holds. */
    private long maxEntries = 100_000;

    public @Nullable Path getFile() {
      return file;
    }

    public void setFile(@Nullable Path file) {
      this.file = file;
    }

    public long getMaxEntries() {
      return maxEntries;
    }

    public void setMaxEntries(long maxEntries) {
      this.maxEntries = maxEntries;
    }
  }

  /** How values are stored in tiers when no ValueCodec bean is defined. */
  public static class Serialization {
    /**
     * The ObjectInputFilter pattern for Java serialization of values in tiers, such as
     * "com.example.dto.*;java.base/*;!*"; needed with a tier unless a ValueCodec bean is defined.
     */
    private @Nullable String filter;

    public @Nullable String getFilter() {
      return filter;
    }

    public void setFilter(@Nullable String filter) {
      this.filter = filter;
    }
  }
}
