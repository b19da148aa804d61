package dev.loomcache.agent.internal;

import dev.loomcache.agent.LoopKind;
import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@code AgentStats}: striped adders, cheap to increment from many threads. */
public final class AgentCounters {
  private final LongAdder calls = new LongAdder();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder invalidations = new LongAdder();
  private final LongAdder shortCircuits = new LongAdder();
  private final LongAdder[] loops = new LongAdder[LoopKind.values().length];

  public AgentCounters() {
    for (int i = 0; i < loops.length; i++) {
      loops[i] = new LongAdder();
    }
  }

  public void recordCall() {
    calls.increment();
  }

  public void recordHit() {
    hits.increment();
  }

  public void recordMiss() {
    misses.increment();
  }

  public void recordInvalidation() {
    invalidations.increment();
  }

  public void recordShortCircuit() {
    shortCircuits.increment();
  }

  public void recordLoop(LoopKind kind) {
    loops[kind.ordinal()].increment();
  }

  public long callCount() {
    return calls.sum();
  }

  public long hitCount() {
    return hits.sum();
  }

  public long missCount() {
    return misses.sum();
  }

  public long invalidationCount() {
    return invalidations.sum();
  }

  public long shortCircuitCount() {
    return shortCircuits.sum();
  }

  public long loopCount(LoopKind kind) {
    return loops[kind.ordinal()].sum();
  }

  /** The loop counts indexed by {@link LoopKind#ordinal()}. */
  public long[] loopCounts() {
    long[] counts = new long[loops.length];
    for (int i = 0; i < loops.length; i++) {
      counts[i] = loops[i].sum();
    }
    return counts;
  }
}
