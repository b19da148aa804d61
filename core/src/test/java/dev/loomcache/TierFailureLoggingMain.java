package dev.loomcache;

import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;

/**
 * Run in a child JVM by {@link TierFailureLoggingTest}: a cache over a tier that is down, used as a
 * caller would, with slf4j-simple as the binding (it prints to stderr).
 */
public final class TierFailureLoggingMain {
  private TierFailureLoggingMain() {}

  public static void main(String[] args) {
    var tier = new MapTier("orders");
    tier.failing.set(true);
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(tier)
            .build()) {
      for (int i = 0; i < 50; i++) {
        cache.get("k" + i, () -> "v");
      }
      System.out.println("done: " + cache.stats().tierStats().getFirst().errorCount() + " errors");
    }
  }
}
