package dev.loomcache.agent;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Builds a write tool: it invalidates its resources before it runs and again after, also when it
 * throws. Each setter may be called once; a second call throws {@link IllegalStateException} naming
 * the value already set. Not thread-safe; the tool it builds is.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
public final class WriteToolBuilder<A, R> {
  private final AgentCache cache;
  private final String name;
  private final ToolFunction<A, R> function;
  private String @Nullable [] resources;
  private @Nullable Scope scope;

  WriteToolBuilder(AgentCache cache, String name, ToolFunction<A, R> function) {
    this.cache = cache;
    this.name = name;
    this.function = function;
  }

  /**
   * Sets the resources the tool invalidates; default: none.
   *
   * @throws IllegalArgumentException if a resource is blank
   */
  public WriteToolBuilder<A, R> invalidates(String... resources) {
    String[] checked = AgentCache.checkResources(resources);
    if (this.resources != null) {
      throw new IllegalStateException(
          "invalidates was already set to " + Arrays.toString(this.resources));
    }
    this.resources = checked;
    return this;
  }

  /**
   * Sets whose entries the tool invalidates; default {@link Scope#GLOBAL}: every entry of its
   * resources, shared or session-owned. {@link Scope#SESSION}: only the bound session's entries.
   */
  public WriteToolBuilder<A, R> scope(Scope scope) {
    requireNonNull(scope, "scope must not be null");
    if (this.scope != null) {
      throw new IllegalStateException("scope was already set to " + this.scope);
    }
    this.scope = scope;
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
    return new WriteTool<>(
        cache,
        name,
        function,
        scope == null ? Scope.GLOBAL : scope,
        resources == null ? new String[0] : resources);
  }
}
