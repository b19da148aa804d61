/**
 * Rate limits: {@link dev.loomcache.limit.RateLimiter} decides, per key, whether a call may go
 * ahead, in process ({@link dev.loomcache.limit.RateLimiter#fixedWindow} and {@link
 * dev.loomcache.limit.RateLimiter#slidingWindow}) or shared through Redis (the {@code
 * loomcache-redis} module's {@code RedisRateLimiter}); {@link dev.loomcache.limit.RateLimited}
 * applies one to the methods of a {@link dev.loomcache.CachingProxy}.
 */
@NullMarked
package dev.loomcache.limit;

import org.jspecify.annotations.NullMarked;
