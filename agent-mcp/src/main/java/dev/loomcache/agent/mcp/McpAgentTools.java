package dev.loomcache.agent.mcp;

import static java.util.Objects.requireNonNull;

import dev.loomcache.agent.AgentCache;
import dev.loomcache.agent.AgentSession;
import dev.loomcache.agent.LoopPolicy;
import dev.loomcache.agent.ReadToolBuilder;
import dev.loomcache.agent.Tool;
import dev.loomcache.agent.WriteToolBuilder;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncListFilter;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Puts an {@link AgentCache} between an MCP server built with the MCP Java SDK and its tools: read
 * tools are cached by resource, write tools invalidate, and each MCP session is an {@link
 * AgentSession} with loop detection.
 *
 * <pre>{@code
 * McpAgentTools tools = McpAgentTools.newBuilder(agents)
 *     .readTool("get_cart", read -> read.resource("cart"))
 *     .writeTool("add_to_cart", write -> write.invalidates("cart"))
 *     .build();
 * McpSyncServer server = McpServer.sync(transport)
 *     .tools(tools.wrap(List.of(getCart, addToCart)))
 *     .addToolFilter(tools.toolFilter(context -> null))
 *     .build();
 * }</pre>
 *
 * <p>Tools are matched by name; a tool that is neither a configured read nor write tool is
 * <em>tracked</em>: never cached, never invalidating, but counted and checked for loops. The cache
 * key is the tool name and the canonical form of the call's arguments. A read tool whose result
 * depends on who calls it (not only on its arguments) must use {@code Scope.SESSION}.
 *
 * <p>The session of a call is the {@link AgentSession} bound to the calling thread, if any, else
 * the one this object keeps for {@code exchange.sessionId()}, opened with the builder's loop policy
 * on first use and closed by {@link #closeSession} or {@link #close}.
 *
 * <p>Loops are answered as MCP tool errors the model can read: {@code RAISE} returns a result with
 * {@code isError} true and the detector's message; {@code WARN} runs the tool and adds the loop
 * kind to the result's {@code _meta} under {@link #LOOP_META}; {@code SHORT_CIRCUIT} does not run
 * the tool and returns a notice followed by the content of the last result of the same call. A tool
 * stopped by {@code RAISE} or {@code SHORT_CIRCUIT} is <em>blocked</em> in its session: {@link
 * #blockedTools} lists it, {@link #toolFilter} hides it from {@code tools/list}, and the builder's
 * {@link Builder#onToolBlocked} callback may tell the client to list its tools again. Results with
 * {@code isError} true are returned as they are, never cached, and count as failures.
 *
 * <p>Thread-safe; tools run on the thread the SDK calls them on.
 */
public final class McpAgentTools implements AutoCloseable {
  /** The {@code _meta} key of a result on which the loop detector fired: the loop kind's name. */
  public static final String LOOP_META = "loomcache/loop";

  private final AgentCache agents;
  private final LoopPolicy loopPolicy;
  private final @Nullable BiConsumer<String, String> onToolBlocked;
  private final Map<String, Tool<Map<String, Object>, CallToolResult>> configured;
  private final ConcurrentHashMap<String, Tool<Map<String, Object>, CallToolResult>> tracked =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AgentSession> sessions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<String>> blocked = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private McpAgentTools(Builder builder) {
    this.agents = builder.agents;
    this.loopPolicy = builder.loopPolicy == null ? LoopPolicy.defaults() : builder.loopPolicy;
    this.onToolBlocked = builder.onToolBlocked;
    var tools = new LinkedHashMap<String, Tool<Map<String, Object>, CallToolResult>>();
    builder.policies.forEach((name, policy) -> tools.put(name, policy.build(agents, name)));
    this.configured = Map.copyOf(tools);
  }

  /** Returns a builder for tools cached by {@code agents}. */
  public static Builder newBuilder(AgentCache agents) {
    return new Builder(requireNonNull(agents, "agents must not be null"));
  }

  /**
   * Returns {@code specification} with its call handler run through the agent cache under the
   * policy of its tool's name; the tool itself (name, schema) is unchanged.
   */
  public SyncToolSpecification wrap(SyncToolSpecification specification) {
    requireNonNull(specification, "specification must not be null");
    String name = specification.tool().name();
    return SyncToolSpecification.builder()
        .tool(specification.tool())
        .callHandler(new CachingCallHandler(this, name, specification.callHandler()))
        .build();
  }

  /** Returns the specifications wrapped as {@link #wrap(SyncToolSpecification)} does, in order. */
  public List<SyncToolSpecification> wrap(List<SyncToolSpecification> specifications) {
    requireNonNull(specifications, "specifications must not be null");
    var wrapped = new ArrayList<SyncToolSpecification>(specifications.size());
    for (SyncToolSpecification specification : specifications) {
      wrapped.add(wrap(specification));
    }
    return wrapped;
  }

  /**
   * Returns a tool filter for {@code McpServer.sync(...).addToolFilter} that hides the tools
   * blocked in the caller's session. The SDK hands filters the transport context, not the session:
   * {@code sessionIdOf} finds the session id in it (for HTTP transports, put it there with a
   * context extractor); when it returns null, a tool is hidden if it is blocked in any session,
   * which is right for stdio servers (one session per process).
   */
  public McpSyncListFilter<io.modelcontextprotocol.spec.McpSchema.Tool> toolFilter(
      Function<McpTransportContext, @Nullable String> sessionIdOf) {
    requireNonNull(sessionIdOf, "sessionIdOf must not be null");
    return (context, tool) -> {
      String sessionId = sessionIdOf.apply(context);
      if (sessionId != null) {
        return !blockedTools(sessionId).contains(tool.name());
      }
      for (Set<String> names : blocked.values()) {
        if (names.contains(tool.name())) {
          return false;
        }
      }
      return true;
    };
  }

  /** Returns the tools blocked in the session {@code sessionId}, in no order; never blocks. */
  public Set<String> blockedTools(String sessionId) {
    requireNonNull(sessionId, "sessionId must not be null");
    Set<String> names = blocked.get(sessionId);
    return names == null ? Set.of() : Set.copyOf(names);
  }

  /** Returns the open session kept for the MCP session {@code sessionId}, if any; never blocks. */
  public Optional<AgentSession> session(String sessionId) {
    requireNonNull(sessionId, "sessionId must not be null");
    AgentSession session = sessions.get(sessionId);
    return session == null || session.isClosed() ? Optional.empty() : Optional.of(session);
  }

  /** Returns the ids of the open sessions this object keeps; never blocks. */
  public Set<String> sessionIds() {
    return Set.copyOf(sessions.keySet());
  }

  /**
   * Closes the session kept for {@code sessionId}: its session-scoped entries, loop history and
   * blocked tools go. Returns whether one was open. Never blocks.
   */
  public boolean closeSession(String sessionId) {
    requireNonNull(sessionId, "sessionId must not be null");
    blocked.remove(sessionId);
    AgentSession session = sessions.remove(sessionId);
    if (session == null) {
      return false;
    }
    boolean wasOpen = !session.isClosed();
    session.close();
    return wasOpen;
  }

  /** Closes every session this object opened; the {@link AgentCache} stays open. Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (String id : List.copyOf(sessions.keySet())) {
      closeSession(id);
    }
  }

  @Override
  public String toString() {
    return "McpAgentTools{tools=" + configured.keySet() + ", openSessions=" + sessions.size() + '}';
  }

  Tool<Map<String, Object>, CallToolResult> agentTool(String toolName) {
    var tool = configured.get(toolName);
    if (tool != null) {
      return tool;
    }
    // Registering a name is CPU-only: safe inside computeIfAbsent.
    return tracked.computeIfAbsent(
        toolName, name -> agents.writeTool(name, CachingCallHandler::runPending).build());
  }

  AgentSession sessionFor(String id) {
    AgentSession session = sessions.get(id);
    if (session != null && !session.isClosed()) {
      return session;
    }
    if (closed) {
      throw new IllegalStateException("McpAgentTools is closed");
    }
    // openSession only checks and registers the id: CPU-only, safe inside compute.
    AgentSession opened =
        sessions.compute(
            id,
            (key, old) ->
                old != null && !old.isClosed() ? old : agents.openSession(key, loopPolicy));
    if (closed) { // close() may have swept the sessions before this one was added
      closeSession(id);
      throw new IllegalStateException("McpAgentTools is closed");
    }
    return opened;
  }

  void block(String sessionId, String toolName) {
    boolean added =
        blocked.computeIfAbsent(sessionId, id -> ConcurrentHashMap.newKeySet()).add(toolName);
    if (added && onToolBlocked != null) {
      onToolBlocked.accept(sessionId, toolName);
    }
  }

  /** Builds a {@link McpAgentTools}; each setter may be called once. Not thread-safe. */
  public static final class Builder {
    private final AgentCache agents;
    private final Map<String, ToolPolicy> policies = new LinkedHashMap<>();
    private @Nullable LoopPolicy loopPolicy;
    private @Nullable BiConsumer<String, String> onToolBlocked;

    private Builder(AgentCache agents) {
      this.agents = agents;
    }

    /**
     * Makes the tool named {@code toolName} a read tool; {@code policy} sets its resources, scope
     * and TTL on the agent module's builder (and must not call {@code build()}).
     *
     * @throws IllegalArgumentException if {@code toolName} is blank or already configured
     */
    public Builder readTool(
        String toolName,
        Consumer<? super ReadToolBuilder<Map<String, Object>, CallToolResult>> policy) {
      requireNonNull(policy, "policy must not be null");
      return add(
          toolName,
          (cache, name) -> {
            var read = cache.readTool(name, CachingCallHandler::runPending);
            policy.accept(read);
            return read.build();
          });
    }

    /** Makes the tool named {@code toolName} a read tool with no resources, shared by everyone. */
    public Builder readTool(String toolName) {
      return readTool(toolName, read -> {});
    }

    /**
     * Makes the tool named {@code toolName} a write tool; {@code policy} sets the resources it
     * invalidates and its scope on the agent module's builder (and must not call {@code build()}).
     *
     * @throws IllegalArgumentException if {@code toolName} is blank or already configured
     */
    public Builder writeTool(
        String toolName,
        Consumer<? super WriteToolBuilder<Map<String, Object>, CallToolResult>> policy) {
      requireNonNull(policy, "policy must not be null");
      return add(
          toolName,
          (cache, name) -> {
            var write = cache.writeTool(name, CachingCallHandler::runPending);
            policy.accept(write);
            return write.build();
          });
    }

    /**
     * Sets the loop policy of the sessions this object opens; default {@link
     * LoopPolicy#defaults()}.
     */
    public Builder loopPolicy(LoopPolicy loopPolicy) {
      requireNonNull(loopPolicy, "loopPolicy must not be null");
      if (this.loopPolicy != null) {
        throw new IllegalStateException("loopPolicy was already set to " + this.loopPolicy);
      }
      this.loopPolicy = loopPolicy;
      return this;
    }

    /**
     * Sets what to do when a tool becomes blocked in a session (for instance, {@code (session,
     * tool) -> server.notifyToolsListChanged()}); called with the session id and the tool name on
     * the thread of the call that blocked it, once per tool and session.
     */
    public Builder onToolBlocked(BiConsumer<String, String> onToolBlocked) {
      requireNonNull(onToolBlocked, "onToolBlocked must not be null");
      if (this.onToolBlocked != null) {
        throw new IllegalStateException("onToolBlocked was already set to " + this.onToolBlocked);
      }
      this.onToolBlocked = onToolBlocked;
      return this;
    }

    /**
     * Builds the tools' policies into the agent cache.
     *
     * @throws IllegalArgumentException if the agent cache already has a tool of a configured name
     * @throws IllegalStateException if the agent cache is closed
     */
    public McpAgentTools build() {
      return new McpAgentTools(this);
    }

    private Builder add(String toolName, ToolPolicy policy) {
      requireNonNull(toolName, "toolName must not be null");
      if (toolName.isBlank()) {
        throw new IllegalArgumentException("toolName must not be blank");
      }
      if (policies.putIfAbsent(toolName, policy) != null) {
        throw new IllegalArgumentException("Tool '" + toolName + "' is already configured");
      }
      return this;
    }
  }

  @FunctionalInterface
  private interface ToolPolicy {
    Tool<Map<String, Object>, CallToolResult> build(AgentCache agents, String name);
  }
}
