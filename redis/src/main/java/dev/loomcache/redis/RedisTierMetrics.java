package dev.loomcache.redis;

import dev.loomcache.redis.internal.CircuitBreaker;
import dev.loomcache.redis.internal.Recovery;
import dev.loomcache.redis.internal.TierCounters;
import dev.loomcache.redis.internal.WriteBehindQueue;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The tier's own meters, next to the per-tier ones the cache binds ({@code cache.tier.gets}, {@code
 * cache.tier.errors}, {@code cache.tier.writes}): all named {@code cache.tier.redis.*}, tagged
 * {@code tier} and {@code prefix}. They read the counters directly.
 */
final class RedisTierMetrics implements MeterBinder {
  private final RedisTier tier;
  private final TierCounters counters;
  private final CircuitBreaker breaker;
  private final @Nullable WriteBehindQueue writeBehind;
  private final Recovery recovery;

  RedisTierMetrics(
      RedisTier tier,
      TierCounters counters,
      CircuitBreaker breaker,
      @Nullable WriteBehindQueue writeBehind,
      Recovery recovery) {
    this.tier = tier;
    this.counters = counters;
    this.breaker = breaker;
    this.writeBehind = writeBehind;
    this.recovery = recovery;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Tags tags = Tags.of("tier", tier.name(), "prefix", tier.keyPrefix());
    Gauge.builder("cache.tier.redis.breaker.open", breaker, b -> b.isOpen() ? 1 : 0)
        .tags(tags)
        .description("1 while the circuit breaker is open (Redis skipped), else 0")
        .register(registry);
    FunctionCounter.builder("cache.tier.redis.breaker.opened", breaker, CircuitBreaker::openCount)
        .tags(tags)
        .description("Times the circuit breaker opened")
        .register(registry);
    counter(
        registry,
        "cache.tier.redis.commands.failed",
        tags.and("reason", "timeout"),
        counters.commandTimeouts,
        "Commands Redis did not answer within the command timeout");
    counter(
        registry,
        "cache.tier.redis.commands.failed",
        tags.and("reason", "error"),
        counters.commandFailures,
        "Commands that failed (connection refused, reset, ...)");
    counter(
        registry,
        "cache.tier.redis.commands.failed",
        tags.and("reason", "circuit-open"),
        counters.skippedCommands,
        "Commands skipped while the circuit breaker was open");
    if (writeBehind != null) {
      Gauge.builder("cache.tier.redis.writebehind.queued", writeBehind, WriteBehindQueue::size)
          .tags(tags)
          .description("Keys waiting in the write-behind queue")
          .register(registry);
    }
    counter(
        registry,
        "cache.tier.redis.writes.dropped",
        tags,
        counters.droppedWrites,
        "Write-behind writes dropped because the queue was full");
    counter(
        registry,
        "cache.tier.redis.writes.failed",
        tags,
        counters.writeBehindFailures,
        "Write-behind writes that failed when applied");
    counter(
        registry,
        "cache.tier.redis.invalidations",
        tags.and("direction", "published"),
        counters.publishedInvalidations,
        "Invalidation messages published");
    counter(
        registry,
        "cache.tier.redis.invalidations",
        tags.and("direction", "received"),
        counters.receivedInvalidations,
        "Invalidation messages received from other instances");
    counter(
        registry,
        "cache.tier.redis.subscriptions",
        tags,
        counters.subscriptions,
        "Confirmed invalidation subscriptions (more than one: reconnects, each clearing L1)");
    counter(
        registry,
        "cache.tier.redis.leases",
        tags.and("result", "acquired"),
        counters.leasesAcquired,
        "Load leases taken (this instance loaded)");
    counter(
        registry,
        "cache.tier.redis.leases",
        tags.and("result", "waited"),
        counters.leaseWaits,
        "Misses that waited for another instance's load");
    counter(
        registry,
        "cache.tier.redis.leases",
        tags.and("result", "served"),
        counters.leaseWaitsServed,
        "Waits served by another instance's load");
    counter(
        registry,
        "cache.tier.redis.repairs",
        tags.and("kind", "key"),
        counters.repairedKeys,
        "Keys deleted from Redis after a failed write reached it late");
    counter(
        registry,
        "cache.tier.redis.repairs",
        tags.and("kind", "clear"),
        counters.repairedClears,
        "Namespace clears done as a repair");
    counter(
        registry,
        "cache.tier.redis.invalidations.lost",
        tags.and("reason", "gap"),
        counters.gapClears,
        "L1 clears: a gap in another instance's sequence numbers");
    counter(
        registry,
        "cache.tier.redis.invalidations.lost",
        tags.and("reason", "restart"),
        counters.restartClears,
        "L1 clears: another instance restarted (new epoch)");
    counter(
        registry,
        "cache.tier.redis.invalidations.lost",
        tags.and("reason", "silent"),
        counters.silentSenderClears,
        "L1 clears: another instance's heartbeats stopped");
    counter(
        registry,
        "cache.tier.redis.invalidations.lost",
        tags.and("reason", "resubscribe"),
        counters.resubscribeClears,
        "L1 clears: this instance's subscription was lost");
    Gauge.builder("cache.tier.redis.repairs.pending", recovery, Recovery::pendingCount)
        .tags(tags)
        .description("Keys waiting for a repair")
        .register(registry);
  }

  private static void counter(
      MeterRegistry registry, String name, Tags tags, LongAdder adder, String description) {
    FunctionCounter.builder(name, adder, LongAdder::sum)
        .tags(tags)
        .description(description)
        .register(registry);
  }
}
