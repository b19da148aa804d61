/**
 * Spring's cache abstraction on Loomcache: {@link dev.loomcache.spring.LoomcacheCacheManager}
 * creates {@link dev.loomcache.spring.LoomcacheCache}s from Loomcache specs, so that
 * {@code @Cacheable(sync = true)} and {@code CompletableFuture} methods load once per key however
 * many callers ask, without holding a lock while the method runs.
 */
@NullMarked
package dev.loomcache.spring;

import org.jspecify.annotations.NullMarked;
