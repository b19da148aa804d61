package dev.loomcache.dashboard.internal;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.loomcache.dashboard.internal.DemoShop.AddItem;

/**
 * The shop's tools as LangChain4j knows them: plain {@code @Tool} methods over a {@link DemoShop},
 * with no trace of the cache; {@link LangChain4jPanel} hands them to {@code LangChain4jAgentTools}.
 */
public final class LangChain4jShopTools {
  private final DemoShop shop;

  LangChain4jShopTools(DemoShop shop) {
    this.shop = shop;
  }

  /** Searches the catalogue; parks for the shop's delay. */
  @Tool("Searches the catalogue for products")
  public String searchProducts(@P("what to look for") String query) {
    return "results for " + query + ": " + park(() -> shop.search(query));
  }

  /** Reads a user's cart; parks for the shop's delay. */
  @Tool("Returns the SKUs in a user's cart")
  public String getCart(@P("the user's id") String userId) {
    return userId + ": " + park(() -> shop.cart(userId).skus());
  }

  /** Adds a SKU to a user's cart; parks for the shop's delay. */
  @Tool("Adds a SKU to a user's cart")
  public String addToCart(@P("the user's id") String userId, @P("the SKU") String sku) {
    return "added " + park(() -> shop.add(new AddItem(userId, sku)).sku());
  }

  private static <T> T park(ShopCall<T> call) {
    try {
      return call.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the shop was answering", e);
    }
  }

  @FunctionalInterface
  private interface ShopCall<T> {
    T run() throws InterruptedException;
  }
}
