package dev.loomcache.agent.mcp.proxy;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real MCP server over stdio, run as a child process by the proxy tests: a shop whose tools count
 * every call that reaches them. {@code upstream_stats} reports the counts and this process's pid.
 */
public final class UpstreamShopServer {
  private static final Map<String, List<String>> carts = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  private UpstreamShopServer() {}

  public static void main(String[] args) throws Exception {
    var stdinClosed = new CountDownLatch(1);
    InputStream in =
        new FilterInputStream(System.in) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
              stdinClosed.countDown();
            }
            return n;
          }
        };
    McpSyncServer server =
        McpServer.sync(
                new StdioServerTransportProvider(McpJsonDefaults.getMapper(), in, System.out))
            .serverInfo("upstream-shop", "1.0")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
            .tools(
                tool(
                    "get_cart",
                    args1 -> {
                      String user = (String) args1.get("userId");
                      return text(user + ": " + carts.getOrDefault(user, List.of()));
                    }),
                tool(
                    "add_to_cart",
                    args1 -> {
                      carts
                          .computeIfAbsent((String) args1.get("userId"), u -> new ArrayList<>())
                          .add((String) args1.get("sku"));
                      return text("added " + args1.get("sku"));
                    }),
                tool(
                    "search_products",
                    args1 -> text("results for " + args1.get("query") + ": sku-1, sku-2")),
                tool(
                    "upstream_stats",
                    args1 ->
                        text(
                            "pid="
                                + ProcessHandle.current().pid()
                                + " "
                                + new java.util.TreeMap<>(calls))))
            .build();
    stdinClosed.await();
    server.close();
    System.exit(0);
  }

  private static SyncToolSpecification tool(
      String name, java.util.function.Function<Map<String, Object>, CallToolResult> body) {
    var schema = Map.<String, Object>of("type", "object");
    return new SyncToolSpecification(
        McpSchema.Tool.builder(name, schema).description(name).build(),
        (exchange, request) -> {
          if (!name.equals("upstream_stats")) {
            calls.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
          }
          return body.apply(request.arguments());
        });
  }

  private static CallToolResult text(String text) {
    return CallToolResult.builder().addTextContent(text).build();
  }
}
