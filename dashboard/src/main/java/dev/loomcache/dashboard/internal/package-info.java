/** The dashboard's mechanism: demo caches, scenarios, sampling, HTTP routing and panels. */
@NullMarked
package dev.loomcache.dashboard.internal;

import org.jspecify.annotations.NullMarked;
