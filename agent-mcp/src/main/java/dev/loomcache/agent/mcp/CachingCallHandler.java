package dev.loomcache.agent.mcp;

import dev.loomcache.agent.AgentLoopDetectedException;
import dev.loomcache.agent.AgentSession;
import dev.loomcache.agent.LoopKind;
import dev.loomcache.agent.Tool;
import dev.loomcache.agent.ToolOutcome;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.io.Serial;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * An MCP call handler that runs its delegate through one agent tool.
 *
 * <p>Design note: the agent tool is built once per name, but each call brings its own exchange and
 * request. The agent tool's function is {@link #runPending}, which runs the call this handler left
 * in a thread-local just before entering the agent tool: the agent tool runs its function on the
 * calling thread, and a concurrent identical call waits for the first caller's run instead of
 * running its own, so the thread-local is always the running caller's.
 */
final class CachingCallHandler
    implements BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> {
  private static final ThreadLocal<@Nullable Pending> PENDING = new ThreadLocal<>();

  private final McpAgentTools owner;
  private final String toolName;
  private final BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> delegate;

  CachingCallHandler(
      McpAgentTools owner,
      String toolName,
      BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> delegate) {
    this.owner = owner;
    this.toolName = toolName;
    this.delegate = delegate;
  }

  @Override
  public CallToolResult apply(@Nullable McpSyncServerExchange exchange, CallToolRequest request) {
    Tool<Map<String, Object>, CallToolResult> tool = owner.agentTool(toolName);
    Map<String, Object> arguments = request.arguments() == null ? Map.of() : request.arguments();
    AgentSession bound = AgentSession.current().orElse(null);
    String sessionId = bound != null ? bound.id() : exchange == null ? null : exchange.sessionId();
    Pending previous = PENDING.get();
    PENDING.set(new Pending(delegate, exchange, request));
    ToolOutcome<CallToolResult> outcome;
    try {
      if (bound != null || sessionId == null) {
        outcome = tool.callOutcome(arguments);
      } else {
        outcome = callIn(owner.sessionFor(sessionId), tool, arguments);
      }
    } catch (ErrorResult error) {
      return error.result;
    } catch (AgentLoopDetectedException loop) {
      owner.block(loop.sessionId(), toolName);
      return CallToolResult.builder()
          .isError(true)
          .addTextContent(loop.getMessage())
          .meta(Map.of(McpAgentTools.LOOP_META, loop.kind().name()))
          .build();
    } finally {
      PENDING.set(previous);
    }
    return reply(outcome, sessionId);
  }

  @Override
  public String toString() {
    return "CachingCallHandler{" + toolName + " -> " + delegate + '}';
  }

  /** The function of every agent tool this module builds: runs the call left by the handler. */
  static @Nullable CallToolResult runPending(Map<String, Object> arguments) {
    Pending pending = PENDING.get();
    if (pending == null) {
      throw new IllegalStateException(
          "An MCP agent tool was called outside McpAgentTools' handler");
    }
    CallToolResult result = pending.delegate.apply(pending.exchange, pending.request);
    if (result != null && Boolean.TRUE.equals(result.isError())) {
      throw new ErrorResult(result); // never cached; a failure for the loop detector
    }
    return result;
  }

  private static ToolOutcome<CallToolResult> callIn(
      AgentSession session,
      Tool<Map<String, Object>, CallToolResult> tool,
      Map<String, Object> arguments) {
    try {
      return session.call(() -> tool.callOutcome(arguments));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("callOutcome declares no checked exception", e);
    }
  }

  private CallToolResult reply(ToolOutcome<CallToolResult> outcome, @Nullable String sessionId) {
    LoopKind loop = outcome.detectedLoop();
    CallToolResult value = outcome.value();
    if (outcome.shortCircuited()) {
      if (sessionId != null) {
        owner.block(sessionId, toolName);
      }
      return shortCircuit(loop, value);
    }
    if (value == null) {
      return CallToolResult.builder().content(List.of()).build();
    }
    if (loop == null) {
      return value;
    }
    var meta = value.meta() == null ? new HashMap<String, Object>() : new HashMap<>(value.meta());
    meta.put(McpAgentTools.LOOP_META, loop.name());
    return new CallToolResult(value.content(), value.isError(), value.structuredContent(), meta);
  }

  private CallToolResult shortCircuit(@Nullable LoopKind loop, @Nullable CallToolResult last) {
    String kind = loop == null ? "LOOP" : loop.name();
    String notice =
        "Loop detected (" + kind + "): '" + toolName + "' was not run again with these arguments. ";
    var content = new ArrayList<Content>();
    if (last == null) {
      content.add(
          TextContent.builder(
                  notice + "There is no earlier result of this call; try something else.")
              .build());
    } else {
      content.add(TextContent.builder(notice + "Its last result follows.").build());
      content.addAll(last.content());
    }
    return CallToolResult.builder()
        .content(content)
        .isError(last == null || Boolean.TRUE.equals(last.isError()))
        .meta(Map.of(McpAgentTools.LOOP_META, kind))
        .build();
  }

  private record Pending(
      BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> delegate,
      @Nullable McpSyncServerExchange exchange,
      CallToolRequest request) {}

  /** Carries an error result out of the agent tool, which caches only successes. */
  private static final class ErrorResult extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never serialized: it does not leave this class
    final transient CallToolResult result;

    ErrorResult(CallToolResult result) {
      super("The tool returned an error result", null, false, false);
      this.result = result;
    }
  }
}
