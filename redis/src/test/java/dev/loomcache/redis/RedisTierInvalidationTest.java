package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.testsupport.Polling;
import dev.loomcache.testsupport.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/** Two "services" on one Redis: each sees the other's changes, also across a lost subscription. */
class RedisTierInvalidationTest {
  private static final Duration PROPAGATION = Duration.ofSeconds(5);

  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();

  private static Services services() {
    return redis.services();
  }

  private static String failIfLoaded() {
    throw new AssertionError("must not load: the value is in Redis");
  }

  /**
   * Makes {@code service}'s cache hold {@code key} in L1, and checks that it does. Retried, because
   * the message of the write that set the value up may still be on its way and drop the copy.
   */
  private static void holdInL1(Services.Service service, String key, String expected) {
    Polling.awaitUntil(
        PROPAGATION,
        "the value of " + key + " stays in L1",
        () -> {
          assertThat(service.cache().get(key, RedisTierInvalidationTest::failIfLoaded))
              .isEqualTo(expected);
          long tierReads = tierReads(service.cache());
          assertThat(service.cache().getIfPresent(key)).isEqualTo(expected);
          return tierReads(service.cache()) == tierReads; // an L1 hit
        });
  }

  private static long tierReads(Cache<String, String> cache) {
    var tier = cache.stats().tierStats().getFirst();
    return tier.hitCount() + tier.missCount() + tier.errorCount();
  }

  @Test
  void put_onOneInstance_isSeenByTheOthersNextGet() {
    var services = services();
    var a = services.start("users:");
    var b = services.start("users:");
    a.cache().put("u1", "v0");
    holdInL1(b, "u1", "v0");

    a.cache().put("u1", "v1");

    Polling.awaitUntil(
        PROPAGATION,
        "b sees a's put",
        () -> "v1".equals(b.cache().get("u1", RedisTierInvalidationTest::failIfLoaded)));
    assertThat(b.tier().stats().receivedInvalidationCount()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void invalidate_onOneInstance_makesTheOtherReload() {
    var services = services();
    var a = services.start("users:");
    var b = services.start("users:");
    a.cache().put("u1", "v0");
    holdInL1(b, "u1", "v0");

    a.cache().invalidate("u1");

    Polling.awaitUntil(
        PROPAGATION,
        "b drops its L1 copy",
        () -> "reloaded".equals(b.cache().get("u1", () -> "reloaded")));
  }

  @Test
  void invalidateAll_onOneInstance_dropsTheOthersL1() {
    var services = services();
    var a = services.start("users:");
    var b = services.start("users:");
    a.cache().put("u1", "v0");
    holdInL1(b, "u1", "v0");

    a.cache().invalidateAll();

    Polling.awaitUntil(
        PROPAGATION,
        "b drops its L1",
        () -> b.cache().estimatedSize() == 0 && b.cache().getIfPresent("u1") == null);
  }

  @Test
  void ownMessages_leaveTheWritersL1Alone() {
    var services = services();
    var a = services.start("users:");
    var b = services.start("users:");

    a.cache().put("u1", "v1");
    Polling.awaitUntil(
        PROPAGATION, "b got a's message", () -> b.tier().stats().receivedInvalidationCount() >= 1);

    long reads = tierReads(a.cache());
    assertThat(a.cache().getIfPresent("u1")).isEqualTo("v1");
    assertThat(tierReads(a.cache())).isEqualTo(reads);
    assertThat(a.tier().stats().receivedInvalidationCount()).isZero();
  }

  @Test
  void subscriberKilled_reconnectsByItself_andDropsL1ForWhatItMayHaveMissed() {
    var services = services();
    var a = services.start("users:");
    var b = services.start("users:");
    var silent = services.startSilent("users:");
    a.cache().put("u1", "v0");
    holdInL1(b, "u1", "v0");

    silent.cache().put("u1", "changed without a message"); // as if b had missed the message
    assertThat(b.cache().getIfPresent("u1")).isEqualTo("v0");
    try (var admin = new Jedis(redis.server().hostAndPort(), RedisServer.quickConfig())) {
      admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
    }

    Polling.awaitUntil(
        PROPAGATION,
        "b subscribes again",
        () -> b.tier().stats().subscriptionCount() >= 2 && b.tier().isSubscribed());
    assertThat(b.cache().get("u1", RedisTierInvalidationTest::failIfLoaded))
        .isEqualTo("changed without a message");

    Polling.awaitUntil(
        PROPAGATION,
        "a subscribes again",
        () -> a.tier().stats().subscriptionCount() >= 2 && a.tier().isSubscribed());
    holdInL1(b, "u1", "changed without a message");
    a.cache().put("u1", "v2");
    Polling.awaitUntil(
        PROPAGATION,
        "b sees a's put over the new subscription",
        () -> "v2".equals(b.cache().get("u1", RedisTierInvalidationTest::failIfLoaded)));
  }
}
