package dev.loomcache.agent.langchain4j.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import dev.loomcache.agent.AgentCache;
import dev.loomcache.agent.AgentStats;
import dev.loomcache.agent.LoopPolicy;
import dev.loomcache.agent.langchain4j.LangChain4jAgentTools;
import dev.loomcache.testsupport.DocSnippets;
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

/**
 * The example of this module's README and of docs/agent-frameworks.md's LangChain4j section,
 * compiled and run with the public API only; the last test keeps the copies identical to the marked
 * region.
 */
class LangChain4jReadmeExampleTest {
  /** A chat model that asks for the tool calls it was given, one per turn, then answers "done". */
  static final class ScriptedModel implements ChatModel {
    private final Deque<ToolExecutionRequest> calls;

    ScriptedModel(List<ToolExecutionRequest> calls) {
      this.calls = new ArrayDeque<>(calls);
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
      ToolExecutionRequest next = calls.poll();
      return ChatResponse.builder()
          .aiMessage(next == null ? AiMessage.from("done") : AiMessage.from(next))
          .build();
    }
  }

  static ToolExecutionRequest toolCall(String name, String arguments) {
    return ToolExecutionRequest.builder()
        .id(name + arguments.hashCode())
        .name(name)
        .arguments(arguments)
        .build();
  }

  // README-BEGIN langchain4j
  interface Assistant {
    String chat(@MemoryId String conversation, @UserMessage String message);
  }

  /** The shop's tools, as LangChain4j knows them. */
  public static final class ShopTools {
    final Map<String, List<String>> carts = new ConcurrentHashMap<>();
    final AtomicInteger cartReads = new AtomicInteger();

    @Tool("Returns the SKUs in a user's cart")
    public List<String> getCart(@P("user id") String userId) {
      cartReads.incrementAndGet();
      return List.copyOf(carts.getOrDefault(userId, List.of()));
    }

    @Tool("Adds a SKU to a user's cart")
    public String addToCart(@P("user id") String userId, @P("SKU") String sku) {
      carts.computeIfAbsent(userId, u -> new ArrayList<>()).add(sku);
      return "added";
    }
  }

  @Test
  void langChain4jAgent() {
    ShopTools shop = new ShopTools();
    ChatModel model = new ScriptedModel(List.of( // stands in for a real LLM
        toolCall("getCart", "{\"userId\": \"u1\"}"),
        toolCall("getCart", "{\"userId\":\"u1\"}"),                  // hit: same canonical arguments
        toolCall("addToCart", "{\"userId\":\"u1\",\"sku\":\"sku-1\"}"), // invalidates "cart"
        toolCall("getCart", "{\"userId\":\"u1\"}")));                // miss: sees sku-1

    try (AgentCache agents = AgentCache.newBuilder().maximumSize(10_000).build();
        LangChain4jAgentTools tools = LangChain4jAgentTools.newBuilder(agents)
            .readTool("getCart", read -> read.resource("cart").ttl(Duration.ofMinutes(2)))
            .writeTool("addToCart", write -> write.invalidates("cart"))
            .loopPolicy(LoopPolicy.defaults().maxToolRepeats(3)) // one session per memory id
            .build()) {
      Assistant assistant = AiServices.builder(Assistant.class)
          .chatModel(model)
          .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
          .toolProvider(tools.toolProvider(shop))
          .toolExecutionErrorHandler(LangChain4jAgentTools.rethrowLoops()) // RAISE ends the chat
          .build();

      assertThat(assistant.chat("conversation-1", "add sku-1 to my cart")).isEqualTo("done");

      AgentStats stats = tools.session("conversation-1").orElseThrow().stats();
      assertThat(stats.hits()).isEqualTo(1);
      assertThat(stats.invalidations()).isEqualTo(1);
      assertThat(shop.cartReads).hasValue(2);
      tools.closeSession("conversation-1"); // its session-scoped entries and loop history go
    }
  }
  // README-END langchain4j

  @Test
  void readmes_showExactlyThisExample() {
    var snippets = DocSnippets.ofTest(LangChain4jReadmeExampleTest.class);
    assertThat(snippets.names()).containsExactly("langchain4j");
    snippets.assertShownIn(Path.of("README.md"));
    snippets.assertShownIn(Path.of("..", "docs", "agent-frameworks.md"));
  }
}
