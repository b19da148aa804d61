/**
 * The Redis tier's machinery (commands with deadlines, the circuit breaker, write-behind, the
 * invalidation subscriber, leases, recovery). Not exported: nothing here is API.
 */
@NullMarked
package dev.loomcache.redis.internal;

import org.jspecify.annotations.NullMarked;
