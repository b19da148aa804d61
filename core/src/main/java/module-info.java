/** Loomcache core: the cache, single-flight loads, statistics and the Micrometer binding. */
@SuppressWarnings("module") // the qualified export names a module javac does not see here
module dev.loomcache {
  requires transitive micrometer.core;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.loomcache;
  exports dev.loomcache.spi;
  exports dev.loomcache.limit;
  // The scoped-context seam (ScopedValue on 25, an inheritable thread-local on 21), for sessions.
  exports dev.loomcache.internal.context to
      dev.loomcache.agent;
}
