/** Loomcache for Spring Framework 7: a {@code CacheManager} on Loomcache caches. */
module dev.loomcache.spring {
  requires transitive dev.loomcache;
  requires transitive spring.context;
  requires spring.core;
  requires static transitive org.jspecify;

  exports dev.loomcache.spring;
}
