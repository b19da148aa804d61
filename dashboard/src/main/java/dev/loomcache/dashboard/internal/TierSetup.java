package dev.loomcache.dashboard.internal;

import dev.loomcache.spi.CacheTier;
import java.util.List;
import java.util.Map;

/**
 * The lower tiers under the demo cache (a Chronicle file, Redis), kept behind this interface so
 * that the dashboard runs with core alone and shows each tier once its module is on the classpath.
 *
 * <p>The demo cache is rebuilt whenever its configuration changes, and a cache closes its tiers
 * when it closes, so tiers are opened afresh for every cache.
 */
public interface TierSetup extends AutoCloseable {

  /**
   * Opens new tiers, in read order, for a cache about to be built; that cache owns and closes them.
   * May block on I/O (opening a file, connecting).
   *
   * @throws RuntimeException if a tier cannot be opened; the dashboard then runs on L1 alone and
   *     shows the message in the tiers panel
   */
  List<CacheTier> openTiers();

  /**
   * Describes the tiers last opened beyond what {@code CacheStats} counts, one map per tier with at
   * least {@code "tier"} (its name): entry counts, file paths, connection and breaker state. Never
   * blocks for long (a status, not a probe).
   */
  List<Map<String, Object>> describe();

  /** One sentence for the tiers panel saying what is configured, or why nothing is. */
  String summary();

  /** Releases what the setup holds beyond the tiers themselves, such as a Redis client. */
  @Override
  void close();

  /** No lower tiers: the cache is L1 only. */
  static TierSetup none(String why) {
    return new TierSetup() {
      @Override
      public List<CacheTier> openTiers() {
        return List.of();
      }

      @Override
      public List<Map<String, Object>> describe() {
        return List.of();
      }

      @Override
      public String summary() {
        return why;
      }

      @Override
      public void close() {}
    };
  }
}
