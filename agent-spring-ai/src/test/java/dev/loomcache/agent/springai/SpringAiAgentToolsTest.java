package dev.loomcache.agent.springai;

import static dev.loomcache.agent.springai.ScriptedChatModel.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.agent.AgentCache;
import dev.loomcache.agent.AgentLoopDetectedException;
import dev.loomcache.agent.LoopKind;
import dev.loomcache.agent.LoopPolicy;
import dev.loomcache.agent.OnLoop;
import dev.loomcache.agent.Scope;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

/** The adapter inside a real Spring AI {@code ChatClient} driven by a scripted chat model. */
class SpringAiAgentToolsTest {
  private final AgentCache agents = AgentCache.newBuilder().build();
  private final Shop shop = new Shop();

  @AfterEach
  void closeAgents() {
    agents.close();
  }

  private SpringAiAgentTools.Builder shopTools() {
    return SpringAiAgentTools.newBuilder(agents)
        .readTool("getCart", read -> read.resource("cart"))
        .writeTool("addToCart", write -> write.invalidates("cart"))
        .readTool("searchProducts", read -> read.resource("catalog"))
        .readTool("checkStock", read -> read.resource("stock"));
  }

  private static String chat(
      ScriptedChatModel model, List<ToolCallback> callbacks, String session) {
    return ChatClient.create(model)
        .prompt()
        .user("help")
        .tools(callbacks)
        .toolContext(Map.of(SpringAiAgentTools.DEFAULT_SESSION_KEY, session))
        .call()
        .content();
  }

  @Test
  void readTool_identicalCalls_secondIsServedFromTheCache() {
    try (var tools = shopTools().build()) {
      var model =
          ScriptedChatModel.of(
              call("getCart", "{\"userId\": \"u1\"}"), call("getCart", "{\"userId\":\"u1\"}"));

      assertThat(chat(model, tools.toolCallbacks(shop), "c1")).isEqualTo("done");

      assertThat(shop.cartReads).hasValue(1);
      assertThat(model.toolResponses()).containsExactly("\"u1: []\"", "\"u1: []\"");
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

      chat(model, tools.toolCallbacks(shop), "c1");

      assertThat(model.toolResponses())
          .containsExactly("\"u1: []\"", "\"added sku-9\"", "\"u1: [sku-9]\"");
      assertThat(shop.cartReads).hasValue(2);
      assertThat(tools.session("c1").orElseThrow().stats().invalidations()).isEqualTo(1);
    }
  }

  @Test
  void sessionScopedRead_sessionsDoNotShare_andEntriesDieWithTheSession() {
    try (var tools =
        SpringAiAgentTools.newBuilder(agents)
            .readTool("getCart", read -> read.resource("cart").scope(Scope.SESSION))
            .sessionKey("conversation")
            .build()) {
      List<ToolCallback> callbacks = tools.toolCallbacks(shop);
      for (String session : List.of("a", "a", "b")) {
        ChatClient.create(ScriptedChatModel.repeating(1, "getCart", "{\"userId\":\"u1\"}"))
            .prompt()
            .user("hi")
            .tools(callbacks)
            .toolContext(Map.of("conversation", session))
            .call()
            .content();
      }
      assertThat(shop.cartReads).hasValue(2);

      assertThat(tools.closeSession("a")).isTrue();
      ChatClient.create(ScriptedChatModel.repeating(1, "getCart", "{\"userId\":\"u1\"}"))
          .prompt()
          .user("hi")
          .tools(callbacks)
          .toolContext(Map.of("conversation", "a"))
          .call()
          .content();
      assertThat(shop.cartReads).hasValue(3);
    }
  }

  @Test
  void repeatLoop_raiseWithTheDefaultProcessor_theModelReadsTheLoop() {
    try (var tools = shopTools().loopPolicy(LoopPolicy.defaults().maxToolRepeats(3)).build()) {
      var model = ScriptedChatModel.repeating(4, "getCart", "{\"userId\":\"u1\"}");

      chat(model, tools.toolCallbacks(shop), "c1");

      assertThat(model.toolResponses()).hasSize(4);
      assertThat(model.toolResponses().get(3))
          .isEqualTo(
              "Agent loop (REPEAT) in session 'c1': getCart({\"userId\":\"u1\"}) called 4 times");
      assertThat(shop.cartReads).hasValue(1);
    }
  }

  @Test
  void repeatLoop_raiseWithRethrowLoops_endsTheCallWithTheException() {
    try (var tools = shopTools().loopPolicy(LoopPolicy.defaults().maxToolRepeats(3)).build()) {
      var manager =
          ToolCallingManager.builder()
              .toolExecutionExceptionProcessor(SpringAiAgentTools.rethrowLoops())
              .build();
      ChatClient client =
          ChatClient.builder(
                  ScriptedChatModel.repeating(10, "getCart", "{\"userId\":\"u1\"}"),
                  ObservationRegistry.NOOP,
                  null,
                  null,
                  ToolCallingAdvisor.builder().toolCallingManager(manager))
              .build();

      assertThatThrownBy(() ->
              client
                  .prompt()
                  .user("loop")
                  .tools(tools.toolCallbacks(shop))
                  .toolContext(Map.of(SpringAiAgentTools.DEFAULT_SESSION_KEY, "c1"))
                  .call()
                  .content())
          .isInstanceOfSatisfying(
              AgentLoopDetectedException.class,
              loop -> {
                assertThat(loop.kind()).isEqualTo(LoopKind.REPEAT);
                assertThat(loop.sessionId()).isEqualTo("c1");
              });
      assertThat(shop.cartReads).hasValue(1);
    }
  }

  @Test
  void repeatLoop_warn_theToolRunsAndTheDetectionIsCounted() {
    try (var tools =
        shopTools()
            .loopPolicy(LoopPolicy.defaults().maxToolRepeats(2).onLoop(OnLoop.WARN))
            .build()) {
      var model = ScriptedChatModel.repeating(3, "getCart", "{\"userId\":\"u1\"}");

      chat(model, tools.toolCallbacks(shop), "c1");

      assertThat(model.toolResponses()).containsOnly("\"u1: []\"").hasSize(3);
      assertThat(tools.session("c1").orElseThrow().stats().loopDetections(LoopKind.REPEAT))
          .isEqualTo(1);
    }
  }

  @Test
  void repeatLoop_shortCircuit_theModelReadsTheNoticeAndTheLastResult() {
    try (var tools =
        shopTools()
            .loopPolicy(LoopPolicy.defaults().maxToolRepeats(2).onLoop(OnLoop.SHORT_CIRCUIT))
            .build()) {
      var model = ScriptedChatModel.repeating(3, "searchProducts", "{\"query\":\"shoes\"}");

      chat(model, tools.toolCallbacks(shop), "c1");

      assertThat(model.toolResponses().get(2))
          .isEqualTo(
              "Loop detected (REPEAT): 'searchProducts' was not run again with these arguments. Its last"
                  + " result was: \"results for shoes\"");
      assertThat(shop.searches).hasValue(1);
    }
  }

  @Test
  void retryStorm_failuresReachTheModel_andTheFourthAttemptDoesNotRun() {
    try (var tools = shopTools().build()) {
      var model = ScriptedChatModel.repeating(4, "checkStock", "{\"sku\":\"sku-1\"}");

      chat(model, tools.toolCallbacks(shop), "c1");

      assertThat(model.toolResponses()).hasSize(4);
      assertThat(model.toolResponses().subList(0, 3))
          .allSatisfy(r -> assertThat(r).contains("warehouse unavailable"));
      assertThat(model.toolResponses().get(3))
          .isEqualTo(
              "Agent loop (RETRY_STORM) in session 'c1': checkStock({\"sku\":\"sku-1\"}) called again after 3 failures");
      assertThat(shop.stockChecks).hasValue(3);
    }
  }

  @Test
  void aCycle_isReportedToTheModel() {
    try (var tools = shopTools().build()) {
      var model =
          ScriptedChatModel.of(
              call("getCart", "{\"userId\":\"u1\"}"),
                  call("searchProducts", "{\"query\":\"socks\"}"),
              call("getCart", "{\"userId\":\"u1\"}"),
                  call("searchProducts", "{\"query\":\"socks\"}"));

      chat(model, tools.toolCallbacks(shop), "c1");

      assertThat(model.toolResponses().get(3)).startsWith("Agent loop (CYCLE) in session 'c1'");
    }
  }

  @Test
  void twoConcurrentConversations_doNotShareSessionEntries() throws Exception {
    var bothInside = new CyclicBarrier(2);
    var runs = new AtomicInteger();
    ToolCallback whoAmI =
        new ToolCallback() {
          @Override
          public ToolDefinition getToolDefinition() {
            return ToolDefinition.builder()
                .name("whoAmI")
                .description("the caller")
                .inputSchema("{\"type\":\"object\"}")
                .build();
          }

          @Override
          public String call(String toolInput) {
            throw new UnsupportedOperationException("called with a context");
          }

          @Override
          public String call(String toolInput, ToolContext toolContext) {
            try {
              bothInside.await(
                  10, TimeUnit.SECONDS); // both conversations are inside the tool at once
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            runs.incrementAndGet();
            return "you are "
                + toolContext.getContext().get(SpringAiAgentTools.DEFAULT_SESSION_KEY);
          }
        };
    try (var tools =
        SpringAiAgentTools.newBuilder(agents)
            .readTool("whoAmI", read -> read.scope(Scope.SESSION))
            .build()) {
      List<ToolCallback> callbacks = tools.wrapAll(whoAmI);
      var modelA = ScriptedChatModel.repeating(2, "whoAmI", "{}");
      var modelB = ScriptedChatModel.repeating(2, "whoAmI", "{}");
      try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<String> a = threads.submit(() -> chat(modelA, callbacks, "alice"));
        Future<String> b = threads.submit(() -> chat(modelB, callbacks, "bob"));
        assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo("done");
      }
      assertThat(modelA.toolResponses()).containsExactly("you are alice", "you are alice");
      assertThat(modelB.toolResponses()).containsExactly("you are bob", "you are bob");
      assertThat(runs).hasValue(2);
    }
  }

  @Test
  void callWithoutTheSessionKey_isCachedButHasNoSession() {
    try (var tools = shopTools().build()) {
      var model = ScriptedChatModel.repeating(2, "getCart", "{\"userId\":\"u1\"}");

      ChatClient.create(model)
          .prompt()
          .user("hi")
          .tools(tools.toolCallbacks(shop))
          .call()
          .content();

      assertThat(shop.cartReads).hasValue(1);
      assertThat(agents.stats().hits()).isEqualTo(1);
      assertThat(tools.session("c1")).isEmpty();
    }
  }

  @Test
  void wrapProvider_keepsTheDefinitionAndMetadata() {
    try (var tools = shopTools().build()) {
      ToolCallback[] plain =
          org.springframework.ai.tool.method.MethodToolCallbackProvider.builder()
              .toolObjects(shop)
              .build()
              .getToolCallbacks();
      ToolCallback[] wrapped = tools.wrap(() -> plain).getToolCallbacks();

      assertThat(wrapped).hasSameSizeAs(plain);
      for (int i = 0; i < plain.length; i++) {
        assertThat(wrapped[i].getToolDefinition()).isEqualTo(plain[i].getToolDefinition());
        assertThat(wrapped[i].getToolMetadata()).isEqualTo(plain[i].getToolMetadata());
      }
    }
  }
}
