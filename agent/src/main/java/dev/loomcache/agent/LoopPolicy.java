package dev.loomcache.agent;

import static java.util.Objects.requireNonNull;

import java.util.Objects;

/**
 * How a session detects runaway tool calls and what it does about them; immutable.
 *
 * <p>Start from {@link #defaults()} ({@code maxToolRepeats} 5, {@code maxExecutionDepth} 50, {@code
 * maxCyclePeriod} 4, {@code cycleRepetitions} 2, {@code maxFailures} 3, {@code onLoop} {@link
 * OnLoop#RAISE}) or {@link #disabled()}; each setter returns a new policy. A limit of {@link
 * Integer#MAX_VALUE} turns its detector off, as does a {@code maxCyclePeriod} of 1 for cycles, so
 * {@code LoopPolicy.disabled().maxToolRepeats(3)} detects repeats only. {@link LoopKind} gives the
 * meaning of each limit.
 */
public final class LoopPolicy {
  /** The largest {@code maxCyclePeriod}: the detector keeps that many calls per session. */
  public static final int MAX_CYCLE_PERIOD = 1024;

  private static final LoopPolicy DEFAULTS = new LoopPolicy(5, 50, 4, 2, 3, OnLoop.RAISE);
  private static final LoopPolicy DISABLED =
      new LoopPolicy(Integer.MAX_VALUE, Integer.MAX_VALUE, 1, 2, Integer.MAX_VALUE, OnLoop.RAISE);

  private final int maxToolRepeats;
  private final int maxExecutionDepth;
  private final int maxCyclePeriod;
  private final int cycleRepetitions;
  private final int maxFailures;
  private final OnLoop onLoop;

  private LoopPolicy(
      int maxToolRepeats,
      int maxExecutionDepth,
      int maxCyclePeriod,
      int cycleRepetitions,
      int maxFailures,
      OnLoop onLoop) {
    this.maxToolRepeats = maxToolRepeats;
    this.maxExecutionDepth = maxExecutionDepth;
    this.maxCyclePeriod = maxCyclePeriod;
    this.cycleRepetitions = cycleRepetitions;
    this.maxFailures = maxFailures;
    this.onLoop = onLoop;
  }

  /** Returns the default policy: every detector on, reaction {@link OnLoop#RAISE}. */
  public static LoopPolicy defaults() {
    return DEFAULTS;
  }

  /** Returns a policy with every detector off; its setters turn single detectors back on. */
  public static LoopPolicy disabled() {
    return DISABLED;
  }

  /**
   * Returns this policy with {@link LoopKind#REPEAT} firing once a call has been made more than
   * {@code maxToolRepeats} times.
   *
   * @throws IllegalArgumentException if {@code maxToolRepeats} is less than 1
   */
  public LoopPolicy maxToolRepeats(int maxToolRepeats) {
    atLeast("maxToolRepeats", maxToolRepeats, 1);
    return new LoopPolicy(
        maxToolRepeats, maxExecutionDepth, maxCyclePeriod, cycleRepetitions, maxFailures, onLoop);
  }

  /**
   * Returns this policy with {@link LoopKind#DEPTH} firing from call number {@code
   * maxExecutionDepth + 1} of a session.
   *
   * @throws IllegalArgumentException if {@code maxExecutionDepth} is less than 1
   */
  public LoopPolicy maxExecutionDepth(int maxExecutionDepth) {
    atLeast("maxExecutionDepth", maxExecutionDepth, 1);
    return new LoopPolicy(
        maxToolRepeats, maxExecutionDepth, maxCyclePeriod, cycleRepetitions, maxFailures, onLoop);
  }

  /**
   * Returns this policy looking for {@link LoopKind#CYCLE cycles} of 2 to {@code maxCyclePeriod}
   * calls; 1 turns cycle detection off. Each call costs O({@code maxCyclePeriod}).
   *
   * @throws IllegalArgumentException if {@code maxCyclePeriod} is less than 1 or more than {@link
   *     #MAX_CYCLE_PERIOD}
   */
  public LoopPolicy maxCyclePeriod(int maxCyclePeriod) {
    atLeast("maxCyclePeriod", maxCyclePeriod, 1);
    if (maxCyclePeriod > MAX_CYCLE_PERIOD) {
      throw new IllegalArgumentException(
          "maxCyclePeriod must be at most " + MAX_CYCLE_PERIOD + ", but was " + maxCyclePeriod);
    }
    return new LoopPolicy(
        maxToolRepeats, maxExecutionDepth, maxCyclePeriod, cycleRepetitions, maxFailures, onLoop);
  }

  /**
   * Returns this policy reporting a {@link LoopKind#CYCLE} once its block of calls has occurred
   * {@code cycleRepetitions} times in a row.
   *
   * @throws IllegalArgumentException if {@code cycleRepetitions} is less than 2
   */
  public LoopPolicy cycleRepetitions(int cycleRepetitions) {
    atLeast("cycleRepetitions", cycleRepetitions, 2);
    return new LoopPolicy(
        maxToolRepeats, maxExecutionDepth, maxCyclePeriod, cycleRepetitions, maxFailures, onLoop);
  }

  /**
   * Returns this policy with {@link LoopKind#RETRY_STORM} firing on a call that already failed
   * {@code maxFailures} times in the session.
   *
   * @throws IllegalArgumentException if {@code maxFailures} is less than 1
   */
  public LoopPolicy maxFailures(int maxFailures) {
    atLeast("maxFailures", maxFailures, 1);
    return new LoopPolicy(
        maxToolRepeats, maxExecutionDepth, maxCyclePeriod, cycleRepetitions, maxFailures, onLoop);
  }

  /** Returns this policy with {@code onLoop} as the reaction to a detected loop. */
  public LoopPolicy onLoop(OnLoop onLoop) {
    requireNonNull(onLoop, "onLoop must not be null");
    return new LoopPolicy(
        maxToolRepeats, maxExecutionDepth, maxCyclePeriod, cycleRepetitions, maxFailures, onLoop);
  }

  /** The most calls with the same tool and arguments before {@link LoopKind#REPEAT} fires. */
  public int maxToolRepeats() {
    return maxToolRepeats;
  }

  /** The most calls in a session before {@link LoopKind#DEPTH} fires. */
  public int maxExecutionDepth() {
    return maxExecutionDepth;
  }

  /** The longest cycle looked for; 1 when cycle detection is off. */
  public int maxCyclePeriod() {
    return maxCyclePeriod;
  }

  /** How many times in a row a block must occur to be a {@link LoopKind#CYCLE}. */
  public int cycleRepetitions() {
    return cycleRepetitions;
  }

  /** The failures of one call after which calling it again is a {@link LoopKind#RETRY_STORM}. */
  public int maxFailures() {
    return maxFailures;
  }

  /** The reaction to a detected loop. */
  public OnLoop onLoop() {
    return onLoop;
  }

  /** Whether any detector is on. */
  public boolean isEnabled() {
    return maxToolRepeats != Integer.MAX_VALUE
        || maxExecutionDepth != Integer.MAX_VALUE
        || maxCyclePeriod > 1
        || maxFailures != Integer.MAX_VALUE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LoopPolicy other
        && maxToolRepeats == other.maxToolRepeats
        && maxExecutionDepth == other.maxExecutionDepth
        && maxCyclePeriod == other.maxCyclePeriod
        && cycleRepetitions == other.cycleRepetitions
        && maxFailures == other.maxFailures
        && onLoop == other.onLoop;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        maxToolRepeats, maxExecutionDepth, maxCyclePeriod, cycleRepetitions, maxFailures, onLoop);
  }

  @Override
  public String toString() {
    return "LoopPolicy{maxToolRepeats="
        + maxToolRepeats
        + ", maxExecutionDepth="
        + maxExecutionDepth
        + ", maxCyclePeriod="
        + maxCyclePeriod
        + ", cycleRepetitions="
        + cycleRepetitions
        + ", maxFailures="
        + maxFailures
        + ", onLoop="
        + onLoop
        + '}';
  }

  private static void atLeast(String name, int value, int minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(
          name + " must be at least " + minimum + ", but was " + value);
    }
  }
}
