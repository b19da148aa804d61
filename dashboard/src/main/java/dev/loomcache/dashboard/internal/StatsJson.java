package dev.loomcache.dashboard.internal;

import dev.loomcache.CacheStats;
import dev.loomcache.TierStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

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
    json.put(
        "averageLoadMillis",
        stats.loadCount() == 0 ? 0.0 : round(stats.totalLoadTimeNanos() / 1e6 / stats.loadCount()));
    json.put("size", size);
    json.put("tiers", tiers(stats.tierStats()));
    return json;
  }

  /**
   * What changed between two snapshots of the same cache, with the L1 sizes they were taken with.
   * Each field is {@code after - before} of the field of the same name in {@link #of}, so the
   * page's "change" column is always the difference of the two columns beside it, the hit rate
   * included (the difference of the two rounded rates shown; see {@link #runHitRate} for the rate
   * of the reads in between). {@code tierHits} sums the lower tiers' hits.
   */
  static Map<String, Object> delta(
      CacheStats before, long sizeBefore, CacheStats after, long sizeAfter) {
    var json = new LinkedHashMap<String, Object>();
    long hits = after.hitCount() - before.hitCount();
    long misses = after.missCount() - before.missCount();
    json.put("hits", hits);
    json.put("misses", misses);
    json.put("hitRate", round(round(after.hitRate()) - round(before.hitRate())));
    json.put("loads", after.loadCount() - before.loadCount());
    json.put("loadFailures", after.loadFailureCount() - before.loadFailureCount());
    json.put("coalesced", after.coalescedCount() - before.coalescedCount());
    json.put("batches", after.batchCount() - before.batchCount());
    json.put("batchedKeys", after.batchedKeyCount() - before.batchedKeyCount());
    json.put("evictions", after.evictionCount() - before.evictionCount());
    json.put("puts", after.putCount() - before.putCount());
    json.put("size", sizeAfter - sizeBefore);
    json.put("tierHits", tierHits(after) - tierHits(before));
    return json;
  }

  /** The hit rate of the reads made between two snapshots, or null if there were none. */
  static @Nullable Double runHitRate(CacheStats before, CacheStats after) {
    long hits = after.hitCount() - before.hitCount();
    long misses = after.missCount() - before.missCount();
    return hits + misses == 0 ? null : round((double) hits / (hits + misses));
  }

  private static long tierHits(CacheStats stats) {
    long hits = 0;
    for (TierStats tier : stats.tierStats()) {
      hits += tier.hitCount();
    }
    return hits;
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
