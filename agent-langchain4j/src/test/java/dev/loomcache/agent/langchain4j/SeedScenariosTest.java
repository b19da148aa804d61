package dev.loomcache.agent.langchain4j;

import static dev.loomcache.agent.langchain4j.ScriptedChatModel.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.tool.ToolProvider;
import dev.loomcache.agent.AgentCache;
import dev.loomcache.agent.LoopKind;
import dev.loomcache.agent.LoopPolicy;
import dev.loomcache.agent.OnLoop;
import dev.loomcache.agent.Scope;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The five seed scenarios of the agent module (shopping, support sessions, search loop,
 * oscillation, retry storm), each played by a scripted model through a real {@code AiServices}
 * agent.
 */
class SeedScenariosTest {
  /** A conversation per memory id. */
  public interface Agent {
    String chat(@MemoryId String conversation, @UserMessage String message);
  }

  /** A help desk: tickets are per customer, the FAQ is shared. */
  public static final class HelpDesk {
    final AtomicInteger ticketReads = new AtomicInteger();
    final AtomicInteger faqReads = new AtomicInteger();

    @Tool("The caller's open tickets")
    public String myTickets() {
      return "tickets #" + ticketReads.incrementAndGet();
    }

    @Tool("The answer to a frequently asked question")
    public String faq(@P("the topic") String topic) {
      faqReads.incrementAndGet();
      return "faq about " + topic;
    }
  }

  private final AgentCache agents = AgentCache.newBuilder().build();
  private final Shop shop = new Shop();

  @AfterEach
  void closeAgents() {
    agents.close();
  }

  private LangChain4jAgentTools shopTools(LoopPolicy policy) {
    return LangChain4jAgentTools.newBuilder(agents)
        .readTool("getCart", read -> read.resource("cart"))
        .writeTool("addToCart", write -> write.invalidates("cart"))
        .readTool("searchProducts", read -> read.resource("catalog"))
        .readTool("checkStock", read -> read.resource("stock"))
        .loopPolicy(policy)
        .build();
  }

  private static Agent agent(ScriptedChatModel model, ToolProvider tools) {
    return AiServices.builder(Agent.class)
        .chatModel(model)
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(100))
        .toolProvider(tools)
        .build();
  }

  @Test
  void shopping_searchesAreSharedAndTheCartIsNeverStale() {
    try (var tools = shopTools(LoopPolicy.defaults())) {
      var model =
          ScriptedChatModel.of(
              call("searchProducts", "{\"query\": \"running shoes\"}"),
              call("searchProducts", "{\"query\":\"running shoes\"}"),
              call("getCart", "{\"userId\":\"u1\"}"),
              call("getCart", "{\"userId\":\"u1\"}"),
              call("addToCart", "{\"userId\":\"u1\",\"sku\":\"sku-1\"}"),
              call("getCart", "{\"userId\":\"u1\"}"));

      agent(model, tools.toolProvider(shop)).chat("shopper", "buy running shoes");

      assertThat(model.toolResultTexts().getLast()).isEqualTo("u1: [sku-1]");
      assertThat(shop.searches).hasValue(1);
      assertThat(shop.cartReads).hasValue(2);
      var stats = tools.session("shopper").orElseThrow().stats();
      assertThat(stats.hits()).isEqualTo(2);
      assertThat(stats.misses()).isEqualTo(3);
      assertThat(stats.invalidations()).isEqualTo(1);
    }
  }

  @Test
  void supportSessions_ticketsStayWithTheirCustomer_theFaqIsShared() {
    var desk = new HelpDesk();
    try (var tools =
        LangChain4jAgentTools.newBuilder(agents)
            .readTool("myTickets", read -> read.resource("tickets").scope(Scope.SESSION))
            .readTool("faq", read -> read.resource("faq"))
            .build()) {
      ToolProvider provider = tools.toolProvider(desk);
      var ann =
          ScriptedChatModel.of(
              call("myTickets", "{}"),
              call("faq", "{\"topic\":\"refunds\"}"),
              call("myTickets", "{}"));
      var ben =
          ScriptedChatModel.of(call("myTickets", "{}"), call("faq", "{\"topic\":\"refunds\"}"));

      agent(ann, provider).chat("ann", "my tickets?");
      agent(ben, provider).chat("ben", "my tickets?");

      assertThat(ann.toolResultTexts())
          .containsExactly("tickets #1", "faq about refunds", "tickets #1");
      assertThat(ben.toolResultTexts()).containsExactly("tickets #2", "faq about refunds");
      assertThat(desk.faqReads).hasValue(1);

      tools.closeSession("ann"); // the conversation ends: its tickets go with it
      var annAgain = ScriptedChatModel.of(call("myTickets", "{}"));
      agent(annAgain, provider).chat("ann", "back again");
      assertThat(annAgain.toolResultTexts()).containsExactly("tickets #3");
    }
  }

  @Test
  void searchLoop_shortCircuitsWithTheLastResult_theCatalogIsSearchedOnce() {
    var policy = LoopPolicy.defaults().maxToolRepeats(3).onLoop(OnLoop.SHORT_CIRCUIT);
    try (var tools = shopTools(policy)) {
      var model = ScriptedChatModel.repeating(6, "searchProducts", "{\"query\":\"shoes\"}");

      agent(model, tools.toolProvider(shop)).chat("searcher", "find shoes");

      assertThat(model.toolResultTexts().subList(3, 6))
          .allSatisfy(text ->
              assertThat(text)
                  .isEqualTo(
                      "Loop detected (REPEAT): 'searchProducts' was not run again with these arguments."
                          + " Its last result was: results for shoes: sku-1, sku-2"));
      assertThat(shop.searches).hasValue(1);
      assertThat(tools.session("searcher").orElseThrow().stats().shortCircuits()).isEqualTo(3);
    }
  }

  @Test
  void oscillation_aToBToAToB_isACycleTheModelIsToldAbout() {
    try (var tools = shopTools(LoopPolicy.defaults())) {
      var model =
          ScriptedChatModel.of(
              call("getCart", "{\"userId\":\"u1\"}"),
              call("searchProducts", "{\"query\":\"socks\"}"),
              call("getCart", "{\"userId\":\"u1\"}"),
              call("searchProducts", "{\"query\":\"socks\"}"));

      agent(model, tools.toolProvider(shop)).chat("wobbly", "socks?");

      assertThat(model.toolResults().getLast().isError()).isTrue();
      assertThat(model.toolResultTexts().getLast())
          .isEqualTo(
              "Agent loop (CYCLE) in session 'wobbly': the cycle [getCart({\"userId\":\"u1\"}),"
                  + " searchProducts({\"query\":\"socks\"})] repeated 2 times in a row");
      assertThat(tools.session("wobbly").orElseThrow().stats().loopDetections(LoopKind.CYCLE))
          .isEqualTo(1);
    }
  }

  @Test
  void retryStorm_theFourthAttemptAfterThreeFailuresDoesNotRun() {
    try (var tools = shopTools(LoopPolicy.defaults())) {
      var model = ScriptedChatModel.repeating(4, "checkStock", "{\"sku\":\"sku-1\"}");

      agent(model, tools.toolProvider(shop)).chat("stormy", "in stock?");

      assertThat(model.toolResultTexts())
          .containsExactly(
              "warehouse unavailable",
              "warehouse unavailable",
              "warehouse unavailable",
              "Agent loop (RETRY_STORM) in session 'stormy': checkStock({\"sku\":\"sku-1\"}) called again"
                  + " after 3 failures");
      assertThat(shop.stockChecks).hasValue(3);
    }
  }
}
