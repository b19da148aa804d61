package dev.loomcache.agent;

import java.io.Serial;

/**
 * Thrown by {@link Tool#call} when the tool failed with a checked exception, which is the
 * {@linkplain #getCause() cause}. Unchecked exceptions and errors thrown by a tool are never
 * wrapped.
 */
public class ToolExecutionException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private final String toolName;

  /** Creates an exception reporting that tool {@code toolName} failed with {@code cause}. */
  public ToolExecutionException(String toolName, Throwable cause) {
    super("Tool '" + toolName + "' failed: " + cause, cause);
    this.toolName = toolName;
  }

  /** The name of the tool that failed. */
  public String toolName() {
    return toolName;
  }
}
