/**
 * Loomcache's JCache (JSR-107) provider: {@code Caching.getCachingProvider()} finds it through the
 * service loader.
 */
module dev.loomcache.jcache {
  requires transitive dev.loomcache;
  requires transitive cache.api;
  requires java.management;
  requires static transitive org.jspecify;

  exports dev.loomcache.jcache;

  provides javax.cache.spi.CachingProvider with dev.loomcache.jcache.LoomcacheCachingProvider;
}
