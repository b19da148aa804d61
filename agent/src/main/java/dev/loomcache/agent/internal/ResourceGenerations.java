package dev.loomcache.agent.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One generation counter per resource name; invalidating a resource advances its counter.
 *
 * <p>Design note. A read tool's cache key carries the <em>stamp</em> of its resources: the sum of
 * their generations, read when the call begins and before its load starts. A write advances its
 * resources' generations before it runs and again after. Each generation only grows, so a read that
 * begins after a write completed sees every term at least as large as any read whose load began
 * before the write finished, and the written resource's term strictly larger: its stamp is larger,
 * and an entry stored by such an earlier read (pre-write data) can never be found again. That makes
 * "invalidate before and after the write" airtight with no index of keys and no lock; the core
 * cache's single flight and size bound do the rest (dead entries leave like any cold entry).
 */
public final class ResourceGenerations {
  private final ConcurrentHashMap<String, AtomicLong> generations = new ConcurrentHashMap<>();

  /** Returns the counters of {@code resources}, creating them; a tool resolves them once. */
  public AtomicLong[] counters(String[] resources) {
    var counters = new AtomicLong[resources.length];
    for (int i = 0; i < resources.length; i++) {
      counters[i] = generations.computeIfAbsent(resources[i], r -> new AtomicLong());
    }
    return counters;
  }

  /** Returns the sum of the generations of {@code resources}; never blocks. */
  public long stamp(String[] resources) {
    long stamp = 0;
    for (String resource : resources) {
      AtomicLong generation = generations.get(resource);
      if (generation != null) {
        stamp += generation.get();
      }
    }
    return stamp;
  }

  /** Advances the generation of each of {@code resources}. */
  public void advance(String[] resources) {
    for (String resource : resources) {
      generations.computeIfAbsent(resource, r -> new AtomicLong()).incrementAndGet();
    }
  }

  /** Returns the sum of {@code counters}' values. */
  public static long stamp(AtomicLong[] counters) {
    long stamp = 0;
    for (AtomicLong counter : counters) {
      stamp += counter.get();
    }
    return stamp;
  }

  /** Advances each of {@code counters}. */
  public static void advance(AtomicLong[] counters) {
    for (AtomicLong counter : counters) {
      counter.incrementAndGet();
    }
  }
}
