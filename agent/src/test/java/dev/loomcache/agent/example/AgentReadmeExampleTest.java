package dev.loomcache.agent.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.loomcache.agent.AgentCache;
import dev.loomcache.agent.AgentLoopDetectedException;
import dev.loomcache.agent.AgentSession;
import dev.loomcache.agent.AgentStats;
import dev.loomcache.agent.LoopKind;
import dev.loomcache.agent.LoopPolicy;
import dev.loomcache.agent.Scope;
import dev.loomcache.agent.Tool;
import dev.loomcache.agent.ToolCall;
import dev.loomcache.testsupport.DocSnippets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The examples of {@code agent/README.md}, compiled and run; they use only the public API (this
 * class lives outside the module's package). The last test keeps the README's copies identical to
 * the code between the {@code README-BEGIN}/{@code README-END} markers.
 */
class AgentReadmeExampleTest {
  // README-BEGIN shopping-agent
  record CartQuery(String userId) {}

  record AddItem(String userId, String sku) {}

  record Cart(String userId, List<String> skus) {}

  record Receipt(String userId, String sku) {}

  /** The shop's backend: the system of record behind the agent's tools. */
  static final class Shop {
    final Map<String, List<String>> carts = new ConcurrentHashMap<>();
    final AtomicInteger cartReads = new AtomicInteger();
    final AtomicInteger searches = new AtomicInteger();

    Cart cart(String userId) {
      cartReads.incrementAndGet();
      return new Cart(userId, List.copyOf(carts.getOrDefault(userId, List.of())));
    }

    Receipt add(AddItem item) {
      carts.computeIfAbsent(item.userId(), u -> new ArrayList<>()).add(item.sku());
      return new Receipt(item.userId(), item.sku());
    }

    List<String> search(String json) {
      searches.incrementAndGet();
      return List.of("sku-1", "sku-2");
    }
  }

  @Test
  void shoppingAgent() {
    Shop shop = new Shop();
    try (AgentCache agents = AgentCache.newBuilder().maximumSize(10_000).build()) {
      Tool<CartQuery, Cart> getCart = agents.readTool("get_cart", (CartQuery q) -> shop.cart(q.userId()))
          .resource("cart").ttl(Duration.ofSeconds(120)).build();
      Tool<AddItem, Receipt> addToCart = agents.writeTool("add_to_cart", (AddItem a) -> shop.add(a))
          .invalidates("cart").build();
      // LLM frameworks pass arguments as JSON text: these are keyed by its canonical form.
      Tool<String, List<String>> search = agents.readTool("search_products", (String json) -> shop.search(json))
          .resource("catalog").build();

      try (AgentSession session = agents.openSession("agent-A", LoopPolicy.defaults().maxToolRepeats(3))) {
        session.run(() -> {
          search.call("{\"query\": \"running shoes\", \"limit\": 10}");  // runs the search
          search.call("{\"limit\":10.0,\"query\":\"running shoes\"}");   // hit: same canonical arguments

          getCart.call(new CartQuery("user_1"));                         // miss: asks the shop
          getCart.call(new CartQuery("user_1"));                         // hit
          addToCart.call(new AddItem("user_1", "sku-1"));                // invalidates "cart", before and after
          Cart cart = getCart.call(new CartQuery("user_1"));             // miss: fresh data, never stale
          assertThat(cart.skus()).containsExactly("sku-1");
        });

        // The agent gets stuck re-reading its cart: the fourth identical call since the write is stopped
        // before it runs (maxToolRepeats 3; the write reset the count, since the cart may have changed).
        AgentLoopDetectedException loop = catchThrowableOfType(AgentLoopDetectedException.class,
            () -> session.run(() -> {
              while (true) {
                getCart.call(new CartQuery("user_1"));
              }
            }));
        assertThat(loop.kind()).isEqualTo(LoopKind.REPEAT);
        assertThat(loop.sessionId()).isEqualTo("agent-A");
        assertThat(loop.calls()).containsExactly(ToolCall.of("get_cart", new CartQuery("user_1")));
        assertThat(loop.calls().getFirst().arguments()).isEqualTo("{\"userId\":\"user_1\"}");

        AgentStats stats = session.stats();
        assertThat(stats.calls()).isEqualTo(9);
        assertThat(stats.hits()).isEqualTo(4);
        assertThat(stats.misses()).isEqualTo(3);
        assertThat(stats.invalidations()).isEqualTo(1);
        assertThat(stats.loopDetections(LoopKind.REPEAT)).isEqualTo(1);
      }
    }
    assertThat(shop.searches).hasValue(1);
    assertThat(shop.cartReads).hasValue(2);
  }
  // README-END shopping-agent

  @Test
  void toolOptionsAndFrameworkThreads() throws Exception {
    Shop shop = new Shop();
    try (AgentCache agents = AgentCache.newBuilder().build();
        ExecutorService frameworkPool = Executors.newFixedThreadPool(2)) {
      // README-BEGIN tool-options
      Tool<CartQuery, Cart> getCart = agents.readTool("get_cart", (CartQuery q) -> shop.cart(q.userId()))
          .resource("cart")             // tags its entries; default: none
          .scope(Scope.GLOBAL)          // who shares them; default GLOBAL
          .ttl(Duration.ofSeconds(120)) // default: the AgentCache's defaultTtl (none unless set)
          .build();
      Tool<AddItem, Receipt> addToCart = agents.writeTool("add_to_cart", (AddItem a) -> shop.add(a))
          .invalidates("cart")          // default: none
          .scope(Scope.GLOBAL)          // whose entries; default GLOBAL
          .build();
      // README-END tool-options
      addToCart.call(new AddItem("user_2", "sku-9"));

      // README-BEGIN framework-threads
      try (AgentSession session = agents.openSession("agent-B")) {
        // Inside run/call, and in StructuredTaskScope subtasks forked there, the session is bound:
        session.run(() -> getCart.call(new CartQuery("user_2")));
        // A framework's own worker thread is not: hand it the task wrapped.
        Future<Cart> cart = frameworkPool.submit(session.wrap(() -> getCart.call(new CartQuery("user_2"))));
        assertThat(cart.get().skus()).containsExactly("sku-9");
        assertThat(session.stats().hits()).isEqualTo(1); // the wrapped call counted in the session
      }
      // README-END framework-threads
    }
    assertThat(shop.cartReads).hasValue(1);
  }

  @Test
  void readme_showsExactlyTheseExamples() {
    var snippets = DocSnippets.ofTest(AgentReadmeExampleTest.class);
    assertThat(snippets.names())
        .containsExactly("shopping-agent", "tool-options", "framework-threads");
    snippets.assertShownIn(Path.of("README.md"));
  }
}
