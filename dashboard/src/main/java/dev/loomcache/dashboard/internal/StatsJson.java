package dev.loomcache.dashboard.internal;

import dev.loomcache.CacheStats;
import dev.loomcache.TierStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns statistics snapshots into the JSON fields the page reads. */
final class StatsJson {
  private StatsJson() {}

  /** The counters of {@code stats} plus the L1 {@code size}. */
  static Map<String, Object> of(CacheStats stats, long size) {
    var json = new LinkedHashMap<String, Object>();
    json.put("hits", stats.hitCount());
    json.put("misses", stats.missCount());
    json.put("hitRate", round(stats.hitRate()));
    json.put("loads", stats.loadCount());
    json.put("loadFailures", stats.loadFailureCount());
    json.put("coalesced", stats.coalescedCount());
    json.put("batches", stats.batchCount());
    json.put("batchedKeys", stats.batchedKeyCount());
    json.put("largestBatch", stats.largestBatchSize());
    json.put("evictions", stats.evictionCount());
    json.put("puts", stats.putCount());
    json.put("averageLoadMillis", stats.loadCount() == 0
        ? 0.0 : round(stats.totalLoadTimeNanos() / 1e6 / stats.loadCount()));
    json.put("size", size);
    json.put("tiers", tiers(stats.tierStats()));
    return json;
  }

  /** What changed between two snapshots of the same cache: counters only, no rates. */
  static Map<String, Object> delta(CacheStats before, CacheStats after) {
    var json = new LinkedHashMap<String, Object>();
    long hits = after.hitCount() - before.hitCount();
    long misses = after.missCount() - before.missCount();
    json.put("hits", hits);
    json.put("misses", misses);
    json.put("hitRate", hits + misses == 0 ? 0.0 : round((double) hits / (hits + misses)));
    json.put("loads", after.loadCount() - before.loadCount());
    json.put("loadFailures", after.loadFailureCount() - before.loadFailureCount());
    json.put("coalesced", after.coalescedCount() - before.coalescedCount());
    json.put("batches", after.batchCount() - before.batchCount());
    json.put("batchedKeys", after.batchedKeyCount() - before.batchedKeyCount());
    json.put("evictions", after.evictionCount() - before.evictionCount());
    json.put("puts", after.putCount() - before.putCount());
    return json;
  }

  static List<Map<String, Object>> tiers(List<TierStats> tiers) {
    var list = new ArrayList<Map<String, Object>>();
    for (TierStats tier : tiers) {
      var json = new LinkedHashMap<String, Object>();
      json.put("tier", tier.tier());
      json.put("hits", tier.hitCount());
      json.put("misses", tier.missCount());
      json.put("errors", tier.errorCount());
      json.put("writes", tier.writeCount());
      list.add(json);
    }
    return list;
  }

  static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
