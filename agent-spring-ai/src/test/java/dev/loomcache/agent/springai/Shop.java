package dev.loomcache.agent.springai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/** A shop backend and its Spring AI tools; counts what reaches the backend. */
public final class Shop {
  final Map<String, List<String>> carts = new ConcurrentHashMap<>();
  final AtomicInteger cartReads = new AtomicInteger();
  final AtomicInteger searches = new AtomicInteger();
  final AtomicInteger stockChecks = new AtomicInteger();

  @Tool(description = "Returns the SKUs in a user's cart")
  public String getCart(@ToolParam(description = "the user's id") String userId) {
    cartReads.incrementAndGet();
    return userId + ": " + carts.getOrDefault(userId, List.of());
  }

  @Tool(description = "Adds a SKU to a user's cart")
  public String addToCart(
      @ToolParam(description = "the user's id") String userId,
      @ToolParam(description = "the SKU") String sku) {
    carts.computeIfAbsent(userId, u -> new ArrayList<>()).add(sku);
    return "added " + sku;
  }

  @Tool(description = "Searches the catalog")
  public String searchProducts(@ToolParam(description = "what to look for") String query) {
    searches.incrementAndGet();
    return "results for " + query;
  }

  @Tool(description = "Checks the stock of a SKU; the warehouse is down")
  public String checkStock(@ToolParam(description = "the SKU") String sku) {
    stockChecks.incrementAndGet();
    throw new IllegalStateException("warehouse unavailable");
  }
}
