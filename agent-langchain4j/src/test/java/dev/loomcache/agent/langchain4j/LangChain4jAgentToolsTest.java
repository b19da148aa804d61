package dev.loomcache.agent.langchain4j;

import static dev.loomcache.agent.langchain4j.ScriptedChatModel.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.tool.ToolExecution;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderResult;
import dev.loomcache.agent.AgentCache;
import dev.loomcache.agent.AgentLoopDetectedException;
import dev.loomcache.agent.AgentSession;
import dev.loomcache.agent.LoopKind;
import dev.loomcache.agent.LoopPolicy;
import dev.loomcache.agent.OnLoop;
import dev.loomcache.agent.Scope;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The adapter inside a real {@code AiServices} agent driven by a scripted chat model. */
class LangChain4jAgentToolsTest {
  /** An agent with one conversation per memory id. */
  public interface Assistant {
    String chat(@MemoryId String conversation, @UserMessage String message);
  }

  /** An agent without memory ids that passes its session id as an invocation parameter. */
  public interface ParameterAssistant {
    String chat(@UserMessage String message, InvocationParameters parameters);
  }

  private final AgentCache agents = AgentCache.newBuilder().build();
  private final Shop shop = new Shop();
  private final List<ToolExecution> executed = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAgents() {
    agents.close();
  }

  private LangChain4jAgentTools.Builder shopTools() {
    return LangChain4jAgentTools.newBuilder(agents)
        .readTool("getCart", read -> read.resource("cart"))
        .writeTool("addToCart", write -> write.invalidates("cart"))
        .readTool("searchProducts", read -> read.resource("catalog"));
  }

  private Assistant assistant(ScriptedChatModel model, ToolProvider tools) {
    return AiServices.builder(Assistant.class)
        .chatModel(model)
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(100))
        .toolProvider(tools)
        .afterToolExecution((ToolExecution execution) -> executed.add(execution))
        .build();
  }

  @Test
  void readTool_identicalCallsWithinAConversation_secondIsServedFromTheCache() {
    try (var tools = shopTools().build()) {
      var model =
          ScriptedChatModel.of(
              call("getCart", "{\"userId\": \"u1\"}"), call("getCart", "{ \"userId\" : \"u1\" }"));

      String answer = assistant(model, tools.toolProvider(shop)).chat("c1", "what is in my cart?");

      assertThat(answer).isEqualTo("done");
      assertThat(shop.cartReads).hasValue(1);
      assertThat(model.toolResultTexts()).containsExactly("u1: []", "u1: []");
      assertThat(tools.session("c1").orElseThrow().stats().hits()).isEqualTo(1);
    }
  }

  @Test
  void writeTool_invalidatesItsResource_nextReadSeesTheWrite() {
    try (var tools = shopTools().build()) {
      var model =
          ScriptedChatModel.of(
              call("getCart", "{\"userId\":\"u1\"}"),
              call("addToCart", "{\"userId\":\"u1\",\"sku\":\"sku-9\"}"),
              call("getCart", "{\"userId\":\"u1\"}"));

      assistant(model, tools.toolProvider(shop)).chat("c1", "add sku-9");

      assertThat(shop.cartReads).hasValue(2);
      assertThat(model.toolResultTexts()).containsExactly("u1: []", "added sku-9", "u1: [sku-9]");
      var stats = tools.session("c1").orElseThrow().stats();
      assertThat(stats.invalidations()).isEqualTo(1);
      assertThat(stats.misses()).isEqualTo(2);
    }
  }

  @Test
  void sessionScopedRead_entriesAreTheConversationsAndDieWithItsSession() {
    try (var tools =
        LangChain4jAgentTools.newBuilder(agents)
            .readTool("getCart", read -> read.resource("cart").scope(Scope.SESSION))
            .build()) {
      ToolProvider provider = tools.toolProvider(shop);
      assistant(ScriptedChatModel.repeating(2, "getCart", "{\"userId\":\"u1\"}"), provider)
          .chat("a", "hi");
      assertThat(shop.cartReads).as("the second call of conversation a was a hit").hasValue(1);

      assistant(ScriptedChatModel.repeating(1, "getCart", "{\"userId\":\"u1\"}"), provider)
          .chat("b", "hi");
      assertThat(shop.cartReads).as("conversation b does not see a's entry").hasValue(2);

      assertThat(tools.closeSession("a")).isTrue();
      assertThat(tools.session("a")).isEmpty();
      assistant(ScriptedChatModel.repeating(1, "getCart", "{\"userId\":\"u1\"}"), provider)
          .chat("a", "again");
      assertThat(shop.cartReads).as("a's entry died with its session").hasValue(3);
      assertThat(tools.session("a").orElseThrow().stats().misses()).isEqualTo(1);
    }
  }

  @Test
  void repeatLoop_raiseWithTheDefaultErrorHandler_theModelReadsTheLoopAsAnError() {
    try (var tools = shopTools().loopPolicy(LoopPolicy.defaults().maxToolRepeats(3)).build()) {
      var model = ScriptedChatModel.repeating(4, "getCart", "{\"userId\":\"u1\"}");

      assistant(model, tools.toolProvider(shop)).chat("c1", "loop");

      List<ToolExecutionResultMessage> results = model.toolResults();
      assertThat(results).hasSize(4);
      assertThat(results.subList(0, 3))
          .allSatisfy(r -> assertThat(r.isError()).isNotEqualTo(Boolean.TRUE));
      assertThat(results.get(3).isError()).isTrue();
      assertThat(results.get(3).text())
          .startsWith(
              "Agent loop (REPEAT) in session 'c1': getCart({\"userId\":\"u1\"}) called 4 times");
      assertThat(shop.cartReads).hasValue(1);
      assertThat(tools.session("c1").orElseThrow().stats().loopDetections(LoopKind.REPEAT))
          .isEqualTo(1);
    }
  }

  @Test
  void repeatLoop_raiseWithRethrowLoops_endsTheConversationWithTheException() {
    try (var tools = shopTools().loopPolicy(LoopPolicy.defaults().maxToolRepeats(3)).build()) {
      Assistant assistant =
          AiServices.builder(Assistant.class)
              .chatModel(ScriptedChatModel.repeating(10, "getCart", "{\"userId\":\"u1\"}"))
              .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(100))
              .toolProvider(tools.toolProvider(shop))
              .toolExecutionErrorHandler(LangChain4jAgentTools.rethrowLoops())
              .build();

      assertThatThrownBy(() -> assistant.chat("c1", "loop"))
          .isInstanceOfSatisfying(
              AgentLoopDetectedException.class,
              loop -> {
                assertThat(loop.kind()).isEqualTo(LoopKind.REPEAT);
                assertThat(loop.sessionId()).isEqualTo("c1");
                assertThat(loop.toolName()).isEqualTo("getCart");
                assertThat(loop.observedCount()).isEqualTo(4);
              });
      assertThat(shop.cartReads).hasValue(1);
    }
  }

  @Test
  void rethrowLoops_otherErrors_goToTheFallbackHandler() {
    try (var tools = shopTools().build()) {
      var model = ScriptedChatModel.repeating(1, "checkStock", "{\"sku\":\"sku-1\"}");
      Assistant assistant =
          AiServices.builder(Assistant.class)
              .chatModel(model)
              .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(100))
              .toolProvider(tools.toolProvider(shop))
              .toolExecutionErrorHandler(LangChain4jAgentTools.rethrowLoops())
              .build();

      assertThat(assistant.chat("c1", "stock?")).isEqualTo("done");
      assertThat(model.toolResultTexts()).containsExactly("warehouse unavailable");
    }
  }

  @Test
  void repeatLoop_warn_theToolRunsAndItsResultIsMarked() {
    try (var tools =
        shopTools()
            .loopPolicy(LoopPolicy.defaults().maxToolRepeats(3).onLoop(OnLoop.WARN))
            .build()) {
      var model = ScriptedChatModel.repeating(4, "getCart", "{\"userId\":\"u1\"}");

      assistant(model, tools.toolProvider(shop)).chat("c1", "loop");

      assertThat(model.toolResultTexts()).containsOnly("u1: []").hasSize(4);
      assertThat(executed).hasSize(4);
      assertThat(executed.subList(0, 3))
          .allSatisfy(r ->
              assertThat(r.attributes()).doesNotContainKey(LangChain4jAgentTools.LOOP_ATTRIBUTE));
      assertThat(executed.get(3).attributes())
          .containsEntry(LangChain4jAgentTools.LOOP_ATTRIBUTE, "REPEAT");
      var stats = tools.session("c1").orElseThrow().stats();
      assertThat(stats.loopDetections(LoopKind.REPEAT)).isEqualTo(1);
      assertThat(stats.hits()).isEqualTo(3);
      assertThat(stats.shortCircuits()).isZero();
    }
  }

  @Test
  void repeatLoop_shortCircuit_theModelReadsTheLoopAndTheLastResult() {
    try (var tools =
        shopTools()
            .loopPolicy(LoopPolicy.defaults().maxToolRepeats(3).onLoop(OnLoop.SHORT_CIRCUIT))
            .build()) {
      var model = ScriptedChatModel.repeating(5, "getCart", "{\"userId\":\"u1\"}");

      assistant(model, tools.toolProvider(shop)).chat("c1", "loop");

      List<ToolExecutionResultMessage> results = model.toolResults();
      assertThat(results).hasSize(5);
      assertThat(results.get(3).text())
          .isEqualTo(
              "Loop detected (REPEAT): 'getCart' was not run again with these arguments. Its last result"
                  + " was: u1: []");
      assertThat(results.get(3).isError()).isNotEqualTo(Boolean.TRUE);
      assertThat(results.get(4).text()).isEqualTo(results.get(3).text());
      var stats = tools.session("c1").orElseThrow().stats();
      assertThat(stats.shortCircuits()).isEqualTo(2);
      assertThat(stats.hits()).isEqualTo(2);
      assertThat(shop.cartReads).hasValue(1);
    }
  }

  @Test
  void twoConcurrentConversations_doNotShareSessionEntries() throws Exception {
    var bothInside = new CyclicBarrier(2);
    var readsByUser = new AtomicInteger();
    ToolExecutor whoAmI =
        (request, memoryId) -> {
          try {
            bothInside.await(
                10, TimeUnit.SECONDS); // both conversations are inside the tool at once
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          readsByUser.incrementAndGet();
          return "profile of " + memoryId;
        };
    var spec =
        ToolSpecification.builder().name("getProfile").description("the caller's profile").build();
    try (var tools =
        LangChain4jAgentTools.newBuilder(agents)
            .readTool("getProfile", read -> read.resource("profile").scope(Scope.SESSION))
            .build()) {
      ToolProvider provider =
          request ->
              ToolProviderResult.builder()
                  .addAll(tools.wrap(java.util.Map.of(spec, whoAmI)))
                  .build();
      var modelA = ScriptedChatModel.repeating(2, "getProfile", "{}");
      var modelB = ScriptedChatModel.repeating(2, "getProfile", "{}");
      try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<String> a =
            threads.submit(() -> assistant(modelA, provider).chat("alice", "who am I?"));
        Future<String> b =
            threads.submit(() -> assistant(modelB, provider).chat("bob", "who am I?"));
        assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo("done");
      }
      assertThat(modelA.toolResultTexts()).containsExactly("profile of alice", "profile of alice");
      assertThat(modelB.toolResultTexts()).containsExactly("profile of bob", "profile of bob");
      assertThat(readsByUser).hasValue(2);
      for (String user : List.of("alice", "bob")) {
        var stats = tools.session(user).orElseThrow().stats();
        assertThat(stats.misses()).as(user).isEqualTo(1);
        assertThat(stats.hits()).as(user).isEqualTo(1);
      }
    }
  }

  @Test
  void sessionFromParameter_callsOfOneParameterValueShareASession() {
    try (var tools =
        LangChain4jAgentTools.newBuilder(agents)
            .readTool("getCart", read -> read.resource("cart").scope(Scope.SESSION))
            .sessionFromParameter("sessionId")
            .build()) {
      ToolProvider provider = tools.toolProvider(shop);
      for (String session : List.of("s1", "s1", "s2")) {
        ParameterAssistant assistant =
            AiServices.builder(ParameterAssistant.class)
                .chatModel(ScriptedChatModel.repeating(1, "getCart", "{\"userId\":\"u1\"}"))
                .toolProvider(provider)
                .build();
        assistant.chat("hi", InvocationParameters.from("sessionId", session));
      }
      assertThat(shop.cartReads).hasValue(2);
      assertThat(tools.session("s1").orElseThrow().stats().hits()).isEqualTo(1);
      assertThat(tools.session("s2").orElseThrow().stats().misses()).isEqualTo(1);
    }
  }

  @Test
  void boundSession_takesPrecedenceOverTheMemoryId() {
    try (var tools = shopTools().build();
        AgentSession session =
            agents.openSession("request-42", LoopPolicy.defaults().maxToolRepeats(1))) {
      var model = ScriptedChatModel.repeating(2, "getCart", "{\"userId\":\"u1\"}");

      session.run(() -> assistant(model, tools.toolProvider(shop)).chat("c1", "hi"));

      assertThat(model.toolResultTexts().get(1))
          .startsWith("Agent loop (REPEAT) in session 'request-42'");
      assertThat(session.stats().calls()).isEqualTo(2);
      assertThat(tools.session("c1")).isEmpty();
    }
  }

  @Test
  void wrapToolProvider_wrapsTheExecutorsOfEveryRequest() {
    var runs = new AtomicInteger();
    var spec = ToolSpecification.builder().name("lookup").build();
    ToolProvider upstream =
        request ->
            ToolProviderResult.builder()
                .add(
                    spec,
                    (req, memoryId) ->
                        "looked up " + req.arguments() + " #" + runs.incrementAndGet())
                .build();
    try (var tools = LangChain4jAgentTools.newBuilder(agents).readTool("lookup").build()) {
      ToolProvider cached = tools.wrap(upstream);
      var first = ScriptedChatModel.of(call("lookup", "{\"q\":1}"), call("lookup", "{\"q\":1.0}"));
      assistant(first, cached).chat("c1", "look");
      var second = ScriptedChatModel.of(call("lookup", "{\"q\":1}"));
      assistant(second, cached).chat("c2", "look");

      assertThat(runs).hasValue(1);
      assertThat(first.toolResultTexts()).containsOnly("looked up {\"q\":1} #1");
      assertThat(second.toolResultTexts()).containsExactly("looked up {\"q\":1} #1");
    }
  }

  @Test
  void errorResult_isReturnedButNeverCached_andCountsAsAFailure() {
    var runs = new AtomicInteger();
    ToolExecutor failing =
        new ToolExecutor() {
          @Override
          public String execute(
              dev.langchain4j.agent.tool.ToolExecutionRequest request, Object memoryId) {
            throw new UnsupportedOperationException("executeWithContext is used");
          }

          @Override
          public ToolExecutionResult executeWithContext(
              dev.langchain4j.agent.tool.ToolExecutionRequest request,
              dev.langchain4j.invocation.InvocationContext context) {
            return ToolExecutionResult.builder()
                .isError(true)
                .resultText("down #" + runs.incrementAndGet())
                .build();
          }
        };
    var spec = ToolSpecification.builder().name("status").build();
    try (var tools =
        LangChain4jAgentTools.newBuilder(agents)
            .readTool("status")
            .loopPolicy(LoopPolicy.defaults().maxFailures(2))
            .build()) {
      var model = ScriptedChatModel.repeating(3, "status", "{}");
      ToolProvider provider =
          request ->
              ToolProviderResult.builder()
                  .addAll(tools.wrap(java.util.Map.of(spec, failing)))
                  .build();

      assistant(model, provider).chat("c1", "status?");

      assertThat(model.toolResultTexts())
          .containsExactly(
              "down #1",
              "down #2",
              "Agent loop (RETRY_STORM) in session 'c1': status({}) called again after 2 failures");
      assertThat(runs).hasValue(2);
    }
  }

  @Test
  void unlistedTool_isNeverCachedButIsCheckedForLoops() {
    try (var tools =
        LangChain4jAgentTools.newBuilder(agents)
            .loopPolicy(LoopPolicy.defaults().maxToolRepeats(2))
            .build()) {
      var model = ScriptedChatModel.repeating(3, "searchProducts", "{\"query\":\"shoes\"}");

      assistant(model, tools.toolProvider(shop)).chat("c1", "search");

      assertThat(shop.searches).hasValue(2);
      assertThat(model.toolResultTexts().get(2)).startsWith("Agent loop (REPEAT)");
    }
  }

  @Test
  void legacyExecute_usesTheMemoryIdAsTheSession() {
    try (var tools = shopTools().build()) {
      ToolExecutor cached =
          tools.wrap(
              "getCart",
              (request, memoryId) -> {
                shop.cartReads.incrementAndGet();
                return "cart of " + memoryId;
              });
      var request =
          dev.langchain4j.agent.tool.ToolExecutionRequest.builder()
              .id("1")
              .name("getCart")
              .arguments("{\"userId\":\"u1\"}")
              .build();

      assertThat(cached.execute(request, "m1")).isEqualTo("cart of m1");
      assertThat(cached.execute(request, "m1")).isEqualTo("cart of m1");
      assertThat(shop.cartReads).hasValue(1);
      assertThat(tools.session("m1").orElseThrow().stats().hits()).isEqualTo(1);
    }
  }

  @Test
  void close_closesTheSessionsItOpened_notTheAgentCache() {
    var tools = shopTools().build();
    assistant(
            ScriptedChatModel.repeating(1, "getCart", "{\"userId\":\"u1\"}"),
            tools.toolProvider(shop))
        .chat("c1", "hi");
    AgentSession session = tools.session("c1").orElseThrow();

    tools.close();

    assertThat(session.isClosed()).isTrue();
    assertThat(tools.session("c1")).isEmpty();
    assertThat(agents.stats().calls()).isEqualTo(1);
    assertThat(agents.openSession("c1").id()).isEqualTo("c1"); // the id is free again
    ToolExecutor cached = tools.wrap("getCart", (request, memoryId) -> "never runs");
    var request =
        dev.langchain4j.agent.tool.ToolExecutionRequest.builder()
            .id("1")
            .name("getCart")
            .arguments("{}")
            .build();
    assertThatThrownBy(() -> cached.execute(request, "c2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("LangChain4jAgentTools is closed");
  }
}
