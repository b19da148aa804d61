package dev.loomcache.agent.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A shop backend and its LangChain4j tools; counts what reaches the backend. */
public final class Shop {
  final Map<String, List<String>> carts = new ConcurrentHashMap<>();
  final AtomicInteger cartReads = new AtomicInteger();
  final AtomicInteger searches = new AtomicInteger();
  final AtomicInteger stockChecks = new AtomicInteger();

  @Tool("Returns the SKUs in a user's cart")
  public String getCart(@P("the user's id") String userId) {
    cartReads.incrementAndGet();
    return userId + ": " + carts.getOrDefault(userId, List.of());
  }

  @Tool("Adds a SKU to a user's cart")
  public String addToCart(@P("the user's id") String userId, @P("the SKU") String sku) {
    carts.computeIfAbsent(userId, u -> new ArrayList<>()).add(sku);
    return "added " + sku;
  }

  @Tool("Searches the catalog")
  public String searchProducts(@P("what to look for") String query) {
    searches.incrementAndGet();
    return "results for " + query + ": sku-1, sku-2";
  }

  @Tool("Checks the stock of a SKU; the warehouse is down")
  public String checkStock(@P("the SKU") String sku) {
    stockChecks.incrementAndGet();
    throw new IllegalStateException("warehouse unavailable");
  }
}
