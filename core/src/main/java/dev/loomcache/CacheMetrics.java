package dev.loomcache;

import dev.loomcache.internal.FlightTable;
import dev.loomcache.internal.L1Store;
import dev.loomcache.internal.StatsCounter;
import dev.loomcache.internal.Tiers;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters for one cache: the standard cache names ({@code cache.gets}, {@code
 * cache.puts}, {@code cache.evictions}, {@code cache.size}, tag {@code cache}) so that existing
 * dashboards work, plus {@code cache.loads}, {@code cache.loads.coalesced}, {@code
 * cache.load.duration} and {@code cache.loads.inflight}. Meters read the counters directly, so they
 * keep working (frozen) after the cache is closed.
 */
final class CacheMetrics extends CacheMeterBinder<Cache<?, ?>> {
  private final StatsCounter stats;
  private final L1Store<?, ?> l1;
  private final FlightTable<?> flights;
  private final Tiers<?, ?> tiers;

  CacheMetrics(
      Cache<?, ?> cache,
      String name,
      StatsCounter stats,
      L1Store<?, ?> l1,
      FlightTable<?> flights,
      Tiers<?, ?> tiers) {
    super(cache, name, Tags.empty());
    this.stats = stats;
    this.l1 = l1;
    this.flights = flights;
    this.tiers = tiers;
  }

  @Override
  protected Long size() {
    return l1.estimatedSize();
  }

  @Override
  protected long hitCount() {
    return stats.hitCount();
  }

  @Override
  protected Long missCount() {
    return stats.missCount();
  }

  @Override
  protected Long evictionCount() {
    return stats.evictionCount();
  }

  @Override
  protected long putCount() {
    return stats.putCount();
  }

  @Override
  protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
    FunctionCounter.builder("cache.loads", stats, StatsCounter::loadSuccessCount)
        .tags(getTagsWithCacheName())
        .tag("result", "success")
        .description("Loader calls that returned")
        .register(registry);
    FunctionCounter.builder("cache.loads", stats, StatsCounter::loadFailureCount)
        .tags(getTagsWithCacheName())
        .tag("result", "failure")
        .description("Loader calls that threw")
        .register(registry);
    FunctionCounter.builder("cache.refreshes", stats, StatsCounter::refreshCount)
        .tags(getTagsWithCacheName())
        .tag("result", "success")
        .description(
            "Background reloads (refresh-ahead, early refresh, refresh calls) that loaded a value")
        .register(registry);
    FunctionCounter.builder("cache.refreshes", stats, StatsCounter::refreshFailureCount)
        .tags(getTagsWithCacheName())
        .tag("result", "failure")
        .description("Background reloads that failed; the stored value was kept")
        .register(registry);
    FunctionCounter.builder("cache.stale.served", stats, StatsCounter::staleServedCount)
        .tags(getTagsWithCacheName())
        .description("Callers served a value kept past its TTL instead of a failure")
        .register(registry);
    FunctionCounter.builder("cache.loads.coalesced", stats, StatsCounter::coalescedCount)
        .tags(getTagsWithCacheName())
        .description("Callers served by another caller's load instead of loading themselves")
        .register(registry);
    FunctionCounter.builder("cache.bypasses", stats, StatsCounter::bypassCount)
        .tags(getTagsWithCacheName())
        .description("Calls that a CacheScope bypassed")
        .register(registry);
    FunctionTimer.builder(
            "cache.load.duration",
            stats,
            s -> s.loadSuccessCount() + s.loadFailureCount(),
            StatsCounter::totalLoadTimeNanos,
            TimeUnit.NANOSECONDS)
        .tags(getTagsWithCacheName())
        .description("Time spent in loaders")
        .register(registry);
    FunctionCounter.builder("cache.batches", stats, s -> s.batchCount() - s.batchFailureCount())
        .tags(getTagsWithCacheName())
        .tag("result", "success")
        .description("Batch loader calls that returned")
        .register(registry);
    FunctionCounter.builder("cache.batches", stats, StatsCounter::batchFailureCount)
        .tags(getTagsWithCacheName())
        .tag("result", "failure")
        .description("Batch loader calls that threw")
        .register(registry);
    FunctionTimer.builder(
            "cache.batch.duration",
            stats,
            StatsCounter::batchCount,
            StatsCounter::totalBatchTimeNanos,
            TimeUnit.NANOSECONDS)
        .tags(getTagsWithCacheName())
        .description("Time spent in batch loaders")
        .register(registry);
    DistributionSummary batchSizes =
        DistributionSummary.builder("cache.batch.size")
            .tags(getTagsWithCacheName())
            .baseUnit("keys")
            .description("Keys per batch loader call")
            .register(registry);
    stats.reportBatchSizesTo(batchSizes::record);
    {
      for (Tiers.Counters tier : tiers.counters()) {
        FunctionCounter.builder("cache.tier.gets", tier, Tiers.Counters::hitCount)
            .tags(getTagsWithCacheName())
            .tag("tier", tier.tier())
            .tag("result", "hit")
            .description("L1 misses answered by this tier")
            .register(registry);
        FunctionCounter.builder("cache.tier.gets", tier, Tiers.Counters::missCount)
            .tags(getTagsWithCacheName())
            .tag("tier", tier.tier())
            .tag("result", "miss")
            .description("L1 misses this tier had no live value for")
            .register(registry);
        FunctionCounter.builder("cache.tier.errors", tier, Tiers.Counters::errorCount)
            .tags(getTagsWithCacheName())
            .tag("tier", tier.tier())
            .description("Tier failures and undecodable values, never seen by callers")
            .register(registry);
        FunctionCounter.builder("cache.tier.writes", tier, Tiers.Counters::writeCount)
            .tags(getTagsWithCacheName())
            .tag("tier", tier.tier())
            .description("Values written to this tier")
            .register(registry);
      }
    }
    Gauge.builder("cache.loads.inflight", flights, FlightTable::inFlightCount)
        .tags(getTagsWithCacheName())
        .description("Loads in progress")
        .register(registry);
  }
}
