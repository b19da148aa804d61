package dev.loomcache.spring.boot;

import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.spring.LoomcacheCacheManager;
import dev.loomcache.spring.TierFactory;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.ObjectInputFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizers;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures a {@link LoomcacheCacheManager} when caching is enabled ({@code @EnableCaching})
 * and the application defines no {@link CacheManager} (nor a {@code cacheResolver}); runs before
 * Boot's own cache auto-configuration, which then backs off. {@code loomcache.enabled=false} turns
 * it off.
 *
 * <p>The manager takes its specs and names from {@code loomcache.cache.*}, its tiers from a {@link
 * TierFactory} bean or else from {@code loomcache.chronicle.file} and {@code loomcache.redis.uri},
 * its codecs from {@link KeyCodec} and {@link ValueCodec} beans (or Java serialization filtered by
 * {@code loomcache.serialization.filter}), and then every {@link CacheManagerCustomizer} that
 * applies to it.
 */
@AutoConfiguration(before = CacheAutoConfiguration.class)
@ConditionalOnClass({CacheManager.class, LoomcacheCacheManager.class})
@ConditionalOnBean(CacheAspectSupport.class)
@ConditionalOnMissingBean(value = CacheManager.class, name = "cacheResolver")
@ConditionalOnBooleanProperty(name = "loomcache.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LoomcacheProperties.class)
public final class LoomcacheAutoConfiguration {

  @Bean
  LoomcacheCacheManager cacheManager(
      LoomcacheProperties properties,
      ObjectProvider<CacheManagerCustomizer<?>> customizers,
      ObjectProvider<TierFactory> tierFactory,
      ObjectProvider<KeyCodec<?>> keyCodec,
      ObjectProvider<ValueCodec<?>> valueCodec) {
    var manager = new LoomcacheCacheManager();
    var cache = properties.getCache();
    manager.setAllowNullValues(cache.isAllowNullValues());
    TierFactory tiers = tierFactory.getIfAvailable(() -> PropertyTiers.of(properties));
    if (tiers != null) {
      manager.setValueCodec(valueCodec.getIfAvailable(() -> javaSerialization(properties)));
      keyCodec.ifAvailable(codec -> manager.setKeyCodec(objectKeys(codec)));
      manager.setTierFactory(tiers);
    }
    if (cache.getSpec() != null && !cache.getSpec().isBlank()) {
      manager.setCacheSpecification(cache.getSpec());
    }
    if (!cache.getSpecs().isEmpty()) {
      manager.setCacheSpecifications(cache.getSpecs());
    }
    manager.setCacheNames(cache.getNames());
    return new CacheManagerCustomizers(customizers.orderedStream().toList()).customize(manager);
  }

  @SuppressWarnings("unchecked")
  private static KeyCodec<Object> objectKeys(KeyCodec<?> codec) {
    return (KeyCodec<Object>) codec;
  }

  private static ValueCodec<?> javaSerialization(LoomcacheProperties properties) {
    String filter = properties.getSerialization().getFilter();
    if (filter == null || filter.isBlank()) {
      throw new IllegalStateException(
          "Loomcache caches have tiers (loomcache.redis.uri or"
              + " loomcache.chronicle.file) but no value codec: define a ValueCodec bean, or set"
              + " loomcache.serialization.filter to the ObjectInputFilter pattern of your cached"
              + " types (for example com.example.dto.*;java.base/*;!*)");
    }
    return ValueCodec.javaSerialization(ObjectInputFilter.Config.createFilter(filter));
  }

  /** Standard cache meters for Actuator; only with Micrometer and Boot's cache metrics. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterBinder.class, CacheMeterBinderProvider.class})
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    LoomcacheCacheMeterBinderProvider loomcacheCacheMeterBinderProvider() {
      return new LoomcacheCacheMeterBinderProvider();
    }
  }
}
