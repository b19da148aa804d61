package dev.loomcache.dashboard.internal;

import dev.loomcache.agent.AgentCache;
import dev.loomcache.agent.AgentLoopDetectedException;
import dev.loomcache.agent.AgentSession;
import dev.loomcache.agent.AgentStats;
import dev.loomcache.agent.LoopKind;
import dev.loomcache.agent.LoopPolicy;
import dev.loomcache.agent.OnLoop;
import dev.loomcache.agent.Tool;
import dev.loomcache.agent.ToolCall;
import dev.loomcache.agent.ToolOutcome;
import dev.loomcache.dashboard.internal.DemoShop.AddItem;
import dev.loomcache.dashboard.internal.DemoShop.Cart;
import dev.loomcache.dashboard.internal.DemoShop.CartQuery;
import dev.loomcache.dashboard.internal.DemoShop.Receipt;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The agent panel: an {@link AgentCache} with three tools over a {@link DemoShop} ({@code
 * search_products} and {@code get_cart} read, {@code add_to_cart} writes), a shopping scenario that
 * shows cached reads and an invalidating write, and looping agents that show the loop detector and
 * each of its reactions. Every action runs in a fresh session; one action runs at a time.
 */
public final class AgentPanel implements Panel {
  private static final int MAX_EVENTS = 80;
  private static final Map<String, String> ACTIONS = actions();

  private final AgentCache agents;
  private final DemoShop shop;
  private final Tool<String, List<String>> search;
  private final Tool<CartQuery, Cart> getCart;
  private final Tool<AddItem, Receipt> addToCart;
  private final ReentrantLock running = new ReentrantLock();
  private final AtomicLong runs = new AtomicLong();
  private final ReentrantLock eventsLock = new ReentrantLock();
  private final List<Map<String, Object>> events = new ArrayList<>();

  /** Builds the agent cache and its tools over {@code shop}, with meters in {@code registry}. */
  public AgentPanel(MeterRegistry registry, DemoShop shop) {
    this.shop = shop;
    this.agents = AgentCache.newBuilder().meterRegistry(registry).build();
    this.search = agents.readTool("search_products", shop::search).resource("catalog").build();
    this.getCart =
        agents
            .readTool("get_cart", (CartQuery q) -> shop.cart(q.userId()))
            .resource("cart")
            .ttl(Duration.ofSeconds(120))
            .build();
    this.addToCart = agents.writeTool("add_to_cart", shop::add).invalidates("cart").build();
  }

  private static Map<String, String> actions() {
    var actions = new LinkedHashMap<String, String>();
    actions.put("shopping", "Run the shopping scenario");
    actions.put("loop-raise", "Looping agent: raise");
    actions.put("loop-warn", "Looping agent: warn");
    actions.put("loop-short-circuit", "Looping agent: short-circuit");
    actions.put("cycle-raise", "Cycling agent (A→B→A→B): raise");
    return actions;
  }

  @Override
  public String id() {
    return "agent";
  }

  @Override
  public Map<String, Object> status() {
    var json = new LinkedHashMap<String, Object>();
    json.put("available", true);
    json.put(
        "summary",
        "An agent's tools over a slow shop: search_products and get_cart are "
            + "cached read tools, add_to_cart is a write tool that invalidates \"cart\". Each run opens "
            + "a new session; the looping agents re-read one cart with maxToolRepeats 3.");
    var list = new ArrayList<Map<String, Object>>();
    ACTIONS.forEach((id, label) -> list.add(Map.of("id", id, "label", label)));
    json.put("actions", list);
    Map<String, Object> stats = stats(agents.stats());
    stats.put("shop cart reads", shop.cartReadCount());
    stats.put("shop cart writes", shop.cartWriteCount());
    stats.put("shop searches", shop.searchCount());
    json.put("stats", stats);
    eventsLock.lock();
    try {
      json.put("events", List.copyOf(events));
    } finally {
      eventsLock.unlock();
    }
    return json;
  }

  @Override
  public Map<String, Object> perform(String action, FormValues form) {
    if (!ACTIONS.containsKey(action)) {
      throw new ApiException(
          404,
          "The agent panel has no action '"
              + action
              + "'; its actions are "
              + String.join(", ", ACTIONS.keySet())
              + ".");
    }
    form.allowOnly(Set.of("calls"));
    int calls = form.wholeInt("calls", 1, 100, 8);
    if (!running.tryLock()) {
      throw new ApiException(
          409, "Another agent run is in progress; try again when it has finished.");
    }
    try {
      long run = runs.incrementAndGet();
      var log = new ArrayList<Map<String, Object>>();
      AgentStats sessionStats =
          switch (action) {
            case "shopping" -> shopping(run, log);
            case "cycle-raise" -> cycling(run, calls, log);
            default -> looping(run, calls, reaction(action), log);
          };
      eventsLock.lock();
      try {
        events.addAll(log);
        while (events.size() > MAX_EVENTS) {
          events.removeFirst();
        }
      } finally {
        eventsLock.unlock();
      }
      var json = new LinkedHashMap<String, Object>();
      json.put("action", action);
      json.put("run", run);
      json.put("events", log);
      json.put("session", stats(sessionStats));
      return json;
    } finally {
      running.unlock();
    }
  }

  private static OnLoop reaction(String action) {
    return switch (action) {
      case "loop-warn" -> OnLoop.WARN;
      case "loop-short-circuit" -> OnLoop.SHORT_CIRCUIT;
      default -> OnLoop.RAISE;
    };
  }

  /** Searches twice (one entry), reads a cart twice (one shop call), writes it, reads it fresh. */
  private AgentStats shopping(long run, List<Map<String, Object>> log) {
    String user = "user-" + run;
    try (AgentSession session = agents.openSession("shopper-" + run)) {
      note(log, "session", "Session " + session.id() + " opened (loop policy: defaults)");
      session.run(() -> {
        step(log, search, "{\"query\": \"running shoes\", \"limit\": 10}");
        step(log, search, "{\"limit\":10.0,\"query\":\"running shoes\"}");
        step(log, getCart, new CartQuery(user));
        step(log, getCart, new CartQuery(user));
        step(log, addToCart, new AddItem(user, "sku-1"));
        note(log, "invalidated", "add_to_cart invalidated \"cart\" before and after it ran");
        step(log, getCart, new CartQuery(user));
      });
      return session.stats();
    }
  }

  /** Re-reads one cart {@code calls} times under {@code maxToolRepeats 3} and {@code onLoop}. */
  private AgentStats looping(long run, int calls, OnLoop onLoop, List<Map<String, Object>> log) {
    String user = "user-" + run;
    LoopPolicy policy = LoopPolicy.defaults().maxToolRepeats(3).onLoop(onLoop);
    return inSession(
        "looper-" + run,
        policy,
        log,
        () -> {
          for (int i = 0; i < calls; i++) {
            step(log, getCart, new CartQuery(user));
          }
        });
  }

  /** Alternates two reads, A→B→A→B, until the cycle detector raises. */
  private AgentStats cycling(long run, int calls, List<Map<String, Object>> log) {
    String user = "user-" + run;
    LoopPolicy policy = LoopPolicy.defaults().onLoop(OnLoop.RAISE);
    return inSession(
        "cycler-" + run,
        policy,
        log,
        () -> {
          for (int i = 0; i < calls; i++) {
            if (i % 2 == 0) {
              step(log, getCart, new CartQuery(user));
            } else {
              step(log, search, "{\"query\":\"socks\"}");
            }
          }
        });
  }

  private AgentStats inSession(
      String id, LoopPolicy policy, List<Map<String, Object>> log, Runnable agent) {
    try (AgentSession session = agents.openSession(id, policy)) {
      note(
          log,
          "session",
          "Session "
              + id
              + " opened: maxToolRepeats "
              + policy.maxToolRepeats()
              + ", onLoop "
              + policy.onLoop());
      try {
        session.run(agent);
        note(log, "done", "The agent finished its calls");
      } catch (AgentLoopDetectedException e) {
        note(
            log,
            "raised",
            "Raised AgentLoopDetectedException: "
                + e.kind()
                + " at "
                + e.toolName()
                + " (observed "
                + e.observedCount()
                + " times); the tool did not run "
                + "and the agent stopped");
      }
      return session.stats();
    }
  }

  private <A, R> void step(List<Map<String, Object>> log, Tool<A, R> tool, A arguments) {
    String call = tool.name() + " " + ToolCall.of(tool.name(), arguments).arguments();
    long start = System.nanoTime();
    ToolOutcome<R> outcome = tool.callOutcome(arguments);
    double millis = Percentiles.millis(System.nanoTime() - start);
    LoopKind loop = outcome.detectedLoop();
    String kind =
        switch (outcome.source()) {
          case EXECUTED -> "executed";
          case CACHED -> "cached";
          case SHORT_CIRCUITED -> "short-circuited";
        };
    String text =
        call
            + " → "
            + switch (outcome.source()) {
              case EXECUTED -> "ran the tool (" + millis + " ms)";
              case CACHED -> "served from the cache (" + millis + " ms)";
              case SHORT_CIRCUITED -> "not run: the last result of this call was returned";
            }
            + ": "
            + outcome.value();
    if (loop != null) {
      text =
          "loop "
              + loop
              + " detected; "
              + (outcome.shortCircuited() ? "" : "warned and ran; ")
              + text;
      kind = outcome.shortCircuited() ? kind : "warned";
    }
    note(log, kind, text);
  }

  private static void note(List<Map<String, Object>> log, String kind, String text) {
    var event = new LinkedHashMap<String, Object>();
    event.put("time", LocalTime.now().withNano(0).toString());
    event.put("kind", kind);
    event.put("text", text);
    log.add(event);
  }

  static Map<String, Object> stats(AgentStats stats) {
    var json = new LinkedHashMap<String, Object>();
    json.put("calls", stats.calls());
    json.put("hits", stats.hits());
    json.put("misses", stats.misses());
    json.put("hitRate", StatsJson.round(stats.hitRate()));
    json.put("invalidations", stats.invalidations());
    json.put("loopDetections", stats.loopDetections());
    json.put("shortCircuits", stats.shortCircuits());
    return json;
  }

  @Override
  public void close() {
    agents.close();
  }
}
