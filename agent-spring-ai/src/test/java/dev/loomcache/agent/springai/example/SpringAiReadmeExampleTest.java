package dev.loomcache.agent.springai.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.agent.AgentCache;
import dev.loomcache.agent.AgentStats;
import dev.loomcache.agent.LoopPolicy;
import dev.loomcache.agent.springai.SpringAiAgentTools;
import dev.loomcache.testsupport.DocSnippets;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/**
 * The example of this module's README and of docs/agent-frameworks.md's Spring AI section, compiled
 * and run with the public API only; the last test keeps the copies identical to the marked region.
 */
class SpringAiReadmeExampleTest {
  /** A chat model that asks for the tool calls it was given, one per turn, then answers "done". */
  static final class ScriptedModel implements ChatModel {
    private final Deque<AssistantMessage.ToolCall> calls;

    ScriptedModel(List<AssistantMessage.ToolCall> calls) {
      this.calls = new ArrayDeque<>(calls);
    }

    @Override
    public ChatResponse call(Prompt prompt) {
      AssistantMessage.ToolCall next = calls.poll();
      AssistantMessage reply =
          next == null
              ? new AssistantMessage("done")
              : AssistantMessage.builder().content("").toolCalls(List.of(next)).build();
      return new ChatResponse(List.of(new Generation(reply)));
    }

    @Override
    public ChatOptions getOptions() {
      return ToolCallingChatOptions.builder().build();
    }
  }

  static AssistantMessage.ToolCall toolCall(String name, String arguments) {
    return new AssistantMessage.ToolCall(name + arguments.hashCode(), "function", name, arguments);
  }

  // README-BEGIN spring-ai
  /** The shop's tools, as Spring AI knows them. */
  public static final class ShopTools {
    final Map<String, List<String>> carts = new ConcurrentHashMap<>();
    final AtomicInteger cartReads = new AtomicInteger();

    @Tool(description = "Returns the SKUs in a user's cart")
    public List<String> getCart(@ToolParam(description = "user id") String userId) {
      cartReads.incrementAndGet();
      return List.copyOf(carts.getOrDefault(userId, List.of()));
    }

    @Tool(description = "Adds a SKU to a user's cart")
    public String addToCart(@ToolParam(description = "user id") String userId, @ToolParam(description = "SKU") String sku) {
      carts.computeIfAbsent(userId, u -> new ArrayList<>()).add(sku);
      return "added";
    }
  }

  @Test
  void springAiAgent() {
    ShopTools shop = new ShopTools();
    ChatModel model = new ScriptedModel(List.of( // stands in for a real LLM
        toolCall("getCart", "{\"userId\": \"u1\"}"),
        toolCall("getCart", "{\"userId\":\"u1\"}"),                  // hit: same canonical arguments
        toolCall("addToCart", "{\"userId\":\"u1\",\"sku\":\"sku-1\"}"), // invalidates "cart"
        toolCall("getCart", "{\"userId\":\"u1\"}")));                // miss: sees sku-1

    try (AgentCache agents = AgentCache.newBuilder().maximumSize(10_000).build();
        SpringAiAgentTools tools = SpringAiAgentTools.newBuilder(agents)
            .readTool("getCart", read -> read.resource("cart").ttl(Duration.ofMinutes(2)))
            .writeTool("addToCart", write -> write.invalidates("cart"))
            .loopPolicy(LoopPolicy.defaults().maxToolRepeats(3))
            .sessionKey("conversationId") // the ToolContext entry naming the session
            .build()) {
      ToolCallingManager manager = ToolCallingManager.builder()
          .toolExecutionExceptionProcessor(SpringAiAgentTools.rethrowLoops()) // RAISE ends the call
          .build();
      ChatClient client = ChatClient.builder(model, ObservationRegistry.NOOP, null, null,
          ToolCallingAdvisor.builder().toolCallingManager(manager)).build();

      String answer = client.prompt()
          .user("add sku-1 to my cart")
          .tools(tools.toolCallbacks(shop))
          .toolContext(Map.of("conversationId", "conversation-1"))
          .call()
          .content();

      assertThat(answer).isEqualTo("done");
      AgentStats stats = tools.session("conversation-1").orElseThrow().stats();
      assertThat(stats.hits()).isEqualTo(1);
      assertThat(stats.invalidations()).isEqualTo(1);
      assertThat(shop.cartReads).hasValue(2);
      tools.closeSession("conversation-1"); // its session-scoped entries and loop history go
    }
  }
  // README-END spring-ai

  @Test
  void readmes_showExactlyThisExample() {
    var snippets = DocSnippets.ofTest(SpringAiReadmeExampleTest.class);
    assertThat(snippets.names()).containsExactly("spring-ai");
    snippets.assertShownIn(Path.of("README.md"));
    snippets.assertShownIn(Path.of("..", "docs", "agent-frameworks.md"));
  }
}
