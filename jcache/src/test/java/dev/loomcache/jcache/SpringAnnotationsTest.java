package dev.loomcache.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.jcache.internal.JCache;
import dev.loomcache.jcache.tck.SpringBeanProvider;
import domain.Blog;
import java.net.URI;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import manager.ClassLevelCacheConfigBlogManagerImpl;
import org.junit.jupiter.api.Test;

/**
 * The harness of the TCK's annotation tests really caches in Loomcache: {@code @CacheResult} on a
 * Spring bean stores into a Loomcache JCache, and {@code @CacheRemoveAll} empties it.
 */
class SpringAnnotationsTest {

  @Test
  void cacheResult_throughSpring_storesInLoomcacheJCache() {
    var blogs = new SpringBeanProvider().getBeanByType(ClassLevelCacheConfigBlogManagerImpl.class);
    blogs.createEntry(new Blog("loom", "threads"));

    assertThat(blogs.getEntryCached("loom").getBody()).isEqualTo("threads");

    CachingProvider provider = Caching.getCachingProvider();
    CacheManager manager =
        provider.getCacheManager(
            URI.create("loomcache:tck-annotations"), provider.getDefaultClassLoader());
    Cache<Object, Object> cache = manager.getCache("blgMngr");
    assertThat(cache).isInstanceOf(JCache.class);
    assertThat(cache.iterator()).toIterable().hasSize(1);

    blogs.clearCache();
    assertThat(cache.iterator().hasNext()).isFalse();
  }
}
