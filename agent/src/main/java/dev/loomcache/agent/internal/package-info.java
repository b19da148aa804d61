/**
 * The mechanism behind {@code dev.loomcache.agent}: canonical arguments, the per-session loop
 * detector, resource generations and counters. Not exported by the module; no compatibility
 * promise.
 */
@NullMarked
package dev.loomcache.agent.internal;

import org.jspecify.annotations.NullMarked;
