/**
 * The Loomcache dashboard: a Jetty 12 web app whose requests run on virtual threads and which shows
 * the cache working under real concurrent load. Start it with {@link
 * dev.loomcache.dashboard.Dashboard}.
 */
@NullMarked
package dev.loomcache.dashboard;

import org.jspecify.annotations.NullMarked;
