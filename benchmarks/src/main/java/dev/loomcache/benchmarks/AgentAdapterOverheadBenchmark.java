package dev.loomcache.benchmarks;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.loomcache.agent.AgentCache;
import dev.loomcache.agent.AgentSession;
import dev.loomcache.agent.LoopPolicy;
import dev.loomcache.agent.Tool;
import dev.loomcache.agent.ToolOutcome;
import dev.loomcache.agent.langchain4j.LangChain4jAgentTools;
import dev.loomcache.agent.mcp.McpAgentTools;
import dev.loomcache.agent.springai.SpringAiAgentTools;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * What each framework adapter adds to a cached read: one thread calls a read tool whose {@value
 * #KEYS} argument values are all cached, in a session whose loop detector is on but cannot fire (as
 * in the agent module's {@code LoopDetectorOverhead}), through the agent module's own {@code Tool}
 * (the baselines) and through each adapter's wrapper, called the way its framework calls it.
 *
 * <p>Every subject binds the session per call, as the adapters must ({@code session.call(...)});
 * the {@code _noSession} baseline shows what that binding and the detector cost. The LangChain4j
 * and Spring AI wrappers get the JSON text the model sent, the MCP one a {@code Map}, so each is
 * compared with the baseline of its argument type.
 *
 * <pre>
 * ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=runtime
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) org.openjdk.jmh.Main AgentAdapterOverhead
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m", "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AgentAdapterOverheadBenchmark {
  static final int KEYS = 1024;
  private static final int MASK = KEYS - 1;
  private static final String SESSION = "bench-session";

  /** Detectors on (counts, cycle runs, failures kept), limits out of reach. */
  private static final LoopPolicy POLICY =
      LoopPolicy.defaults()
          .maxToolRepeats(Integer.MAX_VALUE - 1)
          .maxExecutionDepth(Integer.MAX_VALUE - 1);

  private final String[] json = new String[KEYS];
  private final Map<String, Object>[] maps = newMapArray();
  private final ToolExecutionRequest[] langchain4jRequests = new ToolExecutionRequest[KEYS];
  private final CallToolRequest[] mcpRequests = new CallToolRequest[KEYS];
  private int next;

  // Each subject has an AgentCache and a session of its own, as each adapter has: same sizes, same
  // detector state (1,024 distinct calls), nothing shared between subjects. Set by setUp, which JMH
  // runs before any benchmark method (NullAway treats @Setup methods as initializers: see the pom).
  private AgentCache jsonAgents;
  private AgentSession jsonSession;
  private Tool<String, String> jsonTool;
  private AgentCache mapAgents;
  private AgentSession mapSession;
  private Tool<Map<String, Object>, String> mapTool;
  private AgentCache langchain4jAgents;
  private LangChain4jAgentTools langchain4jTools;
  private ToolExecutor langchain4jExecutor;
  private InvocationContext langchain4jContext;
  private AgentCache springAgents;
  private SpringAiAgentTools springTools;
  private ToolCallback springCallback;
  private ToolContext springContext;
  private AgentCache mcpAgents;
  private McpAgentTools mcpTools;
  private BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> mcpHandler;
  private McpSyncServerExchange mcpExchange;

  @SuppressWarnings("unchecked") // a generic array of one element type
  private static Map<String, Object>[] newMapArray() {
    return (Map<String, Object>[]) new Map<?, ?>[KEYS];
  }

  @Setup
  public void setUp() throws Exception {
    for (int i = 0; i < KEYS; i++) {
      json[i] = "{\"userId\":\"user-" + i + "\"}";
      maps[i] = Map.of("userId", "user-" + i);
      langchain4jRequests[i] =
          ToolExecutionRequest.builder().id("c" + i).name("getCart").arguments(json[i]).build();
      mcpRequests[i] = CallToolRequest.builder("get_cart").arguments(maps[i]).build();
    }

    jsonAgents = AgentCache.newBuilder().maximumSize(4 * KEYS).build();
    jsonTool =
        jsonAgents.readTool("getCart", (String arguments) -> "cart").resource("cart").build();
    jsonSession = jsonAgents.openSession(SESSION, POLICY);
    mapAgents = AgentCache.newBuilder().maximumSize(4 * KEYS).build();
    mapTool =
        mapAgents
            .readTool("get_cart", (Map<String, Object> arguments) -> "cart")
            .resource("cart")
            .build();
    mapSession = mapAgents.openSession(SESSION, POLICY);

    langchain4jAgents = AgentCache.newBuilder().maximumSize(4 * KEYS).build();
    langchain4jTools =
        LangChain4jAgentTools.newBuilder(langchain4jAgents)
            .readTool("getCart", read -> read.resource("cart"))
            .loopPolicy(POLICY)
            .build();
    ToolExecutionResult cart = ToolExecutionResult.builder().resultText("cart").build();
    langchain4jExecutor =
        langchain4jTools.wrap(
            "getCart",
            new ToolExecutor() {
              @Override
              public String execute(ToolExecutionRequest request, Object memoryId) {
                return "cart";
              }

              @Override
              public ToolExecutionResult executeWithContext(
                  ToolExecutionRequest request, InvocationContext context) {
                return cart;
              }
            });
    langchain4jContext = InvocationContext.builder().chatMemoryId(SESSION).build();

    springAgents = AgentCache.newBuilder().maximumSize(4 * KEYS).build();
    springTools =
        SpringAiAgentTools.newBuilder(springAgents)
            .readTool("getCart", read -> read.resource("cart"))
            .loopPolicy(POLICY)
            .build();
    ToolDefinition definition =
        ToolDefinition.builder()
            .name("getCart")
            .description("cart")
            .inputSchema("{\"type\":\"object\"}")
            .build();
    springCallback =
        springTools.wrap(
            new ToolCallback() {
              @Override
              public ToolDefinition getToolDefinition() {
                return definition;
              }

              @Override
              public String call(String toolInput) {
                return "cart";
              }

              @Override
              public String call(String toolInput, @Nullable ToolContext toolContext) {
                return "cart";
              }
            });
    springContext = new ToolContext(Map.of(SpringAiAgentTools.DEFAULT_SESSION_KEY, SESSION));

    mcpAgents = AgentCache.newBuilder().maximumSize(4 * KEYS).build();
    mcpTools =
        McpAgentTools.newBuilder(mcpAgents)
            .readTool("get_cart", read -> read.resource("cart"))
            .loopPolicy(POLICY)
            .build();
    CallToolResult mcpCart = CallToolResult.builder().addTextContent("cart").build();
    var tool = McpSchema.Tool.builder("get_cart", Map.of("type", "object")).build();
    mcpHandler =
        mcpTools
            .wrap(new SyncToolSpecification(tool, (exchange, request) -> mcpCart))
            .callHandler();
    mcpExchange =
        new McpSyncServerExchange(
            new McpAsyncServerExchange(SESSION, null, null, null, McpTransportContext.EMPTY));

    for (int i = 0; i < KEYS; i++) { // every key cached before measuring
      agentRead_json();
      agentRead_map();
      langchain4j_executeWithContext();
      springAi_call();
      mcp_callHandler();
    }
  }

  @TearDown
  public void tearDown() {
    for (AutoCloseable closeable :
        new AutoCloseable[] {
          langchain4jTools,
          springTools,
          mcpTools,
          jsonAgents,
          mapAgents,
          langchain4jAgents,
          springAgents,
          mcpAgents
        }) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private int nextIndex() {
    int i = next;
    next = (i + 1) & MASK;
    return i;
  }

  /** The agent module's own read of JSON text, the session bound for the call. */
  @Benchmark
  public ToolOutcome<String> agentRead_json() throws Exception {
    String arguments = json[nextIndex()];
    return jsonSession.call(() -> jsonTool.callOutcome(arguments));
  }

  /** The agent module's own read with no session: no binding, no loop detector (same entries). */
  @Benchmark
  public ToolOutcome<String> agentRead_json_noSession() {
    return jsonTool.callOutcome(json[nextIndex()]);
  }

  /** The agent module's own read of a {@code Map}, the session bound for the call. */
  @Benchmark
  public ToolOutcome<String> agentRead_map() throws Exception {
    Map<String, Object> arguments = maps[nextIndex()];
    return mapSession.call(() -> mapTool.callOutcome(arguments));
  }

  /**
   * LangChain4j: the wrapped executor as {@code AiServices} calls it (session from the memory id).
   */
  @Benchmark
  public @Nullable ToolExecutionResult langchain4j_executeWithContext() {
    return langchain4jExecutor.executeWithContext(
        langchain4jRequests[nextIndex()], langchain4jContext);
  }

  /**
   * Spring AI: the wrapped callback as {@code ToolCallingManager} calls it (session from the
   * context).
   */
  @Benchmark
  public @Nullable String springAi_call() {
    return springCallback.call(json[nextIndex()], springContext);
  }

  /** MCP: the wrapped call handler as the SDK's server calls it (session from the exchange). */
  @Benchmark
  public CallToolResult mcp_callHandler() {
    return mcpHandler.apply(mcpExchange, mcpRequests[nextIndex()]);
  }
}
