package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.Cache;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.Polling;
import dev.loomcache.testsupport.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Lost invalidations are found and repaired: each case changes a value in Redis without telling b
 * (a silent writer), as if b had lost the message, then shows the evidence b acts on.
 */
class RedisTierLostInvalidationTest {
  private static final Duration PROPAGATION = Duration.ofSeconds(10);
  private static final String CHANNEL = "loomcache:invalidations:users:";

  @RegisterExtension static final RedisExtension redis = RedisExtension.perTest();

  private static String failIfLoaded() {
    throw new AssertionError("must not load: the value is in Redis");
  }

  private static long tierReads(Cache<String, String> cache) {
    var tier = cache.stats().tierStats().getFirst();
    return tier.hitCount() + tier.missCount() + tier.errorCount();
  }

  /** b holds u1=v0 in L1, and Redis holds "changed" that b was never told of. */
  private static void staleInL1(Services.Service b) {
    var services = redis.services();
    var silent = services.startSilent("users:");
    silent.cache().put("u1", "v0");
    assertThat(b.cache().get("u1", RedisTierLostInvalidationTest::failIfLoaded)).isEqualTo("v0");
    long reads = tierReads(b.cache());
    assertThat(b.cache().getIfPresent("u1")).isEqualTo("v0");
    assertThat(tierReads(b.cache())).isEqualTo(reads); // from L1
    silent.cache().put("u1", "changed");
    assertThat(b.cache().getIfPresent("u1")).isEqualTo("v0"); // stale until repaired
  }

  private static void publish(String message) {
    redis.raw().publish(CHANNEL, message);
  }

  @Test
  void heartbeatWhoseWatermarkPassesUnseenNumbers_clearsL1_asAGap() {
    var b = redis.services().start("users:");
    publish("peer 1 0\nh1000"); // a peer we know, with nothing sent yet
    Polling.awaitUntil(PROPAGATION, "b heard the peer", () -> b.tier().isSubscribed());
    staleInL1(b);

    publish("peer 1 3\nh1000"); // changes 1..3 were published and none reached b

    Polling.awaitUntil(
        PROPAGATION, "b drops its L1 on the gap", () -> b.tier().stats().gapClearCount() == 1);
    assertThat(b.cache().get("u1", RedisTierLostInvalidationTest::failIfLoaded))
        .isEqualTo("changed");
    assertThat(b.tier().stats().lostInvalidationClearCount()).isEqualTo(1);
  }

  @Test
  void changesThatArriveInOrder_clearNothingBeyondTheirKeys() {
    var services = redis.services();
    var a = services.start("users:", t -> t.heartbeatInterval(Duration.ofMillis(50)));
    var b = services.start("users:", t -> t.heartbeatInterval(Duration.ofMillis(50)));
    for (int i = 0; i < 50; i++) {
      a.cache().put("k" + i, "v" + i);
    }
    Polling.awaitUntil(
        PROPAGATION,
        "b received a's 50 changes",
        () -> b.tier().stats().receivedInvalidationCount() >= 50);
    // Let several of a's heartbeats (watermark 50) reach b: ten round trips of changes a -> b.
    for (int i = 0; i < 10; i++) {
      a.cache().put("tick", "t" + i);
      long expected = 51 + i;
      Polling.awaitUntil(
          PROPAGATION,
          "b heard tick " + i,
          () -> b.tier().stats().receivedInvalidationCount() >= expected);
    }
    // No false alarm from the sequence checks (a first subscription confirmed late, on a loaded
    // machine, may still clear once as a resubscription: that is not what this test is about).
    for (var service : List.of(a, b)) {
      var stats = service.tier().stats();
      assertThat(stats.gapClearCount() + stats.restartClearCount() + stats.silentSenderClearCount())
          .as(stats.toString())
          .isZero();
    }
  }

  @Test
  void senderSeenWithANewEpoch_clearsL1_asARestart() {
    var b = redis.services().start("users:");
    publish("peer 1 0\nh1000");
    staleInL1(b);

    publish("peer 2 0\nh1000"); // same id, new epoch: whatever it sent before may be lost

    Polling.awaitUntil(
        PROPAGATION,
        "b drops its L1 on the restart",
        () -> b.tier().stats().restartClearCount() == 1);
    assertThat(b.cache().get("u1", RedisTierLostInvalidationTest::failIfLoaded))
        .isEqualTo("changed");
  }

  @Test
  void senderWhoseHeartbeatsStop_clearsL1_asSilent() {
    var b = redis.services().start("users:", t -> t.heartbeatInterval(Duration.ofMillis(50)));
    staleInL1(b);

    publish("peer 1 0\nh20"); // heartbeats every 20 ms announced, then none: silent after 1.06 s

    Polling.awaitUntil(
        PROPAGATION,
        "b drops its L1 for the silent sender",
        () -> b.tier().stats().silentSenderClearCount() == 1);
    assertThat(b.cache().get("u1", RedisTierLostInvalidationTest::failIfLoaded))
        .isEqualTo("changed");
  }

  @Test
  void senderThatSaysGoodbye_isForgotten_withoutClearing() {
    var services = redis.services();
    var a = services.start("users:", t -> t.heartbeatInterval(Duration.ofMillis(50)));
    var b = services.start("users:", t -> t.heartbeatInterval(Duration.ofMillis(50)));
    Polling.awaitUntil(
        PROPAGATION,
        "b heard a's heartbeat",
        () -> {
          a.cache().put("hello", "x"); // any message: b now knows a
          return b.tier().stats().receivedInvalidationCount() >= 1;
        });
    a.cache().close();
    // A sentinel after the goodbye: once b hears it, the goodbye was handled; then wait three of
    // a's intervals and more (b sweeps every 50 ms) by waiting for b's own heartbeats to cycle.
    var c = services.start("users:", t -> t.heartbeatInterval(Duration.ofMillis(50)));
    c.cache().put("sentinel", "y");
    Polling.awaitUntil(
        PROPAGATION,
        "b heard the sentinel",
        () -> b.tier().stats().receivedInvalidationCount() >= 2);
    long subscriptionsBefore = b.tier().stats().subscriptionCount();
    for (int i = 0; i < 10; i++) { // ten round trips of changes c -> b: 10 x b's sweep at least
      int n = i;
      c.cache().put("tick", "t" + n);
      long expected = 3 + n;
      Polling.awaitUntil(
          PROPAGATION,
          "b heard tick " + n,
          () -> b.tier().stats().receivedInvalidationCount() >= expected);
    }
    assertThat(b.tier().stats().silentSenderClearCount()).isZero();
    assertThat(b.tier().stats().subscriptionCount()).isEqualTo(subscriptionsBefore);
  }

  @Test
  void ownSubscriptionLost_clearsL1_andIsCountedAsAResubscription() {
    var b = redis.services().start("users:");
    staleInL1(b);

    try (var admin = new Jedis(redis.server().hostAndPort(), RedisServer.quickConfig())) {
      admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
    }

    Polling.awaitUntil(
        PROPAGATION,
        "b subscribes again and drops its L1",
        () -> b.tier().stats().resubscribeClearCount() == 1 && b.tier().isSubscribed());
    assertThat(b.cache().get("u1", RedisTierLostInvalidationTest::failIfLoaded))
        .isEqualTo("changed");
  }

  @Test
  void maxLocalStaleness_rereadsAnL1EntryFromRedis_whenEveryMessageIsLost() {
    var ticker = new RedisTierReadWriteTest.FakeTicker();
    var b =
        redis
            .services()
            .start(
                "users:",
                t -> t.maxLocalStaleness(Duration.ofSeconds(2)),
                ticker,
                ValueCodec.string());
    staleInL1(b);
    assertThat(b.tier().maxLocalLifetime()).isEqualTo(Duration.ofSeconds(2));

    ticker.advance(Duration.ofMillis(1_900));
    assertThat(b.cache().getIfPresent("u1")).isEqualTo("v0"); // within the bound: L1 may serve it
    ticker.advance(Duration.ofMillis(200));

    assertThat(b.cache().get("u1", RedisTierLostInvalidationTest::failIfLoaded))
        .isEqualTo("changed");
  }

  @Test
  void maxLocalStaleness_defaultsToFiveSeconds_andCapsALongerCacheTtl() {
    var ticker = new RedisTierReadWriteTest.FakeTicker();
    var b = redis.services().start("users:", t -> t, ticker, ValueCodec.string());
    assertThat(b.tier().maxLocalLifetime()).isEqualTo(Duration.ofSeconds(5));
    staleInL1(b);
    ticker.advance(Duration.ofMillis(5_100));
    assertThat(b.cache().get("u1", RedisTierLostInvalidationTest::failIfLoaded))
        .isEqualTo("changed");
  }

  @Test
  void invalidateAll_isAcknowledgedByEveryOtherInstance() {
    var services = redis.services();
    var a = services.start("users:");
    var b = services.start("users:");
    var c = services.start("users:");
    a.cache().put("u1", "v1");
    Polling.awaitUntil(
        PROPAGATION,
        "b and c hold u1",
        () ->
            "v1".equals(b.cache().get("u1", () -> "x"))
                && "v1".equals(c.cache().get("u1", () -> "x")));

    Flush flush = a.tier().invalidateAll();

    assertThat(flush.reachedCount()).isEqualTo(2);
    assertThat(flush.awaitAcknowledgement(PROPAGATION)).isEqualTo(2);
    // Each confirmed after dropping its L1: nothing is left to serve without a load.
    assertThat(b.cache().estimatedSize()).isZero();
    assertThat(c.cache().estimatedSize()).isZero();
    assertThat(a.cache().estimatedSize()).isZero();
    assertThat(redis.raw().exists("users:u1")).isFalse();
    assertThat(b.tier().stats().acknowledgementSentCount()).isEqualTo(1);
  }

  @Test
  void invalidateAll_withAnInstanceGone_returnsTheConfirmationsThatCame() {
    var services = redis.services();
    var a = services.start("users:");
    services.start("users:");
    try (var mute = new Jedis(redis.server().hostAndPort(), RedisServer.quickConfig())) {
      // A subscriber that never answers (an instance stalled in a GC, say).
      var listening = new CountDownLatch(1);
      var pubsub =
          new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
              listening.countDown();
            }
          };
      Thread subscriber = Thread.ofVirtual().start(() -> mute.subscribe(pubsub, CHANNEL));
      Polling.awaitUntil(
          PROPAGATION, "the mute subscriber listens", () -> listening.getCount() == 0);
      try {
        Flush flush = a.tier().invalidateAll();
        assertThat(flush.reachedCount()).isEqualTo(2);
        assertThat(flush.awaitAcknowledgement(Duration.ofMillis(500))).isEqualTo(1);
      } finally {
        pubsub.unsubscribe();
        subscriber.join(10_000);
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void invalidateAll_withoutCrossInstanceInvalidation_isRefused() {
    var silent = redis.services().startSilent("users:");
    assertThatThrownBy(() -> silent.tier().invalidateAll())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("crossInstanceInvalidation(true)");
  }
}
