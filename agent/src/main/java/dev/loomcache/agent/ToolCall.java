package dev.loomcache.agent;

import static java.util.Objects.requireNonNull;

import dev.loomcache.agent.internal.CanonicalArguments;
import java.io.Serial;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * One call as the cache and the loop detector see it: a tool name and the canonical JSON text of
 * its arguments. Two calls are equal when both are equal.
 *
 * <p>The canonical form is JSON without whitespace: object members sorted by name, numbers
 * normalised ({@code 1}, {@code 1.0} and {@code 1e0} are all {@code 1}), records written as objects
 * of their components, sets as sorted arrays; a {@code String} holding a JSON object or array is
 * parsed and canonicalised, any other string stays a string. The module's {@code README.md} gives
 * the full rules.
 */
public final class ToolCall implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final String toolName;
  private final String arguments;
  private final int hash;

  ToolCall(String toolName, String arguments) {
    this.toolName = toolName;
    this.arguments = arguments;
    this.hash = 31 * toolName.hashCode() + arguments.hashCode();
  }

  /**
   * Returns the call of {@code toolName} with {@code arguments} in canonical form.
   *
   * @throws NullPointerException if {@code toolName} is null
   * @throws IllegalArgumentException if the arguments hold a type with no canonical form (anything
   *     but records, maps, collections, arrays, strings, numbers, booleans, enums, {@code
   *     Optional}, {@code UUID}, {@code URI} and {@code java.time} values), a NaN or infinite
   *     number, a cyclic structure, or map keys that collide as text
   */
  public static ToolCall of(String toolName, @Nullable Object arguments) {
    requireNonNull(toolName, "toolName must not be null");
    return new ToolCall(toolName, CanonicalArguments.of(arguments));
  }

  /** The tool's name. */
  public String toolName() {
    return toolName;
  }

  /** The canonical JSON text of the arguments. */
  public String arguments() {
    return arguments;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ToolCall other
        && hash == other.hash
        && toolName.equals(other.toolName)
        && arguments.equals(other.arguments);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Returns {@code name(arguments)}, the arguments cut short past 200 characters. */
  @Override
  public String toString() {
    String shown = arguments.length() <= 200 ? arguments : arguments.substring(0, 200) + "…";
    return toolName + '(' + shown + ')';
  }
}
