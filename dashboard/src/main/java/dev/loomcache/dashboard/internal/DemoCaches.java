package dev.loomcache.dashboard.internal;

import dev.loomcache.Batcher;
import dev.loomcache.Cache;
import dev.loomcache.CacheStats;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.CacheTier;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo cache ({@value #CACHE_NAME}: product keys to descriptions, read through a {@link
 * SlowBackend}) and its batcher, rebuilt from scratch when the configuration changes.
 *
 * <p>Rebuilding closes the old cache, drops its meters (a meter registered again under the same
 * name would keep reading the old cache's counters) and builds a new one. Statistics are read under
 * a read lock and rebuilds take the write lock, so a reader never sees a closed cache. Scenarios do
 * not take this lock: {@link ScenarioRunner} never runs one during a rebuild.
 */
public final class DemoCaches implements AutoCloseable {
  /** The demo cache's name: its metrics carry the tag {@code cache="products"}. */
  public static final String CACHE_NAME = "products";

  private static final Logger log = LoggerFactory.getLogger(DemoCaches.class);

  /** One built cache with the configuration it was built from. */
  public record Demo(
      Cache<String, String> cache,
      Batcher<String, String> batcher,
      DemoConfig config,
      long generation,
      @Nullable String tierError) {}

  /** Statistics of the current cache, read consistently. */
  public record Snapshot(Demo demo, CacheStats stats, long size) {}

  private final MeterRegistry registry;
  private final SlowBackend backend;
  private final TierSetup tierSetup;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private Demo current;
  private boolean closed;

  /** Builds the first cache with {@code config}. May block while the tiers open. */
  public DemoCaches(
      MeterRegistry registry, SlowBackend backend, TierSetup tierSetup, DemoConfig config) {
    this.registry = registry;
    this.backend = backend;
    this.tierSetup = tierSetup;
    this.current = build(config, 1);
  }

  /** The cache in use; never blocks for long. */
  public Demo current() {
    lock.readLock().lock();
    try {
      checkOpen();
      return current;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Reads the statistics and size of the cache in use; never sees a cache being replaced. */
  public Snapshot snapshot() {
    lock.readLock().lock();
    try {
      checkOpen();
      Demo demo = current;
      return new Snapshot(demo, demo.cache().stats(), demo.cache().estimatedSize());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The backend the demo loaders read. */
  public SlowBackend backend() {
    return backend;
  }

  /** The tiers under the cache. */
  public TierSetup tierSetup() {
    return tierSetup;
  }

  /**
   * Closes the cache in use and builds a new one from {@code config}; blocks other readers until
   * done (tiers may take a moment to reopen). The caller makes sure no scenario is running.
   */
  public Demo rebuild(DemoConfig config) {
    lock.writeLock().lock();
    try {
      checkOpen();
      long generation = current.generation() + 1;
      closeCurrent();
      current = build(config, generation);
      return current;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Closes the cache and the tier setup; idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closeCurrent();
      tierSetup.close();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void closeCurrent() {
    current.cache().close();
    for (Meter meter : registry.getMeters()) {
      if (CACHE_NAME.equals(meter.getId().getTag("cache"))) {
        registry.remove(meter);
      }
    }
  }

  private Demo build(DemoConfig config, long generation) {
    List<CacheTier> tiers;
    String tierError = null;
    try {
      tiers = tierSetup.openTiers();
    } catch (RuntimeException e) {
      log.warn("Lower tiers could not be opened; the demo cache runs on L1 alone", e);
      tiers = List.of();
      tierError =
          "The lower tiers could not be opened ("
              + e.getMessage()
              + "); the demo cache runs on L1 alone.";
    }
    var builder =
        Loomcache.newBuilder()
            .name(CACHE_NAME)
            .maximumSize(config.maximumSize())
            .batchWindow(Duration.ofMillis(config.batchWindowMillis()))
            .maxBatchSize(config.maxBatchSize())
            .meterRegistry(registry);
    Duration ttl = config.ttlOrNull();
    if (ttl != null) {
      builder.defaultTtl(ttl);
    }
    Cache<String, String> cache;
    if (tiers.isEmpty()) {
      cache = builder.build();
    } else {
      var tiered = builder.keyCodec(KeyCodec.string()).valueCodec(ValueCodec.string());
      for (CacheTier tier : tiers) {
        tiered.tier(tier);
      }
      cache = tiered.build();
    }
    Batcher<String, String> batcher = cache.batcher(backend::loadAll);
    return new Demo(cache, batcher, config, generation, tierError);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the dashboard is closed");
    }
  }
}
