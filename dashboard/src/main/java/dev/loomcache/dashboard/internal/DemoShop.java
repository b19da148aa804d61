package dev.loomcache.dashboard.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shop behind the agent panel's tools: the system of record an agent reads and writes, slow
 * like a real service (each call parks for a random time within the delays) and counting its calls
 * so the panel can show how many the cache saved.
 */
public final class DemoShop {
  /** The argument of {@code get_cart}. */
  public record CartQuery(String userId) {}

  /** The argument of {@code add_to_cart}. */
  public record AddItem(String userId, String sku) {}

  /** A cart as the shop returns it. */
  public record Cart(String userId, List<String> skus) {}

  /** What {@code add_to_cart} returns. */
  public record Receipt(String userId, String sku) {}

  private final Map<String, List<String>> carts = new ConcurrentHashMap<>();
  private final AtomicLong cartReads = new AtomicLong();
  private final AtomicLong cartWrites = new AtomicLong();
  private final AtomicLong searches = new AtomicLong();
  private final long minNanos;
  private final long maxNanos;

  /**
   * A shop whose calls take from {@code minDelay} to {@code maxDelay}.
   *
   * @throws IllegalArgumentException if a delay is negative or the minimum exceeds the maximum
   */
  public DemoShop(Duration minDelay, Duration maxDelay) {
    if (minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0) {
      throw new IllegalArgumentException(
          "delays must satisfy 0 <= minDelay <= maxDelay, but were "
              + minDelay
              + " and "
              + maxDelay);
    }
    this.minNanos = minDelay.toNanos();
    this.maxNanos = maxDelay.toNanos();
  }

  /**
   * Reads a user's cart; parks for the shop's delay.
   *
   * @throws InterruptedException if interrupted while parked
   */
  public Cart cart(String userId) throws InterruptedException {
    cartReads.incrementAndGet();
    park();
    return new Cart(userId, List.copyOf(carts.getOrDefault(userId, List.of())));
  }

  /**
   * Adds an item to a user's cart; parks for the shop's delay.
   *
   * @throws InterruptedException if interrupted while parked
   */
  public Receipt add(AddItem item) throws InterruptedException {
    cartWrites.incrementAndGet();
    park();
    carts.compute(
        item.userId(),
        (user, skus) -> {
          var updated = skus == null ? new ArrayList<String>() : new ArrayList<>(skus);
          updated.add(item.sku());
          return List.copyOf(updated);
        });
    return new Receipt(item.userId(), item.sku());
  }

  /**
   * Searches the catalogue with the JSON arguments an LLM framework would pass; parks for the
   * shop's delay.
   *
   * @throws InterruptedException if interrupted while parked
   */
  public List<String> search(String json) throws InterruptedException {
    searches.incrementAndGet();
    park();
    return List.of("sku-1", "sku-2", "sku-3");
  }

  /** Cart reads served so far. */
  public long cartReadCount() {
    return cartReads.get();
  }

  /** Cart writes served so far. */
  public long cartWriteCount() {
    return cartWrites.get();
  }

  /** Searches served so far. */
  public long searchCount() {
    return searches.get();
  }

  private void park() throws InterruptedException {
    long nanos =
        minNanos == maxNanos
            ? minNanos
            : ThreadLocalRandom.current().nextLong(minNanos, maxNanos + 1);
    if (nanos > 0) {
      Thread.sleep(Duration.ofNanos(nanos));
    }
  }
}
