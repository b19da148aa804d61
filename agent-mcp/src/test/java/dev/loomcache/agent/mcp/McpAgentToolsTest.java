package dev.loomcache.agent.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.agent.AgentCache;
import dev.loomcache.agent.LoopKind;
import dev.loomcache.agent.LoopPolicy;
import dev.loomcache.agent.OnLoop;
import dev.loomcache.agent.Scope;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The adapter in a real MCP server of the SDK, called by the SDK's own clients. */
class McpAgentToolsTest {
  private final AgentCache agents = AgentCache.newBuilder().build();
  private final Map<String, List<String>> carts = new ConcurrentHashMap<>();
  private final AtomicInteger cartReads = new AtomicInteger();
  private final AtomicInteger stockChecks = new AtomicInteger();
  private final List<String> profileCallers = new CopyOnWriteArrayList<>();
  private InProcessMcpServer server;

  @AfterEach
  void close() throws Exception {
    if (server != null) {
      server.stop();
    }
    agents.close();
  }

  private static McpSchema.Tool tool(String name) {
    return McpSchema.Tool.builder(name, Map.of("type", "object")).description(name).build();
  }

  private static CallToolResult text(String text) {
    return CallToolResult.builder().addTextContent(text).build();
  }

  private List<SyncToolSpecification> shopSpecifications() {
    return List.of(
        new SyncToolSpecification(
            tool("get_cart"),
            (exchange, request) -> {
              cartReads.incrementAndGet();
              String user = (String) request.arguments().get("userId");
              return text(user + ": " + carts.getOrDefault(user, List.of()));
            }),
        new SyncToolSpecification(
            tool("add_to_cart"),
            (exchange, request) -> {
              carts
                  .computeIfAbsent(
                      (String) request.arguments().get("userId"), u -> new ArrayList<>())
                  .add((String) request.arguments().get("sku"));
              return text("added");
            }),
        new SyncToolSpecification(
            tool("check_stock"),
            (exchange, request) -> {
              stockChecks.incrementAndGet();
              return CallToolResult.builder()
                  .isError(true)
                  .addTextContent("warehouse unavailable")
                  .build();
            }),
        new SyncToolSpecification(
            tool("my_profile"),
            (exchange, request) -> {
              profileCallers.add(exchange.sessionId());
              return text("profile of " + exchange.sessionId());
            }));
  }

  private McpSyncClient start(McpAgentTools tools) throws Exception {
    server =
        new InProcessMcpServer(
            tools.wrap(shopSpecifications()),
            tools.toolFilter(context -> (String) context.get(InProcessMcpServer.SESSION_KEY)));
    return server.newClient();
  }

  private McpAgentTools.Builder shopTools() {
    return McpAgentTools.newBuilder(agents)
        .readTool("get_cart", read -> read.resource("cart"))
        .writeTool("add_to_cart", write -> write.invalidates("cart"))
        .readTool("check_stock", read -> read.resource("stock"))
        .readTool("my_profile", read -> read.scope(Scope.SESSION));
  }

  private static String textOf(CallToolResult result) {
    return result.content().stream()
        .map(c -> ((TextContent) c).text())
        .reduce((a, b) -> a + " | " + b)
        .orElse("");
  }

  private static CallToolResult call(
      McpSyncClient client, String tool, Map<String, Object> arguments) {
    return client.callTool(CallToolRequest.builder(tool).arguments(arguments).build());
  }

  private static List<String> toolNames(McpSyncClient client) {
    return client.listTools().tools().stream().map(McpSchema.Tool::name).sorted().toList();
  }

  @Test
  void readTool_identicalArguments_secondCallIsServedFromTheCache() throws Exception {
    try (var tools = shopTools().build()) {
      McpSyncClient client = start(tools);

      CallToolResult first = call(client, "get_cart", Map.of("userId", "u1", "limit", 10));
      CallToolResult second = call(client, "get_cart", Map.of("limit", 10.0, "userId", "u1"));

      assertThat(textOf(first)).isEqualTo("u1: []");
      assertThat(second).isEqualTo(first);
      assertThat(cartReads).hasValue(1);
      String session = tools.sessionIds().iterator().next();
      assertThat(tools.session(session).orElseThrow().stats().hits()).isEqualTo(1);
    }
  }

  @Test
  void writeTool_invalidatesItsResource_nextReadSeesTheWrite() throws Exception {
    try (var tools = shopTools().build()) {
      McpSyncClient client = start(tools);

      call(client, "get_cart", Map.of("userId", "u1"));
      call(client, "add_to_cart", Map.of("userId", "u1", "sku", "sku-9"));
      CallToolResult after = call(client, "get_cart", Map.of("userId", "u1"));

      assertThat(textOf(after)).isEqualTo("u1: [sku-9]");
      assertThat(cartReads).hasValue(2);
    }
  }

  @Test
  void sessionScopedRead_eachMcpSessionHasItsOwnEntries_andTheyDieWithIt() throws Exception {
    try (var tools = shopTools().build()) {
      McpSyncClient alice = start(tools);
      McpSyncClient bob = server.newClient();

      String aliceProfile = textOf(call(alice, "my_profile", Map.of()));
      String bobProfile = textOf(call(bob, "my_profile", Map.of()));
      assertThat(textOf(call(alice, "my_profile", Map.of()))).isEqualTo(aliceProfile);
      assertThat(textOf(call(bob, "my_profile", Map.of()))).isEqualTo(bobProfile);

      assertThat(aliceProfile).isNotEqualTo(bobProfile);
      assertThat(profileCallers).hasSize(2).doesNotHaveDuplicates();
      assertThat(tools.sessionIds()).containsExactlyInAnyOrderElementsOf(profileCallers);

      String aliceSession = aliceProfile.substring("profile of ".length());
      assertThat(tools.closeSession(aliceSession)).isTrue();
      assertThat(textOf(call(alice, "my_profile", Map.of()))).isEqualTo(aliceProfile);
      assertThat(profileCallers).as("alice's entry died with her session").hasSize(3);
    }
  }

  @Test
  void repeatLoop_raise_isAToolErrorAndHidesTheToolInThatSessionOnly() throws Exception {
    var blockedEvents = new ArrayList<String>();
    try (var tools =
        shopTools()
            .loopPolicy(LoopPolicy.defaults().maxToolRepeats(3))
            .onToolBlocked((session, tool) -> blockedEvents.add(tool))
            .build()) {
      McpSyncClient looping = start(tools);
      McpSyncClient other = server.newClient();
      for (int i = 0; i < 3; i++) {
        assertThat(call(looping, "get_cart", Map.of("userId", "u1")).isError())
            .isNotEqualTo(Boolean.TRUE);
      }

      CallToolResult stopped = call(looping, "get_cart", Map.of("userId", "u1"));

      assertThat(stopped.isError()).isTrue();
      assertThat(textOf(stopped))
          .startsWith("Agent loop (REPEAT) in session '")
          .endsWith("': get_cart({\"userId\":\"u1\"}) called 4 times");
      assertThat(stopped.meta()).containsEntry(McpAgentTools.LOOP_META, "REPEAT");
      assertThat(cartReads).hasValue(1);
      assertThat(blockedEvents).containsExactly("get_cart");
      assertThat(toolNames(looping)).containsExactly("add_to_cart", "check_stock", "my_profile");
      assertThat(toolNames(other)).contains("get_cart");
    }
  }

  @Test
  void repeatLoop_warn_runsAndMarksTheResult() throws Exception {
    try (var tools =
        shopTools()
            .loopPolicy(LoopPolicy.defaults().maxToolRepeats(1).onLoop(OnLoop.WARN))
            .build()) {
      McpSyncClient client = start(tools);

      CallToolResult first = call(client, "get_cart", Map.of("userId", "u1"));
      CallToolResult second = call(client, "get_cart", Map.of("userId", "u1"));

      assertThat(first.meta()).isNull();
      assertThat(second.meta()).containsEntry(McpAgentTools.LOOP_META, "REPEAT");
      assertThat(textOf(second)).isEqualTo("u1: []");
      assertThat(toolNames(client)).contains("get_cart");
    }
  }

  @Test
  void repeatLoop_shortCircuit_returnsANoticeAndTheLastResult() throws Exception {
    try (var tools =
        shopTools()
            .loopPolicy(LoopPolicy.defaults().maxToolRepeats(1).onLoop(OnLoop.SHORT_CIRCUIT))
            .build()) {
      McpSyncClient client = start(tools);

      call(client, "get_cart", Map.of("userId", "u1"));
      CallToolResult second = call(client, "get_cart", Map.of("userId", "u1"));

      assertThat(textOf(second))
          .isEqualTo(
              "Loop detected (REPEAT): 'get_cart' was not run again with these arguments. Its last result"
                  + " follows. | u1: []");
      assertThat(second.isError()).isFalse();
      assertThat(cartReads).hasValue(1);
      String session = tools.sessionIds().iterator().next();
      assertThat(tools.blockedTools(session)).containsExactly("get_cart");
      assertThat(tools.session(session).orElseThrow().stats().shortCircuits()).isEqualTo(1);
    }
  }

  @Test
  void errorResults_areNeverCached_andAStormOfThemIsStopped() throws Exception {
    try (var tools = shopTools().build()) {
      McpSyncClient client = start(tools);

      List<CallToolResult> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(call(client, "check_stock", Map.of("sku", "sku-1")));
      }

      assertThat(results).allSatisfy(r -> assertThat(r.isError()).isTrue());
      assertThat(results.subList(0, 3))
          .allSatisfy(r -> assertThat(textOf(r)).isEqualTo("warehouse unavailable"));
      assertThat(textOf(results.get(3)))
          .contains("(RETRY_STORM)")
          .endsWith("called again after 3 failures");
      assertThat(stockChecks).hasValue(3);
      String session = tools.sessionIds().iterator().next();
      assertThat(tools.session(session).orElseThrow().stats().loopDetections(LoopKind.RETRY_STORM))
          .isEqualTo(1);
    }
  }

  @Test
  void unlistedTool_isForwardedEveryTimeButCheckedForLoops() throws Exception {
    try (var tools =
        McpAgentTools.newBuilder(agents)
            .loopPolicy(LoopPolicy.defaults().maxToolRepeats(2))
            .build()) {
      McpSyncClient client = start(tools);

      call(client, "get_cart", Map.of("userId", "u1"));
      call(client, "get_cart", Map.of("userId", "u1"));
      CallToolResult third = call(client, "get_cart", Map.of("userId", "u1"));

      assertThat(cartReads).hasValue(2);
      assertThat(third.isError()).isTrue();
    }
  }
}
