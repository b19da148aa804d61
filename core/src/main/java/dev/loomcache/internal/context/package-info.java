/**
 * The scoped-context seam: a value bound for a call and the threads it forks, on a {@link
 * ScopedValue} (Java 25) or an inheritable thread-local (Java 21). Exported only to the agent
 * module.
 */
@NullMarked
package dev.loomcache.internal.context;

import org.jspecify.annotations.NullMarked;
