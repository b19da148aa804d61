/**
 * A JSR-107 (JCache 1.1) provider on Loomcache.
 *
 * <p>{@link dev.loomcache.jcache.LoomcacheCachingProvider} is registered with the service loader:
 * {@code Caching.getCachingProvider()} returns it when it is the only provider on the class path.
 */
@NullMarked
package dev.loomcache.jcache;

import org.jspecify.annotations.NullMarked;
