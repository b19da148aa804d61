package dev.loomcache.agent;

import dev.loomcache.agent.ToolOutcome.Source;
import dev.loomcache.agent.internal.ResourceGenerations;
import org.jspecify.annotations.Nullable;

/**
 * A mutating tool: invalidates its resources, runs, and invalidates them again, so that no read
 * racing the write can leave pre-write data cached, whether the write succeeds or throws.
 */
final class WriteTool<A, R> extends AbstractTool<A, R> {
  private static final String[] NONE = {};

  WriteTool(
      AgentCache cache, String name, ToolFunction<A, R> function, Scope scope, String[] resources) {
    super(cache, name, function, scope, resources);
  }

  @Override
  public boolean isWrite() {
    return true;
  }

  @Override
  String[] readResources() {
    return NONE;
  }

  @Override
  ToolOutcome<R> execute(
      ToolCall call, A arguments, @Nullable AgentSession session, @Nullable LoopKind detected) {
    if (resources.length > 0) {
      cache.counters.recordInvalidation();
      if (session != null) {
        session.counters.recordInvalidation();
        session.onWrite(resources);
      }
    }
    invalidate(session);
    @Nullable R result;
    try {
      result = invoke(arguments);
    } catch (RuntimeException | Error e) {
      if (session != null) {
        session.onFailure(call);
      }
      throw e;
    } finally {
      invalidate(session); // a read that began while the write ran may have stored pre-write data
    }
    if (session != null) {
      session.onSuccess(call, result);
    }
    return new ToolOutcome<>(result, Source.EXECUTED, detected);
  }

  private void invalidate(@Nullable AgentSession session) {
    if (scope == Scope.GLOBAL) {
      ResourceGenerations.advance(globalGenerations);
    } else if (session != null) {
      session.generations.advance(resources);
    }
  }
}
