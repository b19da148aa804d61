package dev.loomcache.agent;

import static java.util.Objects.requireNonNull;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.Ticker;
import dev.loomcache.agent.internal.AgentCounters;
import dev.loomcache.agent.internal.AgentMetrics;
import dev.loomcache.agent.internal.ResourceGenerations;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Caches the tool calls of AI agents, invalidates them by resource, and runs agents in sessions
 * with loop detection; the entry point of the agent module.
 *
 * <pre>{@code
 * AgentCache agents = AgentCache.newBuilder().maximumSize(10_000).build();
 * Tool<CartQuery, Cart> getCart = agents.readTool("get_cart", (CartQuery q) -> shop.cart(q.userId()))
 *     .resource("cart").ttl(Duration.ofSeconds(120)).build();
 * try (AgentSession session = agents.openSession("agent-A")) {
 *   Cart cart = session.call(() -> getCart.call(new CartQuery("user_1")));
 * }
 * }</pre>
 *
 * <p>Each instance has its own entries, tools, sessions and statistics; there is no global state.
 * Thread-safe. {@link #close()} closes the open sessions and drops every entry.
 */
public final class AgentCache implements AutoCloseable {
  static final String DEFAULT_NAME = "agent";
  static final long DEFAULT_MAXIMUM_SIZE = 10_000;
  static final long DEFAULT_SESSION_MAXIMUM_SIZE = 1_000;

  final String name;
  final Duration defaultTtl;
  final AgentCounters counters = new AgentCounters();
  final ResourceGenerations generations = new ResourceGenerations();
  final Cache<EntryKey, Object> entries;
  private final long sessionMaximumSize;
  private final Ticker ticker;
  private final Set<String> toolNames = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, AgentSession> sessions = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private AgentCache(Builder builder) {
    this.name = builder.name == null ? DEFAULT_NAME : builder.name;
    this.defaultTtl = builder.defaultTtl == null ? Loomcache.NO_EXPIRY : builder.defaultTtl;
    this.ticker = builder.ticker == null ? Ticker.systemTicker() : builder.ticker;
    this.sessionMaximumSize =
        builder.sessionMaximumSize < 0 ? DEFAULT_SESSION_MAXIMUM_SIZE : builder.sessionMaximumSize;
    var core =
        Loomcache.newBuilder()
            .name(name)
            .maximumSize(builder.maximumSize < 0 ? DEFAULT_MAXIMUM_SIZE : builder.maximumSize)
            .ticker(ticker);
    if (builder.meterRegistry != null) {
      core.meterRegistry(builder.meterRegistry);
      AgentMetrics.bind(builder.meterRegistry, name, counters, sessions);
    }
    this.entries = core.build();
  }

  /** Returns a builder with every option at its default. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Starts building a read tool named {@code name} that runs {@code function}; its results are
   * cached per canonical arguments.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public <A, R> ReadToolBuilder<A, R> readTool(String name, ToolFunction<A, R> function) {
    return new ReadToolBuilder<>(
        this, checkName(name), requireNonNull(function, "function must not be null"));
  }

  /**
   * Starts building a write tool named {@code name} that runs {@code function} and invalidates its
   * resources before and after.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public <A, R> WriteToolBuilder<A, R> writeTool(String name, ToolFunction<A, R> function) {
    return new WriteToolBuilder<>(
        this, checkName(name), requireNonNull(function, "function must not be null"));
  }

  /**
   * Opens a session with {@link LoopPolicy#defaults()}; as {@link #openSession(String,
   * LoopPolicy)}.
   *
   * @throws IllegalArgumentException if {@code id} is blank
   * @throws IllegalStateException if a session with this id is open, or this cache is closed
   */
  public AgentSession openSession(String id) {
    return openSession(id, LoopPolicy.defaults());
  }

  /**
   * Opens a session: its own entries for {@link Scope#SESSION} tools, its own loop detector and
   * statistics. Bind it with {@link AgentSession#run} or {@link AgentSession#call}; close it when
   * the agent is done. Ids are unique among the open sessions of this cache.
   *
   * @throws IllegalArgumentException if {@code id} is blank
   * @throws IllegalStateException if a session with this id is open, or this cache is closed
   */
  public AgentSession openSession(String id, LoopPolicy policy) {
    requireNonNull(id, "id must not be null");
    requireNonNull(policy, "policy must not be null");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    checkOpen();
    var session = new AgentSession(this, id, policy);
    if (sessions.putIfAbsent(id, session) != null) {
      throw new IllegalStateException("A session with id '" + id + "' is already open");
    }
    if (closed) { // close() may have swept the sessions before this one was added
      session.close();
      checkOpen();
    }
    return session;
  }

  /**
   * Invalidates every entry of {@code resources}, shared and session-owned, as a {@link
   * Scope#GLOBAL} write tool does; for changes made outside the agent. Never blocks.
   *
   * @throws IllegalArgumentException if a resource is blank
   * @throws IllegalStateException if this cache is closed
   */
  public void invalidateResources(String... resources) {
    String[] checked = checkResources(resources);
    checkOpen();
    generations.advance(checked);
  }

  /** Returns a snapshot of the statistics of every call made through this cache; never blocks. */
  public AgentStats stats() {
    return snapshot(counters);
  }

  /** Closes the open sessions and drops every entry; idempotent. Later calls of tools throw. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (AgentSession session : sessions.values()) {
      session.close();
    }
    entries.close();
  }

  @Override
  public String toString() {
    return "AgentCache{name="
        + name
        + ", openSessions="
        + sessions.size()
        + ", closed="
        + closed
        + '}';
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("AgentCache '" + name + "' is closed");
    }
  }

  /** Reserves a tool name; names are keys, so two tools may not share one. */
  void registerTool(String toolName) {
    checkOpen();
    if (!toolNames.add(toolName)) {
      throw new IllegalArgumentException(
          "A tool named '"
              + toolName
              + "' was already built by this AgentCache; tool names key"
              + " the cache and must be unique");
    }
  }

  /** The entries of one session's {@link Scope#SESSION} tools: a cache of its own. */
  Cache<EntryKey, Object> newSessionEntries(String sessionId) {
    return Loomcache.newBuilder()
        .name(name + "/session/" + sessionId)
        .maximumSize(sessionMaximumSize)
        .ticker(ticker)
        .build();
  }

  void sessionClosed(AgentSession session) {
    sessions.remove(session.id(), session);
  }

  static AgentStats snapshot(AgentCounters counters) {
    return new AgentStats(
        counters.callCount(),
        counters.hitCount(),
        counters.missCount(),
        counters.invalidationCount(),
        counters.shortCircuitCount(),
        counters.loopCounts());
  }

  static String checkName(String name) {
    requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    return name;
  }

  static String[] checkResources(String... resources) {
    requireNonNull(resources, "resources must not be null");
    for (String resource : resources) {
      requireNonNull(resource, "resources must not contain null");
      if (resource.isBlank()) {
        throw new IllegalArgumentException("resources must not contain a blank name");
      }
    }
    return new LinkedHashSet<>(Arrays.asList(resources)).toArray(String[]::new);
  }

  /** A cache key: the call, and the stamp of its tool's resources when the call began. */
  record EntryKey(ToolCall call, long stamp) {}

  /**
   * Builds {@link AgentCache} instances. Each setter may be called once; a second call throws
   * {@link IllegalStateException} naming the value already set. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable String name;
    private long maximumSize = -1;
    private long sessionMaximumSize = -1;
    private @Nullable Duration defaultTtl;
    private @Nullable Ticker ticker;
    private @Nullable MeterRegistry meterRegistry;

    private Builder() {}

    /**
     * Sets the name used as the {@code cache} tag of the meters and in messages; default {@code
     * "agent"}.
     *
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public Builder name(String name) {
      checkName(name);
      checkUnset("name", this.name);
      this.name = name;
      return this;
    }

    /**
     * Sets the most entries kept for {@link Scope#GLOBAL} tools; default 10,000.
     *
     * @throws IllegalArgumentException if {@code maximumSize} is negative
     */
    public Builder maximumSize(long maximumSize) {
      notNegative("maximumSize", maximumSize);
      checkUnset("maximumSize", this.maximumSize < 0 ? null : this.maximumSize);
      this.maximumSize = maximumSize;
      return this;
    }

    /**
     * Sets the most entries each session keeps for {@link Scope#SESSION} tools; default 1,000.
     *
     * @throws IllegalArgumentException if {@code sessionMaximumSize} is negative
     */
    public Builder sessionMaximumSize(long sessionMaximumSize) {
      notNegative("sessionMaximumSize", sessionMaximumSize);
      checkUnset(
          "sessionMaximumSize", this.sessionMaximumSize < 0 ? null : this.sessionMaximumSize);
      this.sessionMaximumSize = sessionMaximumSize;
      return this;
    }

    /**
     * Sets how long read results live when the tool sets no TTL; default: until invalidated or
     * evicted.
     *
     * @throws IllegalArgumentException if {@code ttl} is zero or negative
     */
    public Builder defaultTtl(Duration ttl) {
      requireNonNull(ttl, "ttl must not be null");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("defaultTtl must be positive, but was " + ttl);
      }
      checkUnset("defaultTtl", this.defaultTtl);
      this.defaultTtl = ttl;
      return this;
    }

    /** Sets the time source for expiry; default {@link Ticker#systemTicker()}. */
    public Builder ticker(Ticker ticker) {
      requireNonNull(ticker, "ticker must not be null");
      checkUnset("ticker", this.ticker);
      this.ticker = ticker;
      return this;
    }

    /**
     * Registers the agent meters ({@code agent.tool.calls}, {@code agent.tool.gets{result}}, {@code
     * agent.tool.invalidations}, {@code agent.tool.short.circuits}, {@code agent.loops{kind}},
     * {@code agent.sessions.open}) and the core cache meters of the shared entries with {@code
     * registry}, tagged {@code cache=<name>}; default: no meters.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      requireNonNull(registry, "registry must not be null");
      checkUnset("meterRegistry", this.meterRegistry);
      this.meterRegistry = registry;
      return this;
    }

    /** Builds an {@link AgentCache}; the builder may be used again afterwards. */
    public AgentCache build() {
      return new AgentCache(this);
    }

    private static void notNegative(String option, long value) {
      if (value < 0) {
        throw new IllegalArgumentException(option + " must not be negative, but was " + value);
      }
    }

    private static void checkUnset(String option, @Nullable Object current) {
      if (current != null) {
        throw new IllegalStateException(option + " was already set to " + current);
      }
    }
  }
}
