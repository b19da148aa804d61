package dev.loomcache.agent.internal;

import dev.loomcache.agent.LoopKind;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;

/**
 * Micrometer meters of one {@code AgentCache}, all tagged {@code cache=<name>}. They read the
 * counters directly, so they cost nothing per call and keep their last values after close.
 */
public final class AgentMetrics {
  private AgentMetrics() {}

  /**
   * Registers the meters of {@code counters} and the gauge of {@code openSessions} with {@code
   * registry}.
   */
  public static void bind(
      MeterRegistry registry, String cacheName, AgentCounters counters, Map<?, ?> openSessions) {
    FunctionCounter.builder("agent.tool.calls", counters, AgentCounters::callCount)
        .tag("cache", cacheName)
        .description("Tool calls made, of every kind and outcome")
        .register(registry);
    FunctionCounter.builder("agent.tool.gets", counters, AgentCounters::hitCount)
        .tag("cache", cacheName)
        .tag("result", "hit")
        .description("Read calls served without running the tool")
        .register(registry);
    FunctionCounter.builder("agent.tool.gets", counters, AgentCounters::missCount)
        .tag("cache", cacheName)
        .tag("result", "miss")
        .description("Read calls that ran the tool")
        .register(registry);
    FunctionCounter.builder("agent.tool.invalidations", counters, AgentCounters::invalidationCount)
        .tag("cache", cacheName)
        .description("Write calls that invalidated resources")
        .register(registry);
    FunctionCounter.builder("agent.tool.short.circuits", counters, AgentCounters::shortCircuitCount)
        .tag("cache", cacheName)
        .description("Calls answered by the loop detector without running the tool")
        .register(registry);
    for (LoopKind kind : LoopKind.values()) {
      FunctionCounter.builder("agent.loops", counters, c -> c.loopCount(kind))
          .tag("cache", cacheName)
          .tag("kind", kind.name().toLowerCase(Locale.ROOT))
          .description("Calls on which the loop detector fired")
          .register(registry);
    }
    Gauge.builder("agent.sessions.open", openSessions, Map::size)
        .tag("cache", cacheName)
        .description("Sessions open now")
        .register(registry);
  }
}
