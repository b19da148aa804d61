package dev.loomcache.agent;

import dev.loomcache.Cache;
import dev.loomcache.agent.AgentCache.EntryKey;
import dev.loomcache.agent.ToolOutcome.Source;
import dev.loomcache.agent.internal.ResourceGenerations;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * A cached tool: one entry per (name, canonical arguments, stamp of its resources), in the shared
 * entries or the bound session's. The core cache's single flight makes concurrent identical calls
 * run the tool once; the stamp (see {@link ResourceGenerations}) makes invalidation O(resources).
 */
final class ReadTool<A, R> extends AbstractTool<A, R> {
  private final Duration ttl;

  ReadTool(
      AgentCache cache,
      String name,
      ToolFunction<A, R> function,
      Scope scope,
      String[] resources,
      Duration ttl) {
    super(cache, name, function, scope, resources);
    this.ttl = ttl;
  }

  @Override
  public boolean isWrite() {
    return false;
  }

  @Override
  String[] readResources() {
    return resources;
  }

  @Override
  ToolOutcome<R> execute(
      ToolCall call, A arguments, @Nullable AgentSession session, @Nullable LoopKind detected) {
    // Global writes reach session entries too: their stamp includes the global generations.
    long stamp = ResourceGenerations.stamp(globalGenerations);
    Cache<EntryKey, Object> entries;
    if (scope == Scope.SESSION && session != null) {
      stamp += session.generations.stamp(resources);
      entries = session.entries();
    } else {
      entries = cache.entries;
    }
    var loader = new Loader(arguments);
    @Nullable Object value;
    try {
      value = entries.get(new EntryKey(call, stamp), loader, ttl);
    } catch (RuntimeException | Error e) {
      recordMiss(session);
      if (session != null) {
        session.onFailure(call);
      }
      throw e;
    }
    if (loader.ran) {
      recordMiss(session);
    } else {
      cache.counters.recordHit();
      if (session != null) {
        session.counters.recordHit();
      }
    }
    if (session != null) {
      session.onSuccess(call, value);
    }
    @SuppressWarnings("unchecked") // entries under this tool's name hold only its results
    @Nullable R result = (R) value;
    return new ToolOutcome<>(result, loader.ran ? Source.EXECUTED : Source.CACHED, detected);
  }

  private void recordMiss(@Nullable AgentSession session) {
    cache.counters.recordMiss();
    if (session != null) {
      session.counters.recordMiss();
    }
  }

  /** Runs the tool for one call and remembers whether it did; runs on the calling thread. */
  private final class Loader implements Callable<Object> {
    private final A arguments;
    boolean ran;

    Loader(A arguments) {
      this.arguments = arguments;
    }

    @Override
    public @Nullable Object call() {
      ran = true;
      return invoke(arguments);
    }
  }
}
