/**
 * A Redis tier for Loomcache: {@link dev.loomcache.redis.RedisTier} is a {@link
 * dev.loomcache.spi.CacheTier} on Jedis 8 that never lets a Redis failure reach the caller, keeps
 * its keys under a prefix, tells other instances about changes over pub/sub and can share loads
 * between instances.
 */
@NullMarked
package dev.loomcache.redis;

import org.jspecify.annotations.NullMarked;
