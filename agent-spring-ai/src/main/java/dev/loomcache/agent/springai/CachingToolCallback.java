package dev.loomcache.agent.springai;

import dev.loomcache.agent.AgentLoopDetectedException;
import dev.loomcache.agent.AgentSession;
import dev.loomcache.agent.LoopKind;
import dev.loomcache.agent.Tool;
import dev.loomcache.agent.ToolOutcome;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.ai.tool.metadata.ToolMetadata;

/**
 * A Spring AI callback that runs its delegate through one agent tool.
 *
 * <p>Design note: the agent tool is built once per name, but each call brings its own tool context.
 * The agent tool's function is {@link #runPending}, which runs the call this callback left in a
 * thread-local just before entering the agent tool: the agent tool runs its function on the calling
 * thread, and a concurrent identical call waits for the first caller's run instead of running its
 * own, so the thread-local is always the running caller's.
 */
final class CachingToolCallback implements ToolCallback {
  private static final ThreadLocal<@Nullable Pending> PENDING = new ThreadLocal<>();

  private final SpringAiAgentTools owner;
  private final ToolCallback delegate;
  private final String toolName;

  CachingToolCallback(SpringAiAgentTools owner, ToolCallback delegate) {
    this.owner = owner;
    this.delegate = delegate;
    this.toolName = delegate.getToolDefinition().name();
  }

  @Override
  public ToolDefinition getToolDefinition() {
    return delegate.getToolDefinition();
  }

  @Override
  public ToolMetadata getToolMetadata() {
    return delegate.getToolMetadata();
  }

  @Override
  public String call(String toolInput) {
    return call(toolInput, null);
  }

  @Override
  // The delegate's result goes back as it is: Spring AI's contract makes it non-null, and a
  // delegate that broke it would get its null back rather than a made-up result.
  @SuppressWarnings("NullAway")
  public String call(String toolInput, @Nullable ToolContext toolContext) {
    Tool<String, String> tool = owner.agentTool(toolName);
    String arguments = toolInput == null || toolInput.isBlank() ? "{}" : toolInput;
    Pending previous = PENDING.get();
    PENDING.set(new Pending(delegate, toolInput, toolContext));
    ToolOutcome<String> outcome;
    try {
      String sessionId = AgentSession.current().isPresent() ? null : owner.sessionId(toolContext);
      outcome =
          sessionId == null
              ? tool.callOutcome(arguments)
              : callIn(owner.sessionFor(sessionId), tool, arguments);
    } catch (AgentLoopDetectedException loop) {
      // Spring AI's way of telling the model a tool failed; its processor decides to rethrow or
      // not.
      throw new ToolExecutionException(getToolDefinition(), loop);
    } finally {
      PENDING.set(previous);
    }
    if (!outcome.shortCircuited()) {
      return outcome.value();
    }
    LoopKind loop = outcome.detectedLoop();
    String notice =
        "Loop detected ("
            + (loop == null ? "LOOP" : loop.name())
            + "): '"
            + toolName
            + "' was not run again with these arguments. ";
    String last = outcome.value();
    return last == null
        ? notice + "There is no earlier result of this call; try something else."
        : notice + "Its last result was: " + last;
  }

  @Override
  public String toString() {
    return "CachingToolCallback{" + toolName + " -> " + delegate + '}';
  }

  /** The function of every agent tool this module builds: runs the call left by the callback. */
  static @Nullable String runPending(String arguments) {
    Pending pending = PENDING.get();
    if (pending == null) {
      throw new IllegalStateException(
          "A Spring AI agent tool was called outside SpringAiAgentTools' callback");
    }
    return pending.context == null
        ? pending.delegate.call(pending.input)
        : pending.delegate.call(pending.input, pending.context);
  }

  private static ToolOutcome<String> callIn(
      AgentSession session, Tool<String, String> tool, String arguments) {
    try {
      return session.call(() -> tool.callOutcome(arguments));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("callOutcome declares no checked exception", e);
    }
  }

  private record Pending(ToolCallback delegate, String input, @Nullable ToolContext context) {}
}
