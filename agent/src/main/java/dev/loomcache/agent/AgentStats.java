package dev.loomcache.agent;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable snapshot of what tool calls did, for one session ({@link AgentSession#stats()}) or
 * for a whole {@link AgentCache} ({@link AgentCache#stats()}). Counts only grow.
 *
 * <p>Every call counts in {@link #calls()}, including calls on which the loop detector fired. A
 * read call that reaches the cache is a {@linkplain #hits() hit} when it got a value without
 * running the tool (from the cache, or from a concurrent identical call's run) and a {@linkplain
 * #misses() miss} otherwise. Write calls, short-circuited calls and calls stopped by {@link
 * OnLoop#RAISE} are neither.
 */
public final class AgentStats {
  private final long calls;
  private final long hits;
  private final long misses;
  private final long invalidations;
  private final long shortCircuits;
  private final long[] loopDetections;

  AgentStats(
      long calls,
      long hits,
      long misses,
      long invalidations,
      long shortCircuits,
      long[] loopDetections) {
    this.calls = calls;
    this.hits = hits;
    this.misses = misses;
    this.invalidations = invalidations;
    this.shortCircuits = shortCircuits;
    this.loopDetections = loopDetections.clone();
  }

  /** Tool calls made, of every kind and outcome. */
  public long calls() {
    return calls;
  }

  /** Read calls served without running the tool. */
  public long hits() {
    return hits;
  }

  /** Read calls that ran the tool, or waited for a concurrent identical call that failed. */
  public long misses() {
    return misses;
  }

  /** Hits divided by hits plus misses, or {@code 0.0} when there were none. */
  public double hitRate() {
    long requests = hits + misses;
    return requests == 0 ? 0.0 : (double) hits / requests;
  }

  /** Write calls that invalidated at least one resource. */
  public long invalidations() {
    return invalidations;
  }

  /** Calls on which the loop detector fired, of every kind and reaction. */
  public long loopDetections() {
    return Arrays.stream(loopDetections).sum();
  }

  /** Calls on which the loop detector fired with {@code kind}. */
  public long loopDetections(LoopKind kind) {
    requireNonNull(kind, "kind must not be null");
    return loopDetections[kind.ordinal()];
  }

  /** Calls answered by {@link OnLoop#SHORT_CIRCUIT} without running the tool. */
  public long shortCircuits() {
    return shortCircuits;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AgentStats other
        && calls == other.calls
        && hits == other.hits
        && misses == other.misses
        && invalidations == other.invalidations
        && shortCircuits == other.shortCircuits
        && Arrays.equals(loopDetections, other.loopDetections);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hash(calls, hits, misses, invalidations, shortCircuits)
        + Arrays.hashCode(loopDetections);
  }

  @Override
  public String toString() {
    var text =
        new StringBuilder("AgentStats{calls=")
            .append(calls)
            .append(", hits=")
            .append(hits)
            .append(", misses=")
            .append(misses)
            .append(", invalidations=")
            .append(invalidations)
            .append(", shortCircuits=")
            .append(shortCircuits);
    for (LoopKind kind : LoopKind.values()) {
      text.append(", loops.").append(kind).append('=').append(loopDetections[kind.ordinal()]);
    }
    return text.append('}').toString();
  }
}
