package dev.loomcache;

import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;

/**
 * The tier stacks the core contract tests (get, invalidation during a load, interrupts, batching)
 * run against: whatever the tiers do, the single-flight, invalidation and interrupt guarantees are
 * the same, and a tier that fails every call must not change what a caller sees.
 */
enum TierSetup {
  /** L1 only. */
  NO_TIER,
  /** L1 over a working in-memory tier. */
  IN_MEMORY_TIER,
  /** L1 over a tier whose every call throws. */
  FAILING_TIER;

  /** A builder of a String cache with this tier stack; the caller adds its own options. */
  Loomcache<String, String> builder() {
    Loomcache<String, String> builder =
        Loomcache.newBuilder().keyCodec(KeyCodec.string()).valueCodec(ValueCodec.string());
    return switch (this) {
      case NO_TIER -> builder;
      case IN_MEMORY_TIER -> builder.tier(new MapTier("memory"));
      case FAILING_TIER -> {
        var tier = new MapTier("down");
        tier.failing.set(true);
        yield builder.tier(tier);
      }
    };
  }
}
