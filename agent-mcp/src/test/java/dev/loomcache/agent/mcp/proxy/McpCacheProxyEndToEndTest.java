package dev.loomcache.agent.mcp.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy end to end: a real upstream MCP server started as a child process by the proxy, itself
 * a child process of this test, and the SDK's client talking to the proxy over stdio.
 */
class McpCacheProxyEndToEndTest {
  private static final Pattern UPSTREAM_PID = Pattern.compile("pid=(\\d+)");

  @TempDir Path dir;
  private final List<ProcessHandle> started = new ArrayList<>();
  private final AtomicInteger nonce = new AtomicInteger();
  private McpSyncClient client;

  @BeforeEach
  void startProxy() throws Exception {
    Path config = dir.resolve("proxy.properties");
    Files.writeString(
        config,
        """
        read.get_cart = cart
        write.add_to_cart = cart
        read.search_products = catalog
        loop.maxToolRepeats = 3
        upstream.timeout = 60s
        """);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    Set<Long> before = children();
    var proxy =
        ServerParameters.builder(java)
            .args(
                List.of(
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    classpath,
                    McpCacheProxy.class.getName(),
                    "--config",
                    config.toString(),
                    "--",
                    java,
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    classpath,
                    UpstreamShopServer.class.getName()))
            .build();
    client =
        McpClient.sync(new StdioClientTransport(proxy, McpJsonDefaults.getMapper()))
            .requestTimeout(Duration.ofSeconds(120))
            .initializationTimeout(Duration.ofSeconds(120))
            .build();
    client.initialize();
    ProcessHandle.current().children().filter(c -> !before.contains(c.pid())).forEach(started::add);
  }

  @AfterEach
  void stopProcesses() throws Exception {
    client.closeGracefully();
    for (ProcessHandle process : started) { // by pid: the proxy and the upstream it started
      process.destroy();
      try {
        process.onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        process.destroyForcibly();
      }
    }
  }

  private static Set<Long> children() {
    var pids = new HashSet<Long>();
    ProcessHandle.current().children().forEach(c -> pids.add(c.pid()));
    return pids;
  }

  private CallToolResult call(String tool, Map<String, Object> arguments) {
    return client.callTool(CallToolRequest.builder(tool).arguments(arguments).build());
  }

  private static String text(CallToolResult result) {
    return result.content().stream()
        .map(c -> ((TextContent) c).text())
        .reduce((a, b) -> a + " | " + b)
        .orElse("");
  }

  /** What reached the upstream, asked of the upstream itself (a tracked tool: always forwarded). */
  private String upstreamStats() {
    return text(call("upstream_stats", Map.of("nonce", nonce.incrementAndGet())));
  }

  private ProcessHandle upstreamProcess() {
    Matcher m = UPSTREAM_PID.matcher(upstreamStats());
    assertThat(m.find()).isTrue();
    ProcessHandle upstream = ProcessHandle.of(Long.parseLong(m.group(1))).orElseThrow();
    started.add(upstream);
    return upstream;
  }

  @Test
  void listsTheUpstreamsTools() {
    assertThat(client.listTools().tools().stream().map(McpSchema.Tool::name))
        .containsExactlyInAnyOrder("get_cart", "add_to_cart", "search_products", "upstream_stats");
  }

  @Test
  void cachedReads_doNotReachTheUpstream_andWritesInvalidate() {
    assertThat(text(call("get_cart", Map.of("userId", "u1")))).isEqualTo("u1: []");
    assertThat(text(call("get_cart", Map.of("userId", "u1")))).isEqualTo("u1: []");
    assertThat(upstreamStats()).endsWith("{get_cart=1}");

    assertThat(text(call("add_to_cart", Map.of("userId", "u1", "sku", "sku-7"))))
        .isEqualTo("added sku-7");
    assertThat(text(call("get_cart", Map.of("userId", "u1")))).isEqualTo("u1: [sku-7]");
    assertThat(upstreamStats()).endsWith("{add_to_cart=1, get_cart=2}");
  }

  @Test
  void aCycle_isDetected_andTheToolIsHiddenFromTheList() {
    call("get_cart", Map.of("userId", "u1"));
    call("search_products", Map.of("query", "socks"));
    call("get_cart", Map.of("userId", "u1"));
    CallToolResult fourth = call("search_products", Map.of("query", "socks"));

    assertThat(fourth.isError()).isTrue();
    assertThat(text(fourth))
        .startsWith("Agent loop (CYCLE) in session '")
        .endsWith("repeated 2 times in a row");
    assertThat(client.listTools().tools().stream().map(McpSchema.Tool::name))
        .doesNotContain("search_products");
    assertThat(upstreamStats()).endsWith("{get_cart=1, search_products=1}");
  }

  @Test
  void statsResource_reportsHitsAndUpstreamCalls() {
    call("get_cart", Map.of("userId", "u1"));
    call("get_cart", Map.of("userId", "u1"));

    var contents =
        client
            .readResource(McpSchema.ReadResourceRequest.builder(McpCacheProxy.STATS_URI).build())
            .contents();

    assertThat(contents).hasSize(1);
    String json = ((McpSchema.TextResourceContents) contents.getFirst()).text();
    assertThat(json)
        .startsWith(
            "{\"upstreamCalls\":1,\"upstreamAlive\":true,\"total\":{\"calls\":2,\"hits\":1,\"misses\":1,");
    assertThat(json).contains("\"sessions\":[{\"id\":\"");
  }

  @Test
  void killingTheUpstream_givesAClearToolError_andCachedReadsStillWork() throws Exception {
    call("get_cart", Map.of("userId", "u1"));
    ProcessHandle upstream = upstreamProcess();

    upstream.destroyForcibly();
    upstream.onExit().get(30, TimeUnit.SECONDS);
    CallToolResult miss = call("get_cart", Map.of("userId", "u2"));
    CallToolResult hit = call("get_cart", Map.of("userId", "u1"));

    assertThat(miss.isError()).isTrue();
    assertThat(text(miss))
        .isEqualTo(
            "The upstream MCP server could not run 'get_cart': the upstream server has exited");
    assertThat(hit.isError()).isNotEqualTo(Boolean.TRUE);
    assertThat(text(hit)).isEqualTo("u1: []");
  }
}
