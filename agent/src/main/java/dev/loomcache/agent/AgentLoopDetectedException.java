package dev.loomcache.agent;

import static java.util.Objects.requireNonNull;

import java.io.Serial;
import java.util.List;

/**
 * Thrown when a session's loop detector fires and its policy says {@link OnLoop#RAISE}; the call on
 * which it fired did not run.
 */
public class AgentLoopDetectedException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private final LoopKind kind;
  private final String sessionId;
  private final String toolName;
  private final ToolCall[] calls; // an array: serializable, unlike a List-typed field
  private final long observedCount;

  /**
   * Creates the exception; the message is built from the arguments.
   *
   * @param calls the calls that repeat: the repeated call for {@link LoopKind#REPEAT} and {@link
   *     LoopKind#RETRY_STORM}, one period of the cycle (oldest first) for {@link LoopKind#CYCLE},
   *     the call past the limit for {@link LoopKind#DEPTH}
   * @param observedCount what crossed the limit: the calls of that tool with those arguments, the
   *     repetitions of the cycle, the earlier failures, or the number of the call in the session
   */
  public AgentLoopDetectedException(
      LoopKind kind, String sessionId, String toolName, List<ToolCall> calls, long observedCount) {
    super(describe(kind, sessionId, calls, observedCount));
    this.kind = requireNonNull(kind, "kind must not be null");
    this.sessionId = requireNonNull(sessionId, "sessionId must not be null");
    this.toolName = requireNonNull(toolName, "toolName must not be null");
    this.calls = calls.toArray(ToolCall[]::new);
    this.observedCount = observedCount;
  }

  /** Which detector fired. */
  public LoopKind kind() {
    return kind;
  }

  /** The id of the session in which it fired. */
  public String sessionId() {
    return sessionId;
  }

  /** The tool of the call on which it fired. */
  public String toolName() {
    return toolName;
  }

  /** The calls that repeat (see the constructor); never empty. */
  public List<ToolCall> calls() {
    return List.of(calls);
  }

  /** The count that crossed the policy's limit (see the constructor). */
  public long observedCount() {
    return observedCount;
  }

  static String describe(
      LoopKind kind, String sessionId, List<ToolCall> calls, long observedCount) {
    String what =
        switch (kind) {
          case REPEAT -> calls.getFirst() + " called " + observedCount + " times";
          case CYCLE -> "the cycle " + calls + " repeated " + observedCount + " times in a row";
          case RETRY_STORM ->
              calls.getFirst() + " called again after " + observedCount + " failures";
          case DEPTH -> calls.getFirst() + " is call number " + observedCount;
        };
    return "Agent loop (" + kind + ") in session '" + sessionId + "': " + what;
  }
}
