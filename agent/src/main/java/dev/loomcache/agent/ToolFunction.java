package dev.loomcache.agent;

import org.jspecify.annotations.Nullable;

/**
 * The code of a tool: takes the arguments the agent chose and returns the result, possibly
 * throwing.
 *
 * @param <A> the argument type: a record, a {@code Map}, a JSON {@code String} or any other type
 *     that {@link ToolCall#of} accepts
 * @param <R> the result type
 */
@FunctionalInterface
public interface ToolFunction<A, R> {

  /**
   * Runs the tool. May block; runs on the calling thread.
   *
   * @throws Exception whatever the tool fails with; {@link Tool#call} passes unchecked exceptions
   *     through and wraps checked ones in {@link ToolExecutionException}
   */
  @Nullable R apply(A arguments) throws Exception;
}
