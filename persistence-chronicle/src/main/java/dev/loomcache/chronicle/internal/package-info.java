/**
 * The mechanism behind {@link dev.loomcache.chronicle.ChronicleStore}: the JVM environment
 * Chronicle needs, the file's clean/dirty state, the record layout and the maintenance scans. Not
 * an API.
 */
@NullMarked
package dev.loomcache.chronicle.internal;

import org.jspecify.annotations.NullMarked;
