package dev.loomcache.dashboard.internal;

import dev.loomcache.CacheStats;
import dev.loomcache.dashboard.internal.DemoCaches.Snapshot;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a sample of the demo cache at a fixed interval for the live charts: what happened during
 * the interval (requests, hit rate, loads, coalesced waiters, latency percentiles) rather than
 * totals, so a chart shows activity as it happens. Runs on one virtual thread that {@link #close()}
 * stops.
 */
public final class Sampler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sampler.class);

  private final DemoCaches caches;
  private final LatencyHistogram live;
  private final SampleHistory history;
  private final ScheduledExecutorService scheduler;
  private @Nullable CacheStats previous;
  private long previousGeneration;

  /** Starts sampling every {@code interval}. */
  public Sampler(
      DemoCaches caches, LatencyHistogram live, SampleHistory history, Duration interval) {
    this.caches = caches;
    this.live = live;
    this.history = history;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("dashboard-sampler").factory());
    long nanos = interval.toNanos();
    scheduler.scheduleAtFixedRate(this::sampleSafely, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  private void sampleSafely() {
    try {
      sample();
    } catch (IllegalStateException e) {
      // The dashboard is closing; the scheduler stops next.
      log.debug("sample skipped: {}", e.getMessage());
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: log and keep the charts alive.
      log.warn("sampling failed", e);
    }
  }

  /** Takes one sample now; called by the scheduler, and only by it. */
  private void sample() {
    Snapshot snapshot = caches.snapshot();
    CacheStats now = snapshot.stats();
    long generation = snapshot.demo().generation();
    // A rebuilt cache starts its counters at zero: measure it from zero, not from the old cache.
    CacheStats before = generation == previousGeneration ? previous : null;
    previous = now;
    previousGeneration = generation;
    long hits = now.hitCount() - (before == null ? 0 : before.hitCount());
    long misses = now.missCount() - (before == null ? 0 : before.missCount());
    Percentiles latency = live.drain();
    var sample = new LinkedHashMap<String, Object>();
    sample.put("time", System.currentTimeMillis());
    sample.put("generation", generation);
    sample.put("requests", hits + misses);
    sample.put("hits", hits);
    sample.put("misses", misses);
    sample.put(
        "hitRate", hits + misses == 0 ? null : StatsJson.round((double) hits / (hits + misses)));
    sample.put("totalHitRate", StatsJson.round(now.hitRate()));
    sample.put("loads", now.loadCount() - (before == null ? 0 : before.loadCount()));
    sample.put("coalesced", now.coalescedCount() - (before == null ? 0 : before.coalescedCount()));
    sample.put("batches", now.batchCount() - (before == null ? 0 : before.batchCount()));
    sample.put("measured", latency.count());
    sample.put("p50", latency.count() == 0 ? null : latency.p50Millis());
    sample.put("p95", latency.count() == 0 ? null : latency.p95Millis());
    sample.put("p99", latency.count() == 0 ? null : latency.p99Millis());
    sample.put("size", snapshot.size());
    history.add(sample);
  }

  /**
   * Stops the sampling thread, waiting briefly for a sample in progress, then closes the history so
   * that event streams end. If interrupted while waiting, restores the interrupt status.
   */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("the sampler did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      history.close();
    }
  }
}
