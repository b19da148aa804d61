package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.limit.RateLimiter;
import dev.loomcache.testsupport.RedisCluster;
import dev.loomcache.testsupport.RedisServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;

/** Rate limits and locks on a Redis Cluster of three masters, through two cluster clients. */
class RedisLimitsClusterTest {
  private static RedisCluster cluster;
  private static RedisClusterClient clientA;
  private static RedisClusterClient clientB;

  @BeforeAll
  static void startCluster() {
    cluster = new RedisCluster();
    clientA = RedisClusterClient.create(cluster.hostsAndPorts());
    clientB = RedisClusterClient.create(cluster.hostsAndPorts());
  }

  @AfterAll
  static void stopCluster() {
    clientA.close();
    clientB.close();
    cluster.close();
  }

  @Test
  void rateLimiter_twoClientsOnCluster_shareEachKeysLimit() {
    for (boolean sliding : new boolean[] {false, true}) {
      String prefix = sliding ? "cs:" : "cf:";
      RateLimiter a =
          build(RedisRateLimiter.newBuilder(clientA), sliding).keyPrefix(prefix).build();
      RateLimiter b =
          build(RedisRateLimiter.newBuilder(clientB), sliding).keyPrefix(prefix).build();
      for (int k = 0; k < 30; k++) {
        int allowed = 0;
        for (int call = 0; call < 10; call++) {
          if ((call % 2 == 0 ? a : b).tryAcquire("user-" + k)) {
            allowed++;
          }
        }
        assertThat(allowed).as("key %d, sliding=%s", k, sliding).isEqualTo(3);
      }
      var nodes = new HashSet<Integer>();
      assertThat(keysOnEveryNode(prefix + "*", nodes)).hasSize(30);
      assertThat(nodes).hasSizeGreaterThan(1); // the keys live on several masters
    }
  }

  private static RedisRateLimiterBuilder build(RedisRateLimiterBuilder builder, boolean sliding) {
    return sliding
        ? builder.slidingWindow(3, Duration.ofHours(1))
        : builder.fixedWindow(3, Duration.ofHours(1));
  }

  @Test
  void locks_onCluster_lockAndFenceKeysShareASlot() {
    try (var a = RedisLocks.newBuilder(clientA).build();
        var b = RedisLocks.newBuilder(clientB).build()) {
      var names = new HashSet<String>();
      for (int i = 0; i < 20; i++) {
        String name = "job-" + i;
        names.add(name);
        try (RedisLock.Held first = a.lock(name, Duration.ofSeconds(10), Duration.ZERO)) {
          assertThat(b.tryLock(name, Duration.ofSeconds(10))).isEmpty();
          assertThat(b.isLocked(name)).isTrue();
          first.release();
          try (RedisLock.Held second =
              b.lock(name, Duration.ofSeconds(10), Duration.ofSeconds(5))) {
            assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
          }
        }
      }
      var nodes = new HashSet<Integer>();
      assertThat(keysOnEveryNode("locks:*:fence", nodes)).hasSize(names.size());
      assertThat(nodes).hasSizeGreaterThan(1);
    }
  }

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
}
