package dev.loomcache.agent.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncListFilter;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real MCP server of the SDK (streamable HTTP transport, served by Jetty on a free loopback port)
 * and the SDK's own clients connected to it. Each client is an MCP session of its own.
 */
final class InProcessMcpServer {
  /** The transport-context key under which the extractor puts the MCP session id. */
  static final String SESSION_KEY = "mcp-session-id";

  private final Server jetty;
  private final McpSyncServer server;
  private final String url;
  private final List<McpSyncClient> clients = new ArrayList<>();

  InProcessMcpServer(List<SyncToolSpecification> tools, McpSyncListFilter<McpSchema.Tool> filter)
      throws Exception {
    var transport =
        HttpServletStreamableServerTransportProvider.builder()
            .mcpEndpoint("/mcp")
            .contextExtractor(request -> {
              String session = request.getHeader("Mcp-Session-Id");
              return session == null
                  ? McpTransportContext.EMPTY
                  : McpTransportContext.create(Map.of(SESSION_KEY, session));
            })
            .build();
    this.server =
        McpServer.sync(transport)
            .serverInfo("in-process-shop", "1.0")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
            .tools(tools)
            .addToolFilter(filter)
            .build();
    this.jetty = new Server();
    var connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    var context = new ServletContextHandler();
    var holder = new ServletHolder(transport);
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/*");
    jetty.setHandler(context);
    jetty.start();
    this.url = "http://127.0.0.1:" + connector.getLocalPort();
  }

  /** Connects and initializes a new client: a new MCP session. */
  McpSyncClient newClient() {
    McpSyncClient client =
        McpClient.sync(HttpClientStreamableHttpTransport.builder(url).endpoint("/mcp").build())
            .requestTimeout(Duration.ofSeconds(30))
            .build();
    client.initialize();
    clients.add(client);
    return client;
  }

  /** Closes the clients and the server, and stops Jetty. */
  void stop() throws Exception {
    for (McpSyncClient client : clients) {
      client.close();
    }
    server.close();
    jetty.stop();
  }
}
