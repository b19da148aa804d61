package dev.loomcache.jcache.internal;

import javax.cache.configuration.CompleteConfiguration;
import javax.cache.management.CacheMXBean;

/** A cache's {@code CacheConfiguration} MXBean: a live view of its configuration. */
final class ConfigurationBean implements CacheMXBean {
  private final JCache<?, ?> cache;

  ConfigurationBean(JCache<?, ?> cache) {
    this.cache = cache;
  }

  private CompleteConfiguration<?, ?> configuration() {
    return cache.configuration();
  }

  @Override
  public String getKeyType() {
    return configuration().getKeyType().getName();
  }

  @Override
  public String getValueType() {
    return configuration().getValueType().getName();
  }

  @Override
  public boolean isReadThrough() {
    return configuration().isReadThrough();
  }

  @Override
  public boolean isWriteThrough() {
    return configuration().isWriteThrough();
  }

  @Override
  public boolean isStoreByValue() {
    return configuration().isStoreByValue();
  }

  @Override
  public boolean isStatisticsEnabled() {
    return configuration().isStatisticsEnabled();
  }

  @Override
  public boolean isManagementEnabled() {
    return configuration().isManagementEnabled();
  }
}
