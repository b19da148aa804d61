/**
 * Benchmarks of Loomcache side by side with Caffeine, Guava and java-dataloader: JMH benchmarks for
 * the steady-state paths, plain harnesses for the scenarios JMH measures badly (stampedes, tail
 * latency next to a slow load, pinning, memory), and the suite that runs them and writes the
 * report.
 */
@NullMarked
package dev.loomcache.benchmarks;

import org.jspecify.annotations.NullMarked;
