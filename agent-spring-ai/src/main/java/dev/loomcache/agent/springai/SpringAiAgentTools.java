package dev.loomcache.agent.springai;

import static java.util.Objects.requireNonNull;

import dev.loomcache.agent.AgentCache;
import dev.loomcache.agent.AgentLoopDetectedException;
import dev.loomcache.agent.AgentSession;
import dev.loomcache.agent.LoopPolicy;
import dev.loomcache.agent.ReadToolBuilder;
import dev.loomcache.agent.Tool;
import dev.loomcache.agent.WriteToolBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.execution.DefaultToolExecutionExceptionProcessor;
import org.springframework.ai.tool.execution.ToolExecutionExceptionProcessor;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;

/**
 * Puts an {@link AgentCache} between Spring AI and its tools: read tools are cached by resource,
 * write tools invalidate, and each session named in the {@link ToolContext} is an {@link
 * AgentSession} with loop detection.
 *
 * <pre>{@code
 * SpringAiAgentTools tools = SpringAiAgentTools.newBuilder(agents)
 *     .readTool("getCart", read -> read.resource("cart"))
 *     .writeTool("addToCart", write -> write.invalidates("cart"))
 *     .build();
 * String answer = ChatClient.create(chatModel).prompt()
 *     .user("add sku-1 to my cart")
 *     .tools(tools.toolCallbacks(new ShopTools(shop)))
 *     .toolContext(Map.of(SpringAiAgentTools.DEFAULT_SESSION_KEY, "conversation-1"))
 *     .call().content();
 * }</pre>
 *
 * <p>Tools are matched by name; a tool that is neither a configured read nor write tool is
 * <em>tracked</em>: never cached, never invalidating, but counted and checked for loops. The cache
 * key is the tool name and the canonical form of the JSON input the model sent. A read tool whose
 * result depends on the tool context (not only on its input) must use {@code Scope.SESSION}.
 *
 * <p>The session of a call is the {@link AgentSession} bound to the calling thread, if any, else
 * the one this object keeps for the tool-context value under the session key (default {@value
 * #DEFAULT_SESSION_KEY}), opened with the builder's loop policy on first use and closed by {@link
 * #closeSession} or {@link #close}. Calls without that key have no session.
 *
 * <p>Loops are reported the way Spring AI reports tool errors: {@code RAISE} throws a {@link
 * org.springframework.ai.tool.execution.ToolExecutionException} whose cause is the {@link
 * AgentLoopDetectedException}; Spring AI's default exception processor returns its message to the
 * model, and {@link #rethrowLoops()} makes it end the call instead. {@code WARN} runs the tool (the
 * agent module logs a warning). {@code SHORT_CIRCUIT} does not run the tool: the model reads a
 * notice and the last result of the same call. Exceptions of the tool pass through unchanged and
 * count as failures.
 *
 * <p>Thread-safe; tools run on the thread Spring AI calls them on.
 */
public final class SpringAiAgentTools implements AutoCloseable {
  /** The default tool-context key of the session id. */
  public static final String DEFAULT_SESSION_KEY = "loomcache.session";

  private final AgentCache agents;
  private final LoopPolicy loopPolicy;
  private final String sessionKey;
  private final Map<String, Tool<String, String>> configured;
  private final ConcurrentHashMap<String, Tool<String, String>> tracked = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AgentSession> sessions = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private SpringAiAgentTools(Builder builder) {
    this.agents = builder.agents;
    this.loopPolicy = builder.loopPolicy == null ? LoopPolicy.defaults() : builder.loopPolicy;
    this.sessionKey = builder.sessionKey == null ? DEFAULT_SESSION_KEY : builder.sessionKey;
    var tools = new LinkedHashMap<String, Tool<String, String>>();
    builder.policies.forEach((name, policy) -> tools.put(name, policy.build(agents, name)));
    this.configured = Map.copyOf(tools);
  }

  /** Returns a builder for tools cached by {@code agents}. */
  public static Builder newBuilder(AgentCache agents) {
    return new Builder(requireNonNull(agents, "agents must not be null"));
  }

  /**
   * Returns a callback that runs {@code delegate} through the agent cache under the policy of its
   * tool's name; its definition and metadata are the delegate's.
   */
  public ToolCallback wrap(ToolCallback delegate) {
    requireNonNull(delegate, "delegate must not be null");
    return new CachingToolCallback(this, delegate);
  }

  /**
   * Returns the callbacks wrapped as {@link #wrap(ToolCallback)} does, in order; a list, which
   * {@code ChatClient}'s {@code tools(...)} and {@code ToolCallingChatOptions} take as it is.
   */
  public List<ToolCallback> wrapAll(ToolCallback... delegates) {
    requireNonNull(delegates, "delegates must not be null");
    var wrapped = new ArrayList<ToolCallback>(delegates.length);
    for (ToolCallback delegate : delegates) {
      wrapped.add(wrap(delegate));
    }
    return List.copyOf(wrapped);
  }

  /**
   * Returns a provider whose callbacks are those of {@code delegate}, wrapped, asked for each time.
   */
  public ToolCallbackProvider wrap(ToolCallbackProvider delegate) {
    requireNonNull(delegate, "delegate must not be null");
    return () -> wrapAll(delegate.getToolCallbacks()).toArray(ToolCallback[]::new);
  }

  /**
   * Returns the {@code @Tool} methods of {@code toolObjects} as callbacks (Spring AI's own {@code
   * MethodToolCallbackProvider} binds their arguments), each wrapped.
   *
   * @throws IllegalStateException if two tools share a name (Spring AI's check)
   */
  public List<ToolCallback> toolCallbacks(Object... toolObjects) {
    requireNonNull(toolObjects, "toolObjects must not be null");
    return wrapAll(
        MethodToolCallbackProvider.builder().toolObjects(toolObjects).build().getToolCallbacks());
  }

  /**
   * Returns Spring AI's default exception processor, except that it rethrows {@link
   * AgentLoopDetectedException}, so that {@code RAISE} ends the call; for {@code
   * ToolCallingManager.builder().toolExecutionExceptionProcessor(...)}.
   */
  public static ToolExecutionExceptionProcessor rethrowLoops() {
    return DefaultToolExecutionExceptionProcessor.builder()
        .rethrowExceptions(List.of(AgentLoopDetectedException.class))
        .build();
  }

  /** Returns the open session kept for {@code sessionId}, if any; never blocks. */
  public Optional<AgentSession> session(String sessionId) {
    requireNonNull(sessionId, "sessionId must not be null");
    AgentSession session = sessions.get(sessionId);
    return session == null || session.isClosed() ? Optional.empty() : Optional.of(session);
  }

  /**
   * Closes the session kept for {@code sessionId}: its session-scoped entries and loop history go.
   * Returns whether one was open. Never blocks.
   */
  public boolean closeSession(String sessionId) {
    requireNonNull(sessionId, "sessionId must not be null");
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
    return "SpringAiAgentTools{tools="
        + configured.keySet()
        + ", sessionKey="
        + sessionKey
        + ", openSessions="
        + sessions.size()
        + '}';
  }

  Tool<String, String> agentTool(String toolName) {
    var tool = configured.get(toolName);
    if (tool != null) {
      return tool;
    }
    // Registering a name is CPU-only: safe inside computeIfAbsent.
    return tracked.computeIfAbsent(
        toolName, name -> agents.writeTool(name, CachingToolCallback::runPending).build());
  }

  @Nullable String sessionId(@Nullable ToolContext context) {
    if (context == null) {
      return null;
    }
    Object id = context.getContext().get(sessionKey);
    return id == null ? null : id.toString();
  }

  AgentSession sessionFor(String id) {
    AgentSession session = sessions.get(id);
    if (session != null && !session.isClosed()) {
      return session;
    }
    if (closed) {
      throw new IllegalStateException("SpringAiAgentTools is closed");
    }
    // openSession only checks and registers the id: CPU-only, safe inside compute.
    AgentSession opened =
        sessions.compute(
            id,
            (key, old) ->
                old != null && !old.isClosed() ? old : agents.openSession(key, loopPolicy));
    if (closed) { // close() may have swept the sessions before this one was added
      closeSession(id);
      throw new IllegalStateException("SpringAiAgentTools is closed");
    }
    return opened;
  }

  /** Builds a {@link SpringAiAgentTools}; each setter may be called once. Not thread-safe. */
  public static final class Builder {
    private final AgentCache agents;
    private final Map<String, ToolPolicy> policies = new LinkedHashMap<>();
    private @Nullable LoopPolicy loopPolicy;
    private @Nullable String sessionKey;

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
        String toolName, Consumer<? super ReadToolBuilder<String, String>> policy) {
      requireNonNull(policy, "policy must not be null");
      return add(
          toolName,
          (cache, name) -> {
            var read = cache.readTool(name, CachingToolCallback::runPending);
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
        String toolName, Consumer<? super WriteToolBuilder<String, String>> policy) {
      requireNonNull(policy, "policy must not be null");
      return add(
          toolName,
          (cache, name) -> {
            var write = cache.writeTool(name, CachingToolCallback::runPending);
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
     * Sets the tool-context key whose value is the session id; default {@value
     * #DEFAULT_SESSION_KEY}.
     *
     * @throws IllegalArgumentException if {@code key} is blank
     */
    public Builder sessionKey(String key) {
      requireNonNull(key, "key must not be null");
      if (key.isBlank()) {
        throw new IllegalArgumentException("key must not be blank");
      }
      if (this.sessionKey != null) {
        throw new IllegalStateException("sessionKey was already set to " + this.sessionKey);
      }
      this.sessionKey = key;
      return this;
    }

    /**
     * Builds the tools' policies into the agent cache.
     *
     * @throws IllegalArgumentException if the agent cache already has a tool of a configured name
     * @throws IllegalStateException if the agent cache is closed
     */
    public SpringAiAgentTools build() {
      return new SpringAiAgentTools(this);
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
    Tool<String, String> build(AgentCache agents, String name);
  }
}
