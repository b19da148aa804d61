package dev.loomcache.agent.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.loomcache.agent.AgentSession;
import dev.loomcache.agent.LoopKind;
import dev.loomcache.agent.Tool;
import dev.loomcache.agent.ToolOutcome;
import java.io.Serial;
import java.util.HashMap;
import org.jspecify.annotations.Nullable;

/**
 * A LangChain4j executor that runs its delegate through one agent tool.
 *
 * <p>Design note: an agent tool is built once per name (names are keys of the agent cache), but
 * LangChain4j hands each call its own request and invocation context, and a dynamic provider may
 * hand a new delegate each time. So the agent tool's function is {@link #runPending}: it runs the
 * call this executor left in a thread-local just before entering the agent tool. The agent tool
 * runs its function on the calling thread; a concurrent identical call waits for the first caller's
 * run and never runs its own function, so the thread-local is always the caller's own.
 */
final class CachingToolExecutor implements ToolExecutor {
  private static final ThreadLocal<@Nullable Pending> PENDING = new ThreadLocal<>();

  private final LangChain4jAgentTools owner;
  private final String toolName;
  private final ToolExecutor delegate;

  CachingToolExecutor(LangChain4jAgentTools owner, String toolName, ToolExecutor delegate) {
    this.owner = owner;
    this.toolName = toolName;
    this.delegate = delegate;
  }

  @Override
  public @Nullable String execute(ToolExecutionRequest request, @Nullable Object memoryId) {
    InvocationContext context = InvocationContext.builder().chatMemoryId(memoryId).build();
    ToolExecutionResult result = executeWithContext(request, context);
    return result == null ? null : result.resultText();
  }

  @Override
  public @Nullable ToolExecutionResult executeWithContext(
      ToolExecutionRequest request, InvocationContext context) {
    Tool<String, ToolExecutionResult> tool = owner.agentTool(toolName);
    String arguments =
        request.arguments() == null || request.arguments().isBlank() ? "{}" : request.arguments();
    Pending previous = PENDING.get();
    PENDING.set(new Pending(delegate, request, context));
    ToolOutcome<ToolExecutionResult> outcome;
    try {
      String sessionId = AgentSession.current().isPresent() ? null : owner.sessionId(context);
      outcome =
          sessionId == null
              ? tool.callOutcome(arguments)
              : callIn(owner.sessionFor(sessionId), tool, arguments);
    } catch (ErrorResult error) {
      return error.result;
    } finally {
      PENDING.set(previous);
    }
    return reply(outcome);
  }

  @Override
  public String toString() {
    return "CachingToolExecutor{" + toolName + " -> " + delegate + '}';
  }

  /** The function of every agent tool this module builds: runs the call left by the executor. */
  static @Nullable ToolExecutionResult runPending(String arguments) {
    Pending pending = PENDING.get();
    if (pending == null) {
      throw new IllegalStateException(
          "A LangChain4j agent tool was called outside LangChain4jAgentTools' executor");
    }
    ToolExecutionResult result =
        pending.delegate.executeWithContext(pending.request, pending.context);
    if (result != null && result.isError()) {
      throw new ErrorResult(result); // never cached; counted as a failure by the loop detector
    }
    return result;
  }

  private static ToolOutcome<ToolExecutionResult> callIn(
      AgentSession session, Tool<String, ToolExecutionResult> tool, String arguments) {
    try {
      return session.call(() -> tool.callOutcome(arguments));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("callOutcome declares no checked exception", e);
    }
  }

  private @Nullable ToolExecutionResult reply(ToolOutcome<ToolExecutionResult> outcome) {
    LoopKind loop = outcome.detectedLoop();
    ToolExecutionResult value = outcome.value();
    if (outcome.shortCircuited()) {
      return shortCircuit(loop, value);
    }
    if (loop == null || value == null) {
      return value;
    }
    // WARN: the tool ran (or was served from the cache); say what the detector saw.
    var attributes = new HashMap<String, Object>(value.attributes());
    attributes.put(LangChain4jAgentTools.LOOP_ATTRIBUTE, loop.name());
    return value.toBuilder().attributes(attributes).build();
  }

  private ToolExecutionResult shortCircuit(
      @Nullable LoopKind loop, @Nullable ToolExecutionResult last) {
    String kind = loop == null ? "LOOP" : loop.name();
    String notice =
        "Loop detected (" + kind + "): '" + toolName + "' was not run again with these arguments. ";
    String text =
        last == null
            ? notice + "There is no earlier result of this call; try something else."
            : notice + "Its last result was: " + last.resultText();
    var attributes = new HashMap<String, Object>();
    attributes.put(LangChain4jAgentTools.LOOP_ATTRIBUTE, kind);
    return ToolExecutionResult.builder()
        .isError(last == null || last.isError())
        .resultText(text)
        .attributes(attributes)
        .build();
  }

  /** One call on its way through the agent tool. */
  private record Pending(
      ToolExecutor delegate, ToolExecutionRequest request, InvocationContext context) {}

  /** Carries an error result out of the agent tool, which caches only successes. */
  private static final class ErrorResult extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never serialized: it does not leave this class
    final transient ToolExecutionResult result;

    ErrorResult(ToolExecutionResult result) {
      super("The tool returned an error result", null, false, false);
      this.result = result;
    }
  }
}
