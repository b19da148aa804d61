package dev.loomcache.jcache.tck;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import javax.cache.Caching;
import javax.cache.annotation.BeanProvider;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import manager.CacheNameOnEachMethodBlogManagerImpl;
import manager.ClassLevelCacheConfigBlogManagerImpl;
import manager.UsingDefaultCacheNameBlogManagerImpl;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.JCacheCache;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The JSR-107 TCK's annotation tests, run with Spring's own JCache annotation support
 * ({@code @EnableCaching} with {@code javax.cache} on the class path interprets
 * {@code @CacheResult}, {@code @CacheRemove} and {@code @CacheRemoveAll}) over Loomcache's
 * provider. The TCK finds this class through the service loader.
 */
public final class SpringBeanProvider implements BeanProvider {
  private final AnnotationConfigApplicationContext context;

  /** Starts the Spring context holding the TCK's annotated beans. */
  public SpringBeanProvider() {
    this.context = new AnnotationConfigApplicationContext(AnnotatedBeans.class);
    context.registerShutdownHook();
  }

  @Override
  public <T> T getBeanByType(Class<T> beanClass) {
    return context.getBean(beanClass);
  }

  /** The TCK's three blog managers, proxied by class as the tests look them up by class. */
  @Configuration(proxyBeanMethods = false)
  @EnableCaching(proxyTargetClass = true)
  static class AnnotatedBeans {
    @Bean
    CacheManager cacheManager() {
      return new LoomcacheJCacheManager(URI.create("loomcache:tck-annotations"));
    }

    @Bean
    CacheNameOnEachMethodBlogManagerImpl cacheNameOnEachMethodBlogManager() {
      return new CacheNameOnEachMethodBlogManagerImpl();
    }

    @Bean
    ClassLevelCacheConfigBlogManagerImpl classLevelCacheConfigBlogManager() {
      return new ClassLevelCacheConfigBlogManagerImpl();
    }

    @Bean
    UsingDefaultCacheNameBlogManagerImpl usingDefaultCacheNameBlogManager() {
      return new UsingDefaultCacheNameBlogManagerImpl();
    }
  }

  /**
   * A Spring cache manager over a JCache manager of Loomcache's provider, creating a cache on first
   * use as JSR-107's annotations expect. It asks the provider for the manager on every call: the
   * TCK's other tests close all managers between test classes, and the provider hands out a fresh
   * one.
   */
  static final class LoomcacheJCacheManager implements CacheManager {
    private final URI uri;

    LoomcacheJCacheManager(URI uri) {
      this.uri = uri;
    }

    private javax.cache.CacheManager jcacheManager() {
      CachingProvider provider = Caching.getCachingProvider();
      return provider.getCacheManager(uri, provider.getDefaultClassLoader());
    }

    @Override
    public @Nullable Cache getCache(String name) {
      javax.cache.CacheManager manager = jcacheManager();
      javax.cache.Cache<Object, Object> cache = manager.getCache(name);
      if (cache == null) {
        cache = manager.createCache(name, new MutableConfiguration<>());
      }
      return new JCacheCache(cache);
    }

    @Override
    public Collection<String> getCacheNames() {
      var names = new java.util.ArrayList<String>();
      jcacheManager().getCacheNames().forEach(names::add);
      return List.copyOf(names);
    }
  }
}
