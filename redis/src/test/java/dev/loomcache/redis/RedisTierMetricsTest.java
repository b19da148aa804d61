package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Polling;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tier's own meters read its live counters. */
class RedisTierMetricsTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();

  @Test
  void meters_followTheTiersCounters() {
    var registry = new SimpleMeterRegistry();
    var a =
        redis
            .services()
            .start("users:", b -> b.meterRegistry(registry).writeMode(WriteMode.WRITE_BEHIND));
    var b = redis.services().start("users:");

    a.cache().put("u1", "v1");
    a.cache().invalidate("u2");
    // The publisher counts a message once PUBLISH has returned, which may be after the other
    // instance received it: wait for both sides.
    Polling.awaitUntil(
        Duration.ofSeconds(5),
        "both writes are published and received",
        () -> b.tier().stats().receivedInvalidationCount() >= 2 && published(registry) >= 2);

    assertThat(published(registry)).isEqualTo(2.0);
    assertThat(registry.get("cache.tier.redis.breaker.open").gauge().value()).isZero();
    assertThat(registry.get("cache.tier.redis.writebehind.queued").gauge().value()).isZero();
    assertThat(registry.get("cache.tier.redis.writes.dropped").functionCounter().count()).isZero();
    assertThat(registry.get("cache.tier.redis.subscriptions").functionCounter().count())
        .isEqualTo(1.0);
    assertThat(
            registry
                .get("cache.tier.redis.commands.failed")
                .tags("reason", "timeout")
                .functionCounter()
                .count())
        .isZero();
  }

  private static double published(SimpleMeterRegistry registry) {
    return registry
        .get("cache.tier.redis.invalidations")
        .tags("tier", "redis", "prefix", "users:", "direction", "published")
        .functionCounter()
        .count();
  }
}
