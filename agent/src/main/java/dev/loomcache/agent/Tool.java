package dev.loomcache.agent;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A tool an agent calls, wrapped by an {@link AgentCache}: read tools are cached per (name,
 * canonical arguments) and tagged with resources; write tools invalidate their resources before and
 * after they run. Calls made inside an {@link AgentSession} go through its loop detector first.
 *
 * <p>Build one with {@link AgentCache#readTool} or {@link AgentCache#writeTool}. Thread-safe: any
 * thread may call it; the session is the one bound to the calling thread, if any.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
public interface Tool<A, R> {

  /** The tool's name, unique within its {@link AgentCache}. */
  String name();

  /**
   * The tool's scope: whose entries it reads and stores (read tools) or invalidates (write tools).
   */
  Scope scope();

  /** The resources a read tool's entries are tagged with, or those a write tool invalidates. */
  Set<String> resources();

  /** Whether this is a write tool. */
  boolean isWrite();

  /**
   * Calls the tool, or returns its cached result; as {@link #callOutcome} without saying where the
   * value came from.
   *
   * @throws NullPointerException if {@code arguments} is null
   * @throws IllegalArgumentException if the arguments have no canonical form (see {@link
   *     ToolCall#of})
   * @throws IllegalStateException if the tool's scope is {@link Scope#SESSION} and no session is
   *     bound, if the bound session is closed or belongs to another {@code AgentCache}, or if the
   *     {@code AgentCache} is closed
   * @throws AgentLoopDetectedException if the bound session's loop detector fired and its policy is
   *     {@link OnLoop#RAISE}; the tool did not run
   * @throws ToolExecutionException if the tool threw a checked exception (the cause)
   */
  @Nullable R call(A arguments);

  /**
   * Calls the tool, or returns its cached result, and says which.
   *
   * <p>The call is first appended to the bound session's history and checked by its loop detector;
   * then a read tool returns the cached value for these arguments or runs the tool and caches a
   * non-null result, and a write tool invalidates its resources, runs, and invalidates them again
   * (also when it throws). Concurrent identical read calls run the tool once; the others wait for
   * it and share its result or failure. Failures and {@code null} results are never cached. The
   * tool runs on the calling thread; this method may park the calling thread while an identical
   * call runs.
   *
   * @throws NullPointerException if {@code arguments} is null
   * @throws IllegalArgumentException if the arguments have no canonical form (see {@link
   *     ToolCall#of})
   * @throws IllegalStateException as for {@link #call}
   * @throws AgentLoopDetectedException as for {@link #call}
   * @throws ToolExecutionException as for {@link #call}; the tool's unchecked exceptions and errors
   *     pass through unchanged
   * @throws dev.loomcache.CacheLoadException if the calling thread was interrupted while waiting
   *     for an identical call (its interrupt status is restored)
   */
  ToolOutcome<R> callOutcome(A arguments);
}
