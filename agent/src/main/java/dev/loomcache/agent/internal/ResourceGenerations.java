package dev.loomcache.agent.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One generation counter per resource name; invalidating a resource advances its counter.
 *
 * <p>Design note. A read tool's cache key carries the <em>stamp</em> of its resources: the sum of
 * their generations when the call began. Generations only grow, so any invalidation of any of the
 * resources makes every later stamp larger than every earlier one: entries stored under an old
 * stamp can never be read again, whether they were stored before the invalidation or by a read
 * that was still running when it happened. That is what makes "invalidate before and after the
 * write" airtight with no index of keys and no lock: the core cache's single flight and size bound
 * do the rest (dead entries are evicted like any cold entry).
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
