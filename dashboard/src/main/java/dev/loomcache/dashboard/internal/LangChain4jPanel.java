package dev.loomcache.dashboard.internal;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.tool.AiServiceTool;
import dev.langchain4j.service.tool.ToolErrorHandlerResult;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderRequest;
import dev.langchain4j.service.tool.ToolProviderResult;
import dev.loomcache.agent.AgentCache;
import dev.loomcache.agent.AgentLoopDetectedException;
import dev.loomcache.agent.AgentSession;
import dev.loomcache.agent.AgentStats;
import dev.loomcache.agent.LoopPolicy;
import dev.loomcache.agent.OnLoop;
import dev.loomcache.agent.langchain4j.LangChain4jAgentTools;
import dev.loomcache.dashboard.internal.ScriptedChatModel.Step;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The LangChain4j panel: a real LangChain4j {@code AiServices} agent whose tools ({@code @Tool}
 * methods over a {@link DemoShop}) go through {@link LangChain4jAgentTools}, driven by a {@link
 * ScriptedChatModel} in place of an LLM (the tools are {@link LangChain4jShopTools}). Each run is
 * one conversation: the model asks for tool calls, LangChain4j executes them through the agent
 * cache, and the panel records, per call, whether it ran the tool, was served from the cache,
 * invalidated, or tripped the loop detector, and totals that per tool.
 *
 * <p>How a call is classified: one run at a time over an {@link AgentCache} of the panel's own, and
 * LangChain4j runs a conversation's tools one after the other on the calling thread, so the change
 * of the agent cache's statistics across one call is that call's outcome.
 */
public final class LangChain4jPanel implements Panel {
  private static final int MAX_EVENTS = 80;
  private static final Map<String, String> ACTIONS = actions();

  /** The AI service the scripted model drives: one conversation per memory id. */
  public interface ShopAssistant {
    /** Sends the user's message in the conversation {@code conversation}. */
    String chat(@MemoryId String conversation, @UserMessage String message);
  }

  private final AgentCache agents;
  private final DemoShop shop;
  private final LangChain4jAgentTools tools;
  private final ToolProvider cachedTools;
  private final Map<String, ToolCounts> counts = new LinkedHashMap<>();
  private final ReentrantLock running = new ReentrantLock();
  private final AtomicLong runs = new AtomicLong();
  private final ReentrantLock eventsLock = new ReentrantLock();
  private final List<Map<String, Object>> events = new ArrayList<>();
  private volatile boolean closed;

  /**
   * Builds the agent cache, the LangChain4j tools over {@code shop}, with meters in {@code
   * registry}.
   */
  public LangChain4jPanel(MeterRegistry registry, DemoShop shop) {
    this.shop = shop;
    this.agents = AgentCache.newBuilder().name("langchain4j").meterRegistry(registry).build();
    this.tools =
        LangChain4jAgentTools.newBuilder(agents)
            .readTool("searchProducts", read -> read.resource("catalog"))
            .readTool("getCart", read -> read.resource("cart").ttl(Duration.ofSeconds(120)))
            .writeTool("addToCart", write -> write.invalidates("cart"))
            .loopPolicy(LoopPolicy.defaults().maxToolRepeats(3))
            .build();
    this.cachedTools = tools.toolProvider(new LangChain4jShopTools(shop));
    counts.put(
        "searchProducts", new ToolCounts("read tool, resource \"catalog\"", shop::searchCount));
    counts.put(
        "getCart", new ToolCounts("read tool, resource \"cart\", TTL 120 s", shop::cartReadCount));
    counts.put(
        "addToCart", new ToolCounts("write tool, invalidates \"cart\"", shop::cartWriteCount));
  }

  private static Map<String, String> actions() {
    var actions = new LinkedHashMap<String, String>();
    actions.put("shopping", "LangChain4j agent: shopping");
    actions.put("loop-raise", "LangChain4j looping agent: raise");
    actions.put("loop-warn", "LangChain4j looping agent: warn");
    actions.put("loop-short-circuit", "LangChain4j looping agent: short-circuit");
    return actions;
  }

  @Override
  public String id() {
    return "langchain4j";
  }

  @Override
  public Map<String, Object> status() {
    var json = new LinkedHashMap<String, Object>();
    json.put("available", true);
    json.put(
        "summary",
        "A real LangChain4j AiServices agent, driven by a scripted chat model"
            + " instead of an LLM: its @Tool methods (searchProducts, getCart, addToCart) run through"
            + " LangChain4jAgentTools. Each run is one conversation; its session comes from the chat"
            + " memory id (maxToolRepeats 3, raise), or, for warn and short-circuit, is bound around"
            + " the chat.");
    var list = new ArrayList<Map<String, Object>>();
    ACTIONS.forEach((id, label) -> list.add(Map.of("id", id, "label", label)));
    json.put("actions", list);
    json.put("stats", AgentPanel.stats(agents.stats()));
    var rows = new ArrayList<Map<String, Object>>();
    counts.forEach((tool, count) -> rows.add(count.toJson(tool)));
    json.put("tools", rows);
    eventsLock.lock();
    try {
      json.put("events", List.copyOf(events));
    } finally {
      eventsLock.unlock();
    }
    return json;
  }

  @Override
  public Map<String, Object> perform(String action, FormValues form) {
    if (!ACTIONS.containsKey(action)) {
      throw new ApiException(
          404,
          "The langchain4j panel has no action '"
              + action
              + "'; its actions are "
              + String.join(", ", ACTIONS.keySet())
              + ".");
    }
    form.allowOnly(Set.of("calls"));
    int calls = form.wholeInt("calls", 1, 50, 6);
    if (!running.tryLock()) {
      throw new ApiException(
          409, "Another LangChain4j run is in progress; try again when it has finished.");
    }
    try {
      if (closed) {
        throw new IllegalStateException("The langchain4j panel is closed");
      }
      long run = runs.incrementAndGet();
      var log = new ArrayList<Map<String, Object>>();
      Conversation conversation =
          switch (action) {
            case "shopping" -> shopping(run, log);
            case "loop-raise" -> looping(run, calls, null, log);
            case "loop-warn" -> looping(run, calls, OnLoop.WARN, log);
            default -> looping(run, calls, OnLoop.SHORT_CIRCUIT, log);
          };
      eventsLock.lock();
      try {
        events.addAll(log);
        while (events.size() > MAX_EVENTS) {
          events.removeFirst();
        }
      } finally {
        eventsLock.unlock();
      }
      var json = new LinkedHashMap<String, Object>();
      json.put("action", action);
      json.put("run", run);
      json.put("conversation", conversation.id());
      json.put("answer", conversation.answer());
      json.put("modelRead", conversation.read());
      json.put("events", log);
      json.put("session", AgentPanel.stats(conversation.stats()));
      return json;
    } finally {
      running.unlock();
    }
  }

  /** What one run of the agent did: its memory id, final answer, the tool results it read. */
  private record Conversation(String id, String answer, List<String> read, AgentStats stats) {}

  /** Searches twice (one entry), reads a cart twice (one shop call), writes it, reads it fresh. */
  private Conversation shopping(long run, List<Map<String, Object>> log) {
    String user = "user-" + run;
    String cart = "{\"userId\":\"" + user + "\"}";
    var model =
        new ScriptedChatModel(
            List.of(
                new Step("searchProducts", "{\"query\": \"running shoes\"}"),
                new Step("searchProducts", "{\"query\":\"running shoes\"}"),
                new Step("getCart", cart),
                new Step("getCart", "{ \"userId\" : \"" + user + "\" }"),
                new Step("addToCart", "{\"userId\":\"" + user + "\",\"sku\":\"sku-1\"}"),
                new Step("getCart", cart)),
            "Added sku-1 to your cart.");
    String id = "lc4j-shopper-" + run;
    note(
        log,
        "session",
        "Conversation "
            + id
            + ": LangChain4jAgentTools opens its session from"
            + " the memory id (maxToolRepeats 3, raise)");
    return inMemorySession(id, model, "find running shoes and add sku-1 to my cart", log);
  }

  /**
   * Re-reads one cart {@code calls} times. With {@code onLoop} null the session is the one
   * LangChain4jAgentTools keeps for the memory id (raise: the model reads the error); otherwise the
   * panel binds a session with that reaction around the chat.
   */
  private Conversation looping(
      long run, int calls, @Nullable OnLoop onLoop, List<Map<String, Object>> log) {
    String user = "user-" + run;
    var steps = new ArrayList<Step>();
    for (int i = 0; i < calls; i++) {
      steps.add(new Step("getCart", "{\"userId\":\"" + user + "\"}"));
    }
    var model = new ScriptedChatModel(steps, "I keep reading the same cart.");
    String message = "what is in my cart? (asked " + calls + " times)";
    if (onLoop == null) {
      String id = "lc4j-looper-" + run;
      note(
          log,
          "session",
          "Conversation "
              + id
              + ": LangChain4jAgentTools opens its session from"
              + " the memory id (maxToolRepeats 3, raise)");
      return inMemorySession(id, model, message, log);
    }
    String id = "lc4j-looper-" + run + "-" + onLoop.name().toLowerCase(Locale.ROOT);
    LoopPolicy policy = LoopPolicy.defaults().maxToolRepeats(3).onLoop(onLoop);
    try (AgentSession session = agents.openSession(id, policy)) {
      note(
          log,
          "session",
          "Conversation "
              + id
              + ": the panel binds session "
              + id
              + " around the chat (maxToolRepeats 3, "
              + onLoop
              + ")");
      String answer;
      try {
        answer = session.call(() -> assistant(model, log).chat(id, message));
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("the chat threw a checked exception", e);
      }
      note(log, "answer", "The model answered: " + answer);
      return new Conversation(id, answer, model.toolResultsRead(), session.stats());
    }
  }

  private Conversation inMemorySession(
      String id, ScriptedChatModel model, String message, List<Map<String, Object>> log) {
    try {
      String answer = assistant(model, log).chat(id, message);
      note(log, "answer", "The model answered: " + answer);
      AgentStats stats = tools.session(id).orElseThrow().stats();
      return new Conversation(id, answer, model.toolResultsRead(), stats);
    } finally {
      tools.closeSession(id); // the conversation is over: its session goes
    }
  }

  /**
   * A new AI service for one conversation: its chat memory lives as long as the run. Tool errors (a
   * raised loop among them) go back to the model as text, as LangChain4j's default does, without
   * its warning log.
   */
  private ShopAssistant assistant(ScriptedChatModel model, List<Map<String, Object>> log) {
    return AiServices.builder(ShopAssistant.class)
        .chatModel(model)
        .chatMemoryProvider(memoryId -> MessageWindowChatMemory.withMaxMessages(200))
        .toolProvider(observed(log))
        .toolExecutionErrorHandler((error, context) ->
            ToolErrorHandlerResult.text(
                error.getMessage() == null ? error.getClass().getName() : error.getMessage()))
        .build();
  }

  /** The cached tools, each executor wrapped to log and count what each call did. */
  private ToolProvider observed(List<Map<String, Object>> log) {
    return (ToolProviderRequest request) -> {
      var wrapped = new ArrayList<AiServiceTool>();
      for (AiServiceTool tool : cachedTools.provideTools(request).aiServiceTools()) {
        wrapped.add(
            tool.toBuilder()
                .toolExecutor(new ObservingExecutor(tool.name(), tool.toolExecutor(), log))
                .build());
      }
      return ToolProviderResult.builder().addAll(wrapped).build();
    };
  }

  /** Runs the caching executor and records the call's outcome from the agent cache's counters. */
  private final class ObservingExecutor implements ToolExecutor {
    private final String toolName;
    private final ToolExecutor cached;
    private final List<Map<String, Object>> log;

    ObservingExecutor(String toolName, ToolExecutor cached, List<Map<String, Object>> log) {
      this.toolName = toolName;
      this.cached = cached;
      this.log = log;
    }

    @Override
    public @Nullable String execute(ToolExecutionRequest request, @Nullable Object memoryId) {
      ToolExecutionResult result =
          executeWithContext(request, InvocationContext.builder().chatMemoryId(memoryId).build());
      return result == null ? null : result.resultText();
    }

    @Override
    public @Nullable ToolExecutionResult executeWithContext(
        ToolExecutionRequest request, InvocationContext context) {
      ToolCounts count = java.util.Objects.requireNonNull(counts.get(toolName), toolName);
      String call = toolName + " " + request.arguments();
      AgentStats before = agents.stats();
      long start = System.nanoTime();
      ToolExecutionResult result;
      try {
        result = cached.executeWithContext(request, context);
      } catch (AgentLoopDetectedException e) {
        count.record(before, agents.stats(), true);
        note(
            log,
            "raised",
            call
                + " → loop "
                + e.kind()
                + " detected: raised"
                + " AgentLoopDetectedException, the tool did not run; the model reads: "
                + e.getMessage());
        throw e;
      } catch (RuntimeException e) {
        count.record(before, agents.stats(), false);
        note(log, "failed", call + " → the tool failed: " + e);
        throw e;
      }
      double millis = Percentiles.millis(System.nanoTime() - start);
      AgentStats after = agents.stats();
      count.record(before, after, false);
      String text = result == null ? "null" : result.resultText();
      String kind;
      String what;
      if (after.shortCircuits() > before.shortCircuits()) {
        kind = "short-circuited";
        what = "loop detected, not run; the model reads: " + text;
      } else if (after.loopDetections() > before.loopDetections()) {
        kind = "warned";
        what =
            "loop detected, warned and "
                + (after.hits() > before.hits() ? "served from the cache" : "ran the tool")
                + " ("
                + millis
                + " ms): "
                + text;
      } else if (after.hits() > before.hits()) {
        kind = "cached";
        what = "served from the cache (" + millis + " ms): " + text;
      } else if (after.invalidations() > before.invalidations()) {
        kind = "invalidated";
        what =
            "ran the tool (" + millis + " ms) and invalidated \"cart\" before and after: " + text;
      } else {
        kind = "executed";
        what = "ran the tool (" + millis + " ms): " + text;
      }
      note(log, kind, call + " → " + what);
      return result;
    }
  }

  private static void note(List<Map<String, Object>> log, String kind, String text) {
    var event = new LinkedHashMap<String, Object>();
    event.put("time", LocalTime.now().withNano(0).toString());
    event.put("kind", kind);
    event.put("text", text);
    log.add(event);
  }

  /** Closes the sessions LangChain4jAgentTools keeps, then the agent cache; idempotent. */
  @Override
  public void close() {
    closed = true;
    tools.close();
    agents.close();
  }
}
