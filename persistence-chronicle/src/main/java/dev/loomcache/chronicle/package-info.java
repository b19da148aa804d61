/**
 * A crash-safe off-heap cache tier in a Chronicle Map file: {@link
 * dev.loomcache.chronicle.ChronicleStore}. Values are written through on every store, so what
 * {@code get} or {@code put} returned survives {@code kill -9}; a file left by a killed process is
 * reopened with Chronicle's recovery.
 */
@NullMarked
package dev.loomcache.chronicle;

import org.jspecify.annotations.NullMarked;
