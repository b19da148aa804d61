package dev.loomcache.agent.mcp.proxy;

import static java.util.Objects.requireNonNull;

import dev.loomcache.agent.AgentCache;
import dev.loomcache.agent.mcp.McpAgentTools;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * A caching MCP proxy: starts an upstream MCP server as a child process (stdio), lists its tools,
 * and serves them over its own stdio through an {@link AgentCache} with the configured read, write
 * and resource policy, one agent session per client session, loop detection, and a statistics
 * resource ({@value #STATS_URI}).
 *
 * <pre>{@code
 * bin/mcp-cache-proxy --config proxy.properties -- npx -y @modelcontextprotocol/server-filesystem /data
 * }</pre>
 *
 * <p>Only tools are proxied (not the upstream's resources or prompts), as listed at start. When the
 * upstream fails, times out or exits, the call gets a tool error ({@code isError} true) naming the
 * cause; cached results are still served. Logs go to stderr: stdout is the MCP channel.
 */
public final class McpCacheProxy implements AutoCloseable {
  /** The URI of the statistics resource, JSON. */
  public static final String STATS_URI = "loomcache://stats";

  static final String NAME = "loomcache-mcp-cache-proxy";
  static final String VERSION = "0.1.0";
  private static final Logger logger = LoggerFactory.getLogger(McpCacheProxy.class);
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

  private final AgentCache agents;
  private final McpAgentTools tools;
  private final McpAsyncClient upstream;
  private final @Nullable ProcessHandle upstreamProcess;
  private final CompletableFuture<ProcessHandle> upstreamExit;
  private final AtomicLong upstreamCalls = new AtomicLong();
  private final CountDownLatch clientGone = new CountDownLatch(1);
  private final McpSyncServer server;
  private final List<String> toolNames;

  private McpCacheProxy(
      ProxyConfig config, List<String> command, InputStream in, OutputStream out) {
    McpJsonMapper json = McpJsonDefaults.getMapper();
    this.agents =
        AgentCache.newBuilder().name("mcp-proxy").maximumSize(config.maximumSize()).build();

    // The upstream: a child process the SDK's stdio transport starts. Its handle is found by
    // comparing our children before and after the start, so that its exit (or a failed start) ends
    // the initialization and every pending call at once instead of after the timeout.
    var transport =
        new WatchedStdioTransport(
            ServerParameters.builder(command.getFirst())
                .args(command.subList(1, command.size()))
                .build(),
            json);
    this.upstream =
        McpClient.async(transport)
            .requestTimeout(config.upstreamTimeout())
            .initializationTimeout(config.upstreamTimeout())
            .clientInfo(McpSchema.Implementation.builder(NAME, VERSION).build())
            .build();
    this.upstreamExit =
        transport.started.thenCompose(child ->
            child == null
                ? new CompletableFuture<ProcessHandle>() // not found: the timeout will have to do
                : child.onExit());
    var upstreamTools = new ArrayList<McpSchema.Tool>();
    try {
      Mono.firstWithSignal(upstream.initialize(), exited(McpSchema.InitializeResult.class)).block();
      McpSchema.ListToolsResult page = upstream.listTools().block();
      while (page != null) {
        upstreamTools.addAll(page.tools());
        page = page.nextCursor() == null ? null : upstream.listTools(page.nextCursor()).block();
      }
    } catch (RuntimeException e) {
      upstream.close();
      ProcessHandle child = transport.started.getNow(null);
      if (child != null) {
        child.destroyForcibly();
      }
      agents.close();
      throw e;
    }
    this.upstreamProcess = transport.started.getNow(null);
    this.toolNames = upstreamTools.stream().map(McpSchema.Tool::name).toList();
    for (String configured : config.readTools()) {
      warnIfMissing(configured);
    }
    for (String configured : config.writeTools()) {
      warnIfMissing(configured);
    }

    var serverRef = new AtomicReference<@Nullable McpSyncServer>();
    McpAgentTools.Builder builder = config.configure(McpAgentTools.newBuilder(agents));
    if (config.hideBlockedTools()) {
      builder.onToolBlocked((session, tool) -> {
        McpSyncServer current = serverRef.get();
        if (current != null) {
          current.notifyToolsListChanged();
        }
      });
    }
    this.tools = builder.build();
    var specifications = new ArrayList<SyncToolSpecification>();
    for (McpSchema.Tool tool : upstreamTools) {
      specifications.add(new SyncToolSpecification(tool, (exchange, request) -> forward(request)));
    }
    var stats =
        new SyncResourceSpecification(
            McpSchema.Resource.builder(STATS_URI, "loomcache-stats")
                .description(
                    "Calls, hits, misses, invalidations and loops of the caching proxy, per session")
                .mimeType("application/json")
                .build(),
            (exchange, request) ->
                McpSchema.ReadResourceResult.builder(
                        List.of(
                            McpSchema.TextResourceContents.builder(STATS_URI, statsJson())
                                .mimeType("application/json")
                                .build()))
                    .build());

    var serverTransport =
        new StdioServerTransportProvider(json, new EofSignallingInputStream(in, clientGone), out);
    var spec =
        McpServer.sync(serverTransport)
            .serverInfo(NAME, VERSION)
            .capabilities(
                McpSchema.ServerCapabilities.builder().tools(true).resources(false, false).build())
            .tools(tools.wrap(specifications))
            .resources(stats);
    if (config.hideBlockedTools()) {
      spec.addToolFilter(tools.toolFilter(context -> null)); // stdio: one client session
    }
    this.server = spec.build();
    serverRef.set(server);
    String shown = String.join(" ", command);
    logger.info(
        "Proxying the {} tools of '{}' ({})",
        toolNames.size(),
        shown.length() <= 160 ? shown : shown.substring(0, 160) + "…",
        config);
  }

  /**
   * Starts the upstream server with {@code upstreamCommand}, lists its tools, and serves them on
   * {@code in}/{@code out}. Blocks until the upstream answered its initialization and tool list.
   *
   * @throws IllegalArgumentException if {@code upstreamCommand} is empty
   * @throws RuntimeException if the upstream cannot be started or does not answer within the
   *     timeout
   */
  public static McpCacheProxy start(
      ProxyConfig config, List<String> upstreamCommand, InputStream in, OutputStream out) {
    requireNonNull(config, "config must not be null");
    requireNonNull(upstreamCommand, "upstreamCommand must not be null");
    requireNonNull(in, "in must not be null");
    requireNonNull(out, "out must not be null");
    if (upstreamCommand.isEmpty()) {
      throw new IllegalArgumentException("upstreamCommand must not be empty");
    }
    return new McpCacheProxy(config, List.copyOf(upstreamCommand), in, out);
  }

  private void warnIfMissing(String configured) {
    if (!toolNames.contains(configured)) {
      logger.warn(
          "The configuration names the tool '{}', which the upstream does not offer (it offers {})",
          configured,
          toolNames);
    }
  }

  /** The names of the upstream tools this proxy serves, as listed at start. */
  public List<String> toolNames() {
    return toolNames;
  }

  /** The number of calls forwarded to the upstream server. */
  public long upstreamCallCount() {
    return upstreamCalls.get();
  }

  /**
   * Parks the calling thread until the client closes the proxy's input.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public void awaitClientGone() throws InterruptedException {
    clientGone.await();
  }

  /**
   * Stops serving, closes the upstream client and stops the upstream process (by its pid; forcibly
   * if it has not exited after 5 seconds). Idempotent. May park the calling thread for that long.
   */
  @Override
  public void close() {
    try {
      server.closeGracefully();
    } catch (RuntimeException e) {
      logger.debug("Closing the server failed", e);
    }
    try {
      upstream.closeGracefully().block(SHUTDOWN_WAIT);
    } catch (RuntimeException e) {
      logger.debug("Closing the upstream client failed", e);
    }
    if (upstreamProcess != null && upstreamProcess.isAlive()) {
      upstreamProcess.destroy();
      try {
        upstreamProcess.onExit().get(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        upstreamProcess.destroyForcibly();
      } catch (InterruptedException e) {
        upstreamProcess.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    tools.close();
    agents.close();
  }

  /**
   * Runs the proxy: {@code --config <file> -- <upstream command...>}. Exits when the client closes
   * stdin; with status 2 on bad arguments or configuration, 1 if the upstream does not start.
   */
  public static void main(String[] args) throws Exception {
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    Path configFile = null;
    List<String> command = List.of();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        configFile = Path.of(args[++i]);
      } else if (args[i].equals("--")) {
        command = List.of(args).subList(i + 1, args.length);
        break;
      } else {
        configFile = null;
        break;
      }
    }
    if (configFile == null || command.isEmpty()) {
      err.println(
          "usage: mcp-cache-proxy --config proxy.properties -- <command that starts an MCP server> [args...]");
      System.exit(2);
      return;
    }
    ProxyConfig config;
    try {
      config = ProxyConfig.load(configFile);
    } catch (IOException | IllegalArgumentException e) {
      err.println("mcp-cache-proxy: bad configuration " + configFile + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    McpCacheProxy proxy;
    try {
      proxy = start(config, command, System.in, System.out);
    } catch (RuntimeException e) {
      err.println(
          "mcp-cache-proxy: the upstream '" + String.join(" ", command) + "' did not start: " + e);
      System.exit(1);
      return;
    }
    try (proxy) {
      proxy.awaitClientGone();
    }
    System.exit(0); // the SDK's transports keep non-daemon threads
  }

  private CallToolResult forward(CallToolRequest request) {
    upstreamCalls.incrementAndGet();
    try {
      CallToolResult result =
          Mono.firstWithSignal(upstream.callTool(request), exited(CallToolResult.class)).block();
      if (result == null) {
        return upstreamError(request, "no result");
      }
      return result;
    } catch (RuntimeException e) {
      return upstreamError(request, describe(e));
    }
  }

  /** Fails with {@link UpstreamExitedException} when the upstream exits (or could not start). */
  private <T> Mono<T> exited(Class<T> type) {
    // suppressCancel: the call winning the race must not cancel the shared exit future.
    return Mono.fromFuture(upstreamExit, true).then(Mono.error(UpstreamExitedException::new));
  }

  private static CallToolResult upstreamError(CallToolRequest request, String why) {
    return CallToolResult.builder()
        .isError(true)
        .addTextContent("The upstream MCP server could not run '" + request.name() + "': " + why)
        .build();
  }

  private String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UpstreamExitedException) {
        return "the upstream server has exited";
      }
      if (t instanceof TimeoutException) {
        return "no answer within the upstream timeout";
      }
    }
    if (upstreamProcess != null && !upstreamProcess.isAlive()) {
      return "the upstream server has exited";
    }
    return failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
  }

  String statsJson() {
    var json = new StringBuilder(256);
    json.append("{\"upstreamCalls\":")
        .append(upstreamCalls.get())
        .append(",\"upstreamAlive\":")
        .append(upstreamProcess == null || upstreamProcess.isAlive())
        .append(",\"total\":");
    StatsJson.append(json, agents.stats());
    json.append(",\"sessions\":[");
    boolean first = true;
    for (String id : tools.sessionIds()) {
      var session = tools.session(id);
      if (session.isEmpty()) {
        continue;
      }
      if (!first) {
        json.append(',');
      }
      first = false;
      json.append("{\"id\":");
      StatsJson.string(json, id);
      json.append(",\"blockedTools\":[");
      boolean firstTool = true;
      for (String tool : tools.blockedTools(id).stream().sorted().toList()) {
        if (!firstTool) {
          json.append(',');
        }
        firstTool = false;
        StatsJson.string(json, tool);
      }
      json.append("],\"stats\":");
      StatsJson.append(json, session.get().stats());
      json.append('}');
    }
    return json.append("]}").toString();
  }

  /**
   * The SDK's stdio transport, which does not expose the process it starts: {@link #started}
   * completes with the new child process once it runs (null if it cannot be told apart from other
   * children), or exceptionally if it could not be started.
   */
  private static final class WatchedStdioTransport extends StdioClientTransport {
    final CompletableFuture<@Nullable ProcessHandle> started = new CompletableFuture<>();

    WatchedStdioTransport(ServerParameters parameters, McpJsonMapper json) {
      super(parameters, json);
    }

    @Override
    public Mono<Void> connect(
        Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
      Set<Long> before = childPids();
      return super.connect(handler)
          .doOnSuccess(ignored -> started.complete(newChild(before)))
          .doOnError(started::completeExceptionally);
    }

    private static Set<Long> childPids() {
      var pids = new HashSet<Long>();
      ProcessHandle.current().children().forEach(child -> pids.add(child.pid()));
      return pids;
    }

    private static @Nullable ProcessHandle newChild(Set<Long> before) {
      List<ProcessHandle> children =
          ProcessHandle.current()
              .children()
              .filter(child -> !before.contains(child.pid()))
              .toList();
      if (children.size() != 1) {
        logger.warn(
            "Found {} new child processes for the upstream; its exit will be noticed by the"
                + " upstream timeout only",
            children.size());
        return null;
      }
      return children.getFirst();
    }
  }

  /** Ends every pending upstream call when the upstream process exits. */
  private static final class UpstreamExitedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UpstreamExitedException() {
      super("the upstream server has exited", null, false, false);
    }
  }

  /** Counts down a latch when the client closes our stdin. */
  private static final class EofSignallingInputStream extends FilterInputStream {
    private final CountDownLatch eof;

    EofSignallingInputStream(InputStream in, CountDownLatch eof) {
      super(in);
      this.eof = eof;
    }

    @Override
    public int read() throws IOException {
      return signal(super.read());
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return signal(super.read(b, off, len));
    }

    @Override
    public void close() throws IOException {
      eof.countDown();
      super.close();
    }

    private int signal(int n) {
      if (n < 0) {
        eof.countDown();
      }
      return n;
    }
  }
}
