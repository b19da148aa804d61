package dev.loomcache.agent;

import static java.util.Objects.requireNonNull;

import dev.loomcache.agent.ToolOutcome.Source;
import dev.loomcache.agent.internal.CanonicalArguments;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * What every tool call does before the tool's own work: canonical arguments, the bound session, the
 * counters and the loop detector with its reaction.
 */
abstract sealed class AbstractTool<A, R> implements Tool<A, R> permits ReadTool, WriteTool {
  final AgentCache cache;
  final String name;
  final Scope scope;
  final String[] resources;

  /** This tool's resources' shared generations (see {@code ResourceGenerations}), resolved once. */
  final AtomicLong[] globalGenerations;

  private final ToolFunction<A, R> function;
  private final Set<String> resourceSet;

  AbstractTool(
      AgentCache cache, String name, ToolFunction<A, R> function, Scope scope, String[] resources) {
    this.cache = cache;
    this.name = name;
    this.function = function;
    this.scope = scope;
    this.resources = resources;
    this.resourceSet = Set.of(resources); // already checked and distinct
    this.globalGenerations = cache.generations.counters(resources);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Scope scope() {
    return scope;
  }

  @Override
  public final Set<String> resources() {
    return resourceSet;
  }

  @Override
  public final @Nullable R call(A arguments) {
    return callOutcome(arguments).value();
  }

  @Override
  public final ToolOutcome<R> callOutcome(A arguments) {
    requireNonNull(arguments, "arguments must not be null");
    cache.checkOpen();
    var call = new ToolCall(name, CanonicalArguments.of(arguments));
    AgentSession session = AgentSession.bound();
    if (session != null) {
      session.checkUsableBy(cache);
    } else if (scope == Scope.SESSION) {
      throw new IllegalStateException(
          "Tool '"
              + name
              + "' has scope SESSION but no session is bound: call it inside"
              + " AgentSession.run/call, or pass the framework AgentSession.wrap(task)");
    }
    cache.counters.recordCall();
    LoopKind detected = null;
    if (session != null) {
      session.counters.recordCall();
      detected = session.screen(call, readResources());
      if (detected != null && session.shortCircuits()) {
        @SuppressWarnings("unchecked") // the session keeps what this tool returned for this call
        @Nullable R last = (R) session.lastResult(call);
        return new ToolOutcome<>(last, Source.SHORT_CIRCUITED, detected);
      }
    }
    return execute(call, arguments, session, detected);
  }

  /** Does the tool's work for a call that passed the loop detector. */
  abstract ToolOutcome<R> execute(
      ToolCall call, A arguments, @Nullable AgentSession session, @Nullable LoopKind detected);

  /** The resources whose writes reset this tool's repeat counts: a read tool's, or none. */
  abstract String[] readResources();

  /**
   * Runs the tool function: unchecked failures pass through, checked ones are wrapped, and an
   * interrupt the tool reported is kept on the thread so the core cache treats it as one.
   */
  final @Nullable R invoke(A arguments) {
    try {
      return function.apply(arguments);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolExecutionException(name, e);
    } catch (Exception e) {
      throw new ToolExecutionException(name, e);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "{name="
        + name
        + ", scope="
        + scope
        + ", resources="
        + resourceSet
        + '}';
  }
}
