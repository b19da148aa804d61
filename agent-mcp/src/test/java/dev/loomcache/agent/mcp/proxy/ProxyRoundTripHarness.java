package dev.loomcache.agent.mcp.proxy;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Round trips of one tool call over stdio, measured with the SDK's client: straight to the upstream
 * server ({@link UpstreamShopServer}, a child process), through the proxy served from its cache,
 * and through the proxy forwarded to the upstream (a tool the proxy does not cache). Loop detection
 * is off so that the same calls can repeat. Prints the median and 90th percentile of each, in µs.
 *
 * <pre>
 * ./mvnw -B -ntp -q -pl agent-mcp -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp agent-mcp/target/test-classes:agent-mcp/target/classes:$(cat agent-mcp/target/cp.txt) \
 *     dev.loomcache.agent.mcp.proxy.ProxyRoundTripHarness
 * </pre>
 */
public final class ProxyRoundTripHarness {
  private static final int WARMUP = 2_000;
  private static final int CALLS = 5_000;

  private ProxyRoundTripHarness() {}

  public static void main(String[] args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    List<String> upstream = List.of(java, "-cp", classpath, UpstreamShopServer.class.getName());
    Path config = Files.createTempFile("proxy", ".properties");
    Files.writeString(config, "read.get_cart = cart\nloop.enabled = false\n");
    var proxy =
        new ArrayList<>(
            List.of(
                java,
                "-cp",
                classpath,
                McpCacheProxy.class.getName(),
                "--config",
                config.toString(),
                "--"));
    proxy.addAll(upstream);

    var get = CallToolRequest.builder("get_cart").arguments(Map.of("userId", "u1")).build();
    var search =
        CallToolRequest.builder("search_products").arguments(Map.of("query", "socks")).build();
    try (McpSyncClient direct = connect(upstream);
        McpSyncClient viaProxy = connect(proxy)) {
      report("direct to the upstream (get_cart)", direct, get);
      report("through the proxy, cached (get_cart)", viaProxy, get);
      report("through the proxy, forwarded (search_products)", viaProxy, search);
    } finally {
      Files.delete(config);
    }
  }

  private static McpSyncClient connect(List<String> command) {
    var parameters =
        ServerParameters.builder(command.getFirst())
            .args(command.subList(1, command.size()))
            .build();
    McpSyncClient client =
        McpClient.sync(new StdioClientTransport(parameters, McpJsonDefaults.getMapper()))
            .requestTimeout(Duration.ofSeconds(60))
            .initializationTimeout(Duration.ofSeconds(60))
            .build();
    client.initialize();
    return client;
  }

  private static void report(String what, McpSyncClient client, CallToolRequest request) {
    for (int i = 0; i < WARMUP; i++) {
      client.callTool(request);
    }
    long[] micros = new long[CALLS];
    for (int i = 0; i < CALLS; i++) {
      long start = System.nanoTime();
      client.callTool(request);
      micros[i] = (System.nanoTime() - start) / 1_000;
    }
    Arrays.sort(micros);
    System.out.printf(
        Locale.ROOT,
        "%-48s median %5d µs   p90 %5d µs%n",
        what,
        micros[CALLS / 2],
        micros[CALLS * 9 / 10]);
  }
}
