package dev.loomcache.agent;

/**
 * The kinds of runaway behaviour the loop detector recognises, in the order it checks them; a call
 * reports at most one, the first that matches. {@link LoopPolicy} sets the thresholds.
 */
public enum LoopKind {
  /** The same tool with the same arguments called more than {@code maxToolRepeats} times. */
  REPEAT,

  /**
   * A block of 2 to {@code maxCyclePeriod} calls, holding at least two different calls, repeated
   * {@code cycleRepetitions} times in a row (A→B→A→B).
   */
  CYCLE,

  /** A call made again after it already failed {@code maxFailures} times. */
  RETRY_STORM,

  /** More than {@code maxExecutionDepth} calls in the session. */
  DEPTH
}
