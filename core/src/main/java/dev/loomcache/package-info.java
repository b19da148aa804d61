/**
 * Loomcache: a cache for Java 25 services on virtual threads.
 *
 * <p>Start with {@link dev.loomcache.Loomcache#newBuilder()}; users hold {@link
 * dev.loomcache.Cache}. The threading model is described in {@code CONCURRENCY.md} at the
 * repository root.
 */
@NullMarked
package dev.loomcache;

import org.jspecify.annotations.NullMarked;
