package dev.loomcache.agent;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Builds a read tool: cached per canonical arguments, tagged with resources that write tools
 * invalidate. Each setter may be called once; a second call throws {@link IllegalStateException}
 * naming the value already set. Not thread-safe; the tool it builds is.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
public final class ReadToolBuilder<A, R> {
  private final AgentCache cache;
  private final String name;
  private final ToolFunction<A, R> function;
  private String @Nullable [] resources;
  private @Nullable Scope scope;
  private @Nullable Duration ttl;

  ReadToolBuilder(AgentCache cache, String name, ToolFunction<A, R> function) {
    this.cache = cache;
    this.name = name;
    this.function = function;
  }

  /**
   * Tags the tool's entries with {@code resources}; a write tool or {@link
   * AgentCache#invalidateResources} naming one of them drops them. Default: none.
   *
   * @throws IllegalArgumentException if a resource is blank
   */
  public ReadToolBuilder<A, R> resource(String... resources) {
    String[] checked = AgentCache.checkResources(resources);
    if (this.resources != null) {
      throw new IllegalStateException(
          "resource was already set to " + Arrays.toString(this.resources));
    }
    this.resources = checked;
    return this;
  }

  /** Sets who shares the tool's entries; default {@link Scope#GLOBAL}. */
  public ReadToolBuilder<A, R> scope(Scope scope) {
    requireNonNull(scope, "scope must not be null");
    if (this.scope != null) {
      throw new IllegalStateException("scope was already set to " + this.scope);
    }
    this.scope = scope;
    return this;
  }

  /**
   * Sets how long results live; default the {@link AgentCache}'s default TTL. {@link Duration#ZERO}
   * stores nothing: concurrent identical calls still run the tool once.
   *
   * @throws IllegalArgumentException if {@code ttl} is negative
   */
  public ReadToolBuilder<A, R> ttl(Duration ttl) {
    requireNonNull(ttl, "ttl must not be null");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative, but was " + ttl);
    }
    if (this.ttl != null) {
      throw new IllegalStateException("ttl was already set to " + this.ttl);
    }
    this.ttl = ttl;
    return this;
  }

  /**
   * Builds the tool.
   *
   * @throws IllegalArgumentException if the {@link AgentCache} already has a tool of this name
   * @throws IllegalStateException if the {@link AgentCache} is closed
   */
  public Tool<A, R> build() {
    cache.registerTool(name);
    return new ReadTool<>(
        cache,
        name,
        function,
        scope == null ? Scope.GLOBAL : scope,
        resources == null ? new String[0] : resources,
        ttl == null ? cache.defaultTtl : ttl);
  }
}
