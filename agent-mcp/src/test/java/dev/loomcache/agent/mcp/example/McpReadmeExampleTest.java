package dev.loomcache.agent.mcp.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.agent.AgentCache;
import dev.loomcache.agent.mcp.McpAgentTools;
import dev.loomcache.testsupport.DocSnippets;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The example of this module's README and of docs/agent-frameworks.md's MCP section, compiled and
 * run with the public API only, on the SDK's streamable HTTP transport (served by Jetty on
 * loopback); the last test keeps the copies identical to the marked region.
 */
class McpReadmeExampleTest {
  private final Server jetty = new Server();
  private final List<AutoCloseable> opened = new ArrayList<>();

  /** The SDK's servlet transport, with the MCP session id copied into the transport context. */
  private HttpServletStreamableServerTransportProvider transport() throws Exception {
    var transport =
        HttpServletStreamableServerTransportProvider.builder()
            .mcpEndpoint("/mcp")
            .contextExtractor(request ->
                request.getHeader("Mcp-Session-Id") == null
                    ? McpTransportContext.EMPTY
                    : McpTransportContext.create(
                        Map.of("mcp-session-id", request.getHeader("Mcp-Session-Id"))))
            .build();
    var connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    var context = new ServletContextHandler();
    var holder = new ServletHolder(transport);
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/*");
    jetty.setHandler(context);
    jetty.start();
    return transport;
  }

  /** The SDK's own client, connected to the server: one MCP session. */
  private McpSyncClient connect() {
    int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    McpSyncClient client =
        McpClient.sync(
                HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                    .endpoint("/mcp")
                    .build())
            .build();
    client.initialize();
    opened.add(client);
    return client;
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
    jetty.stop();
  }

  private static CallToolResult text(String text) {
    return CallToolResult.builder().addTextContent(text).build();
  }

  // README-BEGIN mcp
  @Test
  void mcpServer() throws Exception {
    Map<String, List<String>> carts = new ConcurrentHashMap<>();
    AtomicInteger cartReads = new AtomicInteger();
    var schema = Map.<String, Object>of("type", "object");
    var getCart = new SyncToolSpecification(McpSchema.Tool.builder("get_cart", schema).build(),
        (exchange, request) -> {
          cartReads.incrementAndGet();
          return text(carts.getOrDefault((String) request.arguments().get("userId"), List.of()).toString());
        });
    var addToCart = new SyncToolSpecification(McpSchema.Tool.builder("add_to_cart", schema).build(),
        (exchange, request) -> {
          carts.computeIfAbsent((String) request.arguments().get("userId"), u -> new ArrayList<>())
              .add((String) request.arguments().get("sku"));
          return text("added");
        });

    try (AgentCache agents = AgentCache.newBuilder().maximumSize(10_000).build();
        McpAgentTools tools = McpAgentTools.newBuilder(agents)
            .readTool("get_cart", read -> read.resource("cart"))
            .writeTool("add_to_cart", write -> write.invalidates("cart"))
            .build()) {                                  // one agent session per MCP session
      McpSyncServer server = McpServer.sync(transport()) // any transport of the SDK
          .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
          .tools(tools.wrap(List.of(getCart, addToCart)))
          .addToolFilter(tools.toolFilter(context -> (String) context.get("mcp-session-id")))
          .build();
      opened.add(server::close);

      McpSyncClient client = connect();
      var getU1 = CallToolRequest.builder("get_cart").arguments(Map.of("userId", "u1")).build();
      client.callTool(getU1);                                                     // runs the tool
      client.callTool(getU1);                                                     // hit
      client.callTool(CallToolRequest.builder("add_to_cart")
          .arguments(Map.of("userId", "u1", "sku", "sku-1")).build());            // invalidates "cart"
      CallToolResult cart = client.callTool(getU1);                               // miss: sees sku-1

      assertThat(((McpSchema.TextContent) cart.content().getFirst()).text()).isEqualTo("[sku-1]");
      assertThat(cartReads).hasValue(2);
    }
  }
  // README-END mcp

  @Test
  void readmes_showExactlyThisExample() {
    var snippets = DocSnippets.ofTest(McpReadmeExampleTest.class);
    assertThat(snippets.names()).containsExactly("mcp");
    snippets.assertShownIn(Path.of("README.md"));
    snippets.assertShownIn(Path.of("..", "docs", "agent-frameworks.md"));
  }
}
