package dev.loomcache.agent;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one tool call returned and where the value came from; an immutable value returned by {@link
 * Tool#callOutcome}.
 *
 * @param <R> the tool's result type
 */
public final class ToolOutcome<R> {
  /** Where a call's value came from. */
  public enum Source {
    /** This call ran the tool. */
    EXECUTED,
    /**
     * The value came from the cache, or from a concurrent identical call's run; the tool did not
     * run for this call.
     */
    CACHED,
    /**
     * The loop detector fired and {@link OnLoop#SHORT_CIRCUIT} answered without running the tool.
     */
    SHORT_CIRCUITED
  }

  private final @Nullable R value;
  private final Source source;
  private final @Nullable LoopKind detectedLoop;

  ToolOutcome(@Nullable R value, Source source, @Nullable LoopKind detectedLoop) {
    this.value = value;
    this.source = requireNonNull(source, "source must not be null");
    this.detectedLoop = detectedLoop;
  }

  /**
   * The value the call returned; {@code null} if the tool returned null or a short circuit had
   * none.
   */
  public @Nullable R value() {
    return value;
  }

  /** Where the value came from. */
  public Source source() {
    return source;
  }

  /** Whether this call ran the tool. */
  public boolean executed() {
    return source == Source.EXECUTED;
  }

  /**
   * Whether the value came from the cache (or a concurrent identical call) without running the
   * tool.
   */
  public boolean fromCache() {
    return source == Source.CACHED;
  }

  /** Whether the loop detector stopped the call and the session answered instead. */
  public boolean shortCircuited() {
    return source == Source.SHORT_CIRCUITED;
  }

  /**
   * The loop the detector found on this call, or {@code null} if it found none; set for {@link
   * OnLoop#WARN} (the call ran anyway) and {@link OnLoop#SHORT_CIRCUIT}.
   */
  public @Nullable LoopKind detectedLoop() {
    return detectedLoop;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ToolOutcome<?> other
        && Objects.equals(value, other.value)
        && source == other.source
        && detectedLoop == other.detectedLoop;
  }

  @Override
  public int hashCode() {
    return Objects.hash(value, source, detectedLoop);
  }

  @Override
  public String toString() {
    return "ToolOutcome{"
        + source
        + (detectedLoop == null ? "" : ", loop=" + detectedLoop)
        + ", value="
        + value
        + '}';
  }
}
