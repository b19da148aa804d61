/**
 * The JCache provider's mechanism; not part of the API (the classes are public only because the
 * JSR-107 TCK unwraps to them by name).
 */
@NullMarked
package dev.loomcache.jcache.internal;

import org.jspecify.annotations.NullMarked;
