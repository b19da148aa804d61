package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.RedisCluster;
import dev.loomcache.testsupport.RedisServer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code RedisTier.fromUri("redis-cluster://...")} against a real three-master cluster. */
class RedisTierFromUriClusterTest {

  @Test
  void fromUri_cluster_spreadsKeysOverTheMastersAndReadsThemBack() {
    try (var cluster = new RedisCluster()) {
      String nodes =
          cluster.hostsAndPorts().stream()
              .limit(2)
              .map(node -> "127.0.0.1:" + node.getPort())
              .collect(Collectors.joining(","));
      String uri = "redis-cluster://" + nodes + "?keyPrefix=cl:&commandTimeout=1s";
      try (Cache<String, String> writer = cache(uri);
          Cache<String, String> reader = cache(uri)) {
        for (int i = 0; i < 60; i++) {
          writer.put("key-" + i, "value-" + i);
        }
        for (int i = 0; i < 60; i++) {
          assertThat(reader.getIfPresent("key-" + i)).isEqualTo("value-" + i);
        }
        assertThat(reader.stats().tierStats().getFirst().hitCount()).isEqualTo(60);
      }
      long mastersWithKeys =
          cluster.nodes().stream()
              .filter(node -> {
                try (var jedis =
                    new redis.clients.jedis.Jedis(node.hostAndPort(), RedisServer.quickConfig())) {
                  return !jedis.keys("cl:*").isEmpty();
                }
              })
              .count();
      assertThat(mastersWithKeys).isEqualTo(3);
    }
  }

  private static Cache<String, String> cache(String uri) {
    return Loomcache.newBuilder()
        .keyCodec(KeyCodec.string())
        .valueCodec(ValueCodec.string())
        .tier(RedisTier.fromUri(uri).build())
        .build();
  }
}
