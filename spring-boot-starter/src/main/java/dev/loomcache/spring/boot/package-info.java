/**
 * Spring Boot 4 auto-configuration of a {@link dev.loomcache.spring.LoomcacheCacheManager} from
 * {@code loomcache.*} properties.
 */
@NullMarked
package dev.loomcache.spring.boot;

import org.jspecify.annotations.NullMarked;
