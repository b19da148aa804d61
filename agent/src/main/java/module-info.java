/**
 * Loomcache agent: tool-call caching, resource invalidation, sessions bound with {@code
 * ScopedValue} and loop detection, on top of the core cache.
 */
module dev.loomcache.agent {
  requires transitive dev.loomcache;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.loomcache.agent;
}
