package dev.loomcache.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Ticker;
import dev.loomcache.spi.StoredValue;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.Polling;
import dev.loomcache.testsupport.RedisCluster;
import dev.loomcache.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;

/** The tier on a Redis Cluster of three masters, through {@code RedisClusterClient}. */
class RedisClusterTest {
  private static RedisCluster cluster;
  private static Services services;
  private static final List<RedisClusterClient> clients = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    cluster = new RedisCluster();
    services = new Services(null);
  }

  @AfterAll
  static void stopCluster() {
    services.close();
    clients.forEach(RedisClusterClient::close);
    cluster.close();
  }

  private static Services.Service service(String prefix) {
    var client = RedisClusterClient.create(cluster.hostsAndPorts());
    clients.add(client);
    return services.start(
        client,
        prefix,
        b -> b.distributedSingleFlight(Duration.ofSeconds(5)),
        Ticker.systemTicker(),
        ValueCodec.string());
  }

  /** The keys under {@code pattern} on every node, and which nodes had some. */
  private static Set<String> keysOnEveryNode(String pattern, Set<Integer> nodesWithKeys) {
    var keys = new HashSet<String>();
    for (RedisServer node : cluster.nodes()) {
      try (var jedis = new Jedis(node.hostAndPort(), RedisServer.quickConfig())) {
        var found = jedis.keys(pattern);
        if (!found.isEmpty()) {
          nodesWithKeys.add(node.port());
        }
        keys.addAll(found);
      }
    }
    return keys;
  }

  @Test
  void readWriteInvalidateAndClear_workAcrossTheCluster() {
    var a = service("users:");
    var b = service("users:");
    var client = clients.getFirst();
    client.set("orders:1", "foreign");

    for (int i = 0; i < 100; i++) {
      a.cache().put("u" + i, "v" + i);
    }
    var nodes = new HashSet<Integer>();
    assertThat(keysOnEveryNode("users:*", nodes)).hasSize(100);
    assertThat(nodes).hasSize(3); // the keys are spread over the three masters

    for (int i = 0; i < 100; i++) {
      int n = i;
      assertThat(b.cache().get("u" + i, () -> "loaded" + n)).isEqualTo("v" + i); // L2 hits
    }
    assertThat(b.cache().stats().tierStats().getFirst().hitCount()).isEqualTo(100);

    a.cache().put("u1", "changed");
    Polling.awaitUntil(
        Duration.ofSeconds(5),
        "b sees a's put over cluster pub/sub",
        () -> "changed".equals(b.cache().get("u1", () -> "loaded")));
    a.cache().invalidate("u2");
    Polling.awaitUntil(
        Duration.ofSeconds(5),
        "b drops u2",
        () -> "reloaded".equals(b.cache().get("u2", () -> "reloaded")));
    // b's reload is stored again. Not necessarily the first reload: on a loaded machine b may drop
    // its L1 early (a heartbeat gap), load, and have that load superseded by a's message arriving
    // mid-load; a superseded load is returned but, by design, not stored. The next get stores it.
    Polling.awaitUntil(
        Duration.ofSeconds(10),
        "b's reload of u2 is stored in Redis",
        () -> {
          assertThat(b.cache().get("u2", () -> "reloaded")).isEqualTo("reloaded");
          return client.exists("users:u2");
        });

    a.cache().invalidateAll();
    assertThat(keysOnEveryNode("users:*", new HashSet<>())).isEmpty();
    assertThat(client.get("orders:1")).isEqualTo("foreign");
    Polling.awaitUntil(
        Duration.ofSeconds(5), "b drops its L1", () -> b.cache().estimatedSize() == 0);
  }

  @Test
  void leases_takeAndReleaseOnTheKeysNode() {
    var a = service("leases:");
    var client = clients.getFirst();
    assertThat(a.tier().read("k")).isNull(); // a plain read never takes the lease
    assertThat(client.exists("leases:__lease:k")).isFalse();
    assertThat(a.tier().readForLoad("k")).isNull();
    assertThat(client.exists("leases:__lease:k")).isTrue();

    a.tier().write("k", StoredValue.of("v".getBytes(UTF_8), StoredValue.NEVER_EXPIRES));

    assertThat(client.exists("leases:__lease:k")).isFalse();
    assertThat(new String(a.tier().read("k").bytes(), UTF_8)).isEqualTo("v");
  }

  @Test
  void invalidations_useShardedPubSub_onRedis7_withSequencesIntact() {
    var a = service("sharded:");
    var b = service("sharded:");
    assertThat(a.tier().usesShardedPubSub()).isTrue();
    assertThat(b.tier().usesShardedPubSub()).isTrue();
    a.cache().put("u1", "v0");
    Polling.awaitUntil(
        Duration.ofSeconds(5),
        "b holds u1",
        () -> "v0".equals(b.cache().get("u1", () -> "loaded")));

    a.cache().put("u1", "v1");

    Polling.awaitUntil(
        Duration.ofSeconds(5),
        "b sees a's put over SPUBLISH",
        () -> "v1".equals(b.cache().get("u1", () -> "loaded")));
    assertThat(b.tier().stats().receivedInvalidationCount()).isGreaterThanOrEqualTo(1);
    assertThat(b.tier().stats().gapClearCount()).isZero();
    // The shard channel lives on one node only: classic PUBLISH there reaches no sharded
    // subscriber.
    Flush flush = a.tier().invalidateAll();
    assertThat(flush.awaitAcknowledgement(Duration.ofSeconds(5))).isGreaterThanOrEqualTo(1);
  }
}
