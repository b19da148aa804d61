package dev.loomcache.spring.boot;

import dev.loomcache.Cache;
import dev.loomcache.CacheStats;
import dev.loomcache.spring.LoomcacheCache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;

/**
 * Binds a {@link LoomcacheCache}'s statistics to Micrometer under the standard cache meter names
 * ({@code cache.gets{result=hit|miss}}, {@code cache.puts}, {@code cache.evictions}, {@code
 * cache.size}, tags {@code cache} and {@code cache.manager}), plus {@code cache.loads} and {@code
 * cache.loads.coalesced}. Boot's cache metrics registrar uses it for the caches that exist at
 * startup.
 */
public final class LoomcacheCacheMeterBinderProvider
    implements CacheMeterBinderProvider<LoomcacheCache> {

  @Override
  public MeterBinder getMeterBinder(LoomcacheCache cache, Iterable<Tag> tags) {
    return new Metrics(cache.getNativeCache(), cache.getName(), tags);
  }

  private static final class Metrics extends CacheMeterBinder<Cache<Object, Object>> {
    private final Cache<Object, Object> cache;

    Metrics(Cache<Object, Object> cache, String name, Iterable<Tag> tags) {
      super(cache, name, tags);
      this.cache = cache;
    }

    private CacheStats stats() {
      return cache.stats();
    }

    @Override
    protected Long size() {
      return cache.estimatedSize();
    }

    @Override
    protected long hitCount() {
      return stats().hitCount();
    }

    @Override
    protected Long missCount() {
      return stats().missCount();
    }

    @Override
    protected Long evictionCount() {
      return stats().evictionCount();
    }

    @Override
    protected long putCount() {
      return stats().putCount();
    }

    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
      FunctionCounter.builder("cache.loads", cache, c -> c.stats().loadSuccessCount())
          .tags(getTagsWithCacheName())
          .tag("result", "success")
          .description("Loader calls that returned")
          .register(registry);
      FunctionCounter.builder("cache.loads", cache, c -> c.stats().loadFailureCount())
          .tags(getTagsWithCacheName())
          .tag("result", "failure")
          .description("Loader calls that threw")
          .register(registry);
      FunctionCounter.builder("cache.loads.coalesced", cache, c -> c.stats().coalescedCount())
          .tags(getTagsWithCacheName())
          .description("Callers served by another caller's load instead of loading themselves")
          .register(registry);
    }
  }
}
