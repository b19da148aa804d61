package dev.loomcache.agent.langchain4j;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.service.tool.AiServiceTool;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutionErrorHandler;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderResult;
import dev.loomcache.agent.AgentCache;
import dev.loomcache.agent.AgentLoopDetectedException;
import dev.loomcache.agent.AgentSession;
import dev.loomcache.agent.LoopPolicy;
import dev.loomcache.agent.ReadToolBuilder;
import dev.loomcache.agent.Scope;
import dev.loomcache.agent.WriteToolBuilder;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Puts an {@link AgentCache} between LangChain4j and its tools: read tools are cached by resource,
 * write tools invalidate, and each conversation runs in an {@link AgentSession} with loop
 * detection.
 *
 * <pre>{@code
 * LangChain4jAgentTools tools = LangChain4jAgentTools.newBuilder(agents)
 *     .readTool("getCart", read -> read.resource("cart").ttl(Duration.ofMinutes(2)))
 *     .writeTool("addToCart", write -> write.invalidates("cart"))
 *     .loopPolicy(LoopPolicy.defaults().maxToolRepeats(3))
 *     .build();
 * Assistant assistant = AiServices.builder(Assistant.class)
 *     .chatModel(model)
 *     .toolProvider(tools.toolProvider(new ShopTools(shop)))
 *     .build();
 * }</pre>
 *
 * <p>Tools are matched by name. A tool configured with {@link Builder#readTool} is a read tool of
 * the agent cache keyed by the canonical form of the JSON arguments the model sent; one configured
 * with {@link Builder#writeTool} is a write tool; any other tool is <em>tracked</em>: never cached,
 * never invalidating, but counted and checked by the loop detector. A tool whose result depends on
 * the memory id or on invocation parameters injected by LangChain4j (not on its JSON arguments)
 * must be read with {@link Scope#SESSION}, or its entries would be shared across conversations.
 *
 * <p>The session of a call is, in this order: the {@link AgentSession} bound to the calling thread
 * (for applications that run {@code session.run(() -> assistant.chat(...))}), else the session this
 * object keeps for the call's chat memory id (or for the invocation parameter named by {@link
 * Builder#sessionFromParameter}), opened with the builder's loop policy on first use and closed by
 * {@link #closeSession} or {@link #close}. AI services without {@code @MemoryId} give every call
 * the memory id {@code "default"}, hence one shared session.
 *
 * <p>Loop reactions, as the policy's {@code onLoop} says: {@code RAISE} throws {@link
 * AgentLoopDetectedException} from the executor, which LangChain4j's default error handler turns
 * into an error result the model reads; install {@link #rethrowLoops} as the AI service's {@code
 * toolExecutionErrorHandler} to end the conversation with the exception instead. {@code WARN} runs
 * the tool and marks its result with the attribute {@link #LOOP_ATTRIBUTE}. {@code SHORT_CIRCUIT}
 * does not run the tool: the model reads a result that names the loop and repeats the last result
 * of the same call. Tool results with {@code isError()} are returned as they are and never cached;
 * they count as failures for retry-storm detection.
 *
 * <p>Thread-safe. Tools run on the thread LangChain4j calls them on.
 */
public final class LangChain4jAgentTools implements AutoCloseable {
  /** The attribute of a tool result on which the loop detector fired: the {@code LoopKind} name. */
  public static final String LOOP_ATTRIBUTE = "loomcache.loop";

  private final AgentCache agents;
  private final LoopPolicy loopPolicy;
  private final @Nullable String sessionParameter;
  private final Map<String, dev.loomcache.agent.Tool<String, ToolExecutionResult>> configured;
  private final ConcurrentHashMap<String, dev.loomcache.agent.Tool<String, ToolExecutionResult>>
      tracked = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AgentSession> sessions = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private LangChain4jAgentTools(Builder builder) {
    this.agents = builder.agents;
    this.loopPolicy = builder.loopPolicy == null ? LoopPolicy.defaults() : builder.loopPolicy;
    this.sessionParameter = builder.sessionParameter;
    var tools = new LinkedHashMap<String, dev.loomcache.agent.Tool<String, ToolExecutionResult>>();
    builder.policies.forEach((name, policy) -> tools.put(name, policy.build(agents, name)));
    this.configured = Map.copyOf(tools);
  }

  /** Returns a builder for tools cached by {@code agents}. */
  public static Builder newBuilder(AgentCache agents) {
    return new Builder(requireNonNull(agents, "agents must not be null"));
  }

  /**
   * Returns an executor that runs {@code delegate} through the agent cache under the policy of the
   * tool named {@code toolName}; the executor never blocks except while the tool runs or an
   * identical call runs.
   *
   * @throws IllegalArgumentException if {@code toolName} is blank
   */
  public ToolExecutor wrap(String toolName, ToolExecutor delegate) {
    requireNonNull(toolName, "toolName must not be null");
    requireNonNull(delegate, "delegate must not be null");
    if (toolName.isBlank()) {
      throw new IllegalArgumentException("toolName must not be blank");
    }
    return new CachingToolExecutor(this, toolName, delegate);
  }

  /**
   * Returns a copy of {@code tools} (as given to {@code AiServices.tools(Map)}) with every executor
   * wrapped as {@link #wrap(String, ToolExecutor)} does, in the same order.
   */
  public Map<ToolSpecification, ToolExecutor> wrap(Map<ToolSpecification, ToolExecutor> tools) {
    requireNonNull(tools, "tools must not be null");
    var wrapped = new LinkedHashMap<ToolSpecification, ToolExecutor>();
    tools.forEach((spec, executor) -> wrapped.put(spec, wrap(spec.name(), executor)));
    return wrapped;
  }

  /**
   * Returns a provider that asks {@code delegate} for its tools on every request and wraps their
   * executors; for tools that come from elsewhere (an MCP client, a registry). Dynamic if the
   * delegate is.
   */
  public ToolProvider wrap(ToolProvider delegate) {
    requireNonNull(delegate, "delegate must not be null");
    return new ToolProvider() {
      @Override
      public ToolProviderResult provideTools(
          dev.langchain4j.service.tool.ToolProviderRequest request) {
        ToolProviderResult provided = delegate.provideTools(request);
        var tools = new ArrayList<AiServiceTool>();
        for (AiServiceTool tool : provided.aiServiceTools()) { // each keeps its return behavior
          tools.add(tool.toBuilder().toolExecutor(wrap(tool.name(), tool.toolExecutor())).build());
        }
        return ToolProviderResult.builder().addAll(tools).build();
      }

      @Override
      public boolean isDynamic() {
        return delegate.isDynamic();
      }
    };
  }

  /**
   * Returns a provider of the {@link Tool @Tool} methods of {@code objectsWithTools}, each run
   * through the agent cache; LangChain4j's own executor binds their arguments, as for {@code
   * AiServices.tools(Object...)}.
   *
   * @throws IllegalArgumentException if an object has no {@code @Tool} method, or two tools share a
   *     name
   */
  public ToolProvider toolProvider(Object... objectsWithTools) {
    requireNonNull(objectsWithTools, "objectsWithTools must not be null");
    var result = ToolProviderResult.builder();
    var names = new ArrayList<String>();
    for (Object object : objectsWithTools) {
      requireNonNull(object, "objectsWithTools must not hold null");
      int found = 0;
      for (Method method : object.getClass().getMethods()) {
        if (!method.isAnnotationPresent(Tool.class)) {
          continue;
        }
        ToolSpecification spec = ToolSpecifications.toolSpecificationFrom(method);
        if (names.contains(spec.name())) {
          throw new IllegalArgumentException("Two tools are named '" + spec.name() + "'");
        }
        names.add(spec.name());
        ToolExecutor executor =
            DefaultToolExecutor.builder()
                .object(object)
                .originalMethod(method)
                .methodToInvoke(method)
                .wrapToolArgumentsExceptions(true)
                .propagateToolExecutionExceptions(true)
                .build();
        result.add(spec, wrap(spec.name(), executor));
        found++;
      }
      if (found == 0) {
        throw new IllegalArgumentException(
            object.getClass().getName() + " has no public method annotated with @Tool");
      }
    }
    ToolProviderResult tools = result.build();
    return request -> tools;
  }

  /**
   * Returns an error handler for {@code AiServices.toolExecutionErrorHandler} that rethrows {@link
   * AgentLoopDetectedException}, so that {@code RAISE} ends the conversation, and hands every other
   * error to {@code otherErrors}.
   */
  public static ToolExecutionErrorHandler rethrowLoops(ToolExecutionErrorHandler otherErrors) {
    requireNonNull(otherErrors, "otherErrors must not be null");
    return (error, context) -> {
      if (error instanceof AgentLoopDetectedException loop) {
        throw loop;
      }
      return otherErrors.handle(error, context);
    };
  }

  /**
   * As {@link #rethrowLoops(ToolExecutionErrorHandler)}, with other errors returned to the model as
   * their message (LangChain4j's default, without its warning log).
   */
  public static ToolExecutionErrorHandler rethrowLoops() {
    return rethrowLoops((error, context) ->
        dev.langchain4j.service.tool.ToolErrorHandlerResult.text(
            error.getMessage() == null ? error.getClass().getName() : error.getMessage()));
  }

  /** Returns the open session this object keeps for {@code sessionId}, if any; never blocks. */
  public Optional<AgentSession> session(Object sessionId) {
    requireNonNull(sessionId, "sessionId must not be null");
    AgentSession session = sessions.get(sessionId.toString());
    return session == null || session.isClosed() ? Optional.empty() : Optional.of(session);
  }

  /**
   * Closes the session kept for {@code sessionId} (a chat memory id or the invocation parameter's
   * value): its session-scoped entries are dropped, its loop history forgotten. Returns whether one
   * was open. Never blocks.
   */
  public boolean closeSession(Object sessionId) {
    requireNonNull(sessionId, "sessionId must not be null");
    AgentSession session = sessions.remove(sessionId.toString());
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
    return "LangChain4jAgentTools{tools="
        + configured.keySet()
        + ", openSessions="
        + sessions.size()
        + '}';
  }

  /** The agent tool that runs calls of {@code toolName}: a configured one, or a tracked one. */
  dev.loomcache.agent.Tool<String, ToolExecutionResult> agentTool(String toolName) {
    var tool = configured.get(toolName);
    if (tool != null) {
      return tool;
    }
    // Registering a name is CPU-only: safe inside computeIfAbsent.
    return tracked.computeIfAbsent(
        toolName, name -> agents.writeTool(name, CachingToolExecutor::runPending).build());
  }

  /** Resolves the id of the session a call belongs to, or null for none. */
  @Nullable String sessionId(dev.langchain4j.invocation.InvocationContext context) {
    Object id;
    if (sessionParameter != null) {
      var parameters = context.invocationParameters();
      id = parameters == null ? null : parameters.get(sessionParameter);
    } else {
      id = context.chatMemoryId();
    }
    return id == null ? null : id.toString();
  }

  /** Returns the open session kept for {@code id}, opening one with the loop policy if need be. */
  AgentSession sessionFor(String id) {
    AgentSession session = sessions.get(id);
    if (session != null && !session.isClosed()) {
      return session;
    }
    if (closed) {
      throw new IllegalStateException("LangChain4jAgentTools is closed");
    }
    // openSession only checks and registers the id: CPU-only, safe inside compute.
    AgentSession opened =
        sessions.compute(
            id,
            (key, old) ->
                old != null && !old.isClosed() ? old : agents.openSession(key, loopPolicy));
    if (closed) { // close() may have swept the sessions before this one was added
      closeSession(id);
      throw new IllegalStateException("LangChain4jAgentTools is closed");
    }
    return opened;
  }

  /** Builds a {@link LangChain4jAgentTools}; each setter may be called once. Not thread-safe. */
  public static final class Builder {
    private final AgentCache agents;
    private final Map<String, ToolPolicy> policies = new LinkedHashMap<>();
    private @Nullable LoopPolicy loopPolicy;
    private @Nullable String sessionParameter;
    private boolean sessionSourceSet;

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
        String toolName, Consumer<? super ReadToolBuilder<String, ToolExecutionResult>> policy) {
      requireNonNull(policy, "policy must not be null");
      return add(
          toolName,
          (cache, name) -> {
            var read = cache.readTool(name, CachingToolExecutor::runPending);
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
        String toolName, Consumer<? super WriteToolBuilder<String, ToolExecutionResult>> policy) {
      requireNonNull(policy, "policy must not be null");
      return add(
          toolName,
          (cache, name) -> {
            var write = cache.writeTool(name, CachingToolExecutor::runPending);
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
     * Takes the session id from the invocation parameter {@code name} (passed to an AI service
     * method as {@code InvocationParameters}) instead of the chat memory id; calls without it have
     * no session.
     *
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public Builder sessionFromParameter(String name) {
      requireNonNull(name, "name must not be null");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      if (sessionSourceSet) {
        throw new IllegalStateException(
            "the session source was already set to " + describeSource());
      }
      sessionSourceSet = true;
      this.sessionParameter = name;
      return this;
    }

    /** Takes the session id from the chat memory id; the default. */
    public Builder sessionFromMemoryId() {
      if (sessionSourceSet) {
        throw new IllegalStateException(
            "the session source was already set to " + describeSource());
      }
      sessionSourceSet = true;
      return this;
    }

    /**
     * Builds the tools' policies into the agent cache.
     *
     * @throws IllegalArgumentException if the agent cache already has a tool of a configured name
     * @throws IllegalStateException if the agent cache is closed
     */
    public LangChain4jAgentTools build() {
      return new LangChain4jAgentTools(this);
    }

    private String describeSource() {
      return sessionParameter == null
          ? "the memory id"
          : "the parameter '" + sessionParameter + "'";
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

  /** Builds one configured tool in the agent cache. */
  @FunctionalInterface
  private interface ToolPolicy {
    dev.loomcache.agent.Tool<String, ToolExecutionResult> build(AgentCache agents, String name);
  }
}
