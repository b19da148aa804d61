package dev.loomcache.dashboard.internal;

import dev.loomcache.dashboard.internal.DemoCaches.Snapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tiers panel: L1 and each lower tier of the demo cache, with the per-tier hits, misses, errors
 * and writes that {@code CacheStats} counts merged with what the {@link TierSetup} knows (entries
 * in the Chronicle file, Redis up, down or behind its breaker).
 */
public final class TiersPanel implements Panel {
  private final DemoCaches caches;

  /** Shows the tiers of {@code caches}. */
  public TiersPanel(DemoCaches caches) {
    this.caches = caches;
  }

  @Override
  public String id() {
    return "tiers";
  }

  @Override
  public Map<String, Object> status() {
    Snapshot snapshot = caches.snapshot();
    TierSetup setup = caches.tierSetup();
    var l1 = new LinkedHashMap<String, Object>();
    l1.put("tier", "L1 (Caffeine, in memory)");
    l1.put("size", snapshot.size());
    l1.put("maximumSize", snapshot.demo().config().maximumSize());
    l1.put("hits", snapshot.stats().hitCount());
    l1.put("misses", snapshot.stats().missCount());
    var descriptions = new LinkedHashMap<String, Map<String, Object>>();
    for (Map<String, Object> description : setup.describe()) {
      descriptions.put(String.valueOf(description.get("tier")), description);
    }
    List<Map<String, Object>> tiers = new ArrayList<>();
    for (Map<String, Object> counted : StatsJson.tiers(snapshot.stats().tierStats())) {
      var tier = new LinkedHashMap<String, Object>(counted);
      Map<String, Object> description = descriptions.remove(String.valueOf(counted.get("tier")));
      if (description != null) {
        tier.putAll(description);
      }
      tiers.add(tier);
    }
    // A tier that failed to open has no statistics but still says why it is missing.
    tiers.addAll(descriptions.values());
    var json = new LinkedHashMap<String, Object>();
    json.put("available", true);
    json.put("summary", setup.summary());
    json.put("l1", l1);
    json.put("tiers", tiers);
    String tierError = snapshot.demo().tierError();
    if (tierError != null) {
      json.put("error", tierError);
    }
    return json;
  }

  @Override
  public Map<String, Object> perform(String action, FormValues form) {
    throw new ApiException(404, "The tiers panel has no action '" + action + "'.");
  }

  @Override
  public void close() {}
}
