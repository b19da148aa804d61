package dev.loomcache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Test support: a Redis Cluster of three masters (no replicas), each a {@link RedisServer}, joined
 * with {@code redis-cli --cluster create}.
 */
public final class RedisCluster implements AutoCloseable {
  private final List<RedisServer> nodes = new ArrayList<>();

  public RedisCluster() {
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(RedisServer.startClusterNode());
      }
      var command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      for (RedisServer node : nodes) {
        command.add("127.0.0.1:" + node.port());
      }
      command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(create.getInputStream().readAllBytes());
      if (!create.waitFor(30, TimeUnit.SECONDS) || create.exitValue() != 0) {
        throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
      }
      for (RedisServer node : nodes) {
        Polling.awaitUntil(
            Duration.ofSeconds(20),
            "node " + node.port() + " reports cluster_state:ok",
            () -> clusterInfo(node).contains("cluster_state:ok"));
      }
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  private static String clusterInfo(RedisServer node) {
    try (var jedis = new Jedis(node.hostAndPort(), RedisServer.quickConfig())) {
      return jedis.clusterInfo();
    }
  }

  public Set<HostAndPort> hostsAndPorts() {
    return nodes.stream().map(RedisServer::hostAndPort).collect(Collectors.toSet());
  }

  public List<RedisServer> nodes() {
    return List.copyOf(nodes);
  }

  @Override
  public void close() {
    for (RedisServer node : nodes) {
      node.close();
    }
  }
}
