package dev.loomcache.spring;

import dev.loomcache.spi.CacheTier;
import java.util.List;

/**
 * Makes the lower tiers of one cache of a {@link LoomcacheCacheManager}, in the order they are read
 * (say a Chronicle file, then Redis). Each cache needs tiers of its own: a Redis tier with a key
 * prefix per cache name, a Chronicle file per cache name. The cache closes its tiers.
 */
@FunctionalInterface
public interface TierFactory {

  /**
   * Returns new tiers for the cache named {@code cacheName}, or an empty list for none. Called once
   * for each cache the manager creates, outside every lock of the manager.
   */
  List<CacheTier> tiersFor(String cacheName);
}
