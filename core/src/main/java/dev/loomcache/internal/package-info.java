/**
 * The mechanism behind {@link dev.loomcache.Cache}: flights, generations and L1 storage. Not
 * exported by {@code module-info}; nothing here is public API.
 */
@NullMarked
package dev.loomcache.internal;

import org.jspecify.annotations.NullMarked;
