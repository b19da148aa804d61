package dev.loomcache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The test servers' ports cannot collide: not with each other (a cluster node's port and bus port
 * used to come from two separate "free port" probes that could return the same port), and not with
 * a port another process took between the probe and the server's bind.
 */
class RedisServerPortsTest {

  @Test
  void take_manyPortsAtOnceAndOneByOne_neverGivesTheSamePortTwice() {
    var seen = new HashSet<Integer>();
    for (int i = 0; i < 100; i++) {
      for (int port : LoopbackPorts.take(3)) {
        assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
      }
      int single = LoopbackPorts.take();
      assertThat(seen.add(single)).as("port %d handed out twice", single).isTrue();
    }
  }

  @Test
  void start_portTakenByAnotherProcess_startsAgainOnAnotherPort() throws IOException {
    try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        var server =
            RedisServer.start(
                firstThenFresh(List.of(taken.getLocalPort()), () -> List.of(LoopbackPorts.take())),
                ports -> List.of())) {
      assertThat(server.port()).isNotEqualTo(taken.getLocalPort());
      assertAnswers(server);
    }
  }

  @Test
  void start_clusterBusPortTaken_startsAgainOnOtherPorts() throws IOException {
    try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = LoopbackPorts.take();
      try (var server =
          RedisServer.start(
              firstThenFresh(List.of(port, taken.getLocalPort()), () -> LoopbackPorts.take(2)),
              ports ->
                  List.of(
                      "--cluster-enabled",
                      "yes",
                      "--cluster-port",
                      Integer.toString(ports.get(1)),
                      "--cluster-config-file",
                      "nodes-" + ports.getFirst() + ".conf"))) {
        assertThat(server.port()).isNotEqualTo(port);
        assertAnswers(server);
      }
    }
  }

  @Test
  void startClusterNode_threeNodes_sixDistinctPorts() {
    var nodes = new ArrayDeque<RedisServer>();
    try {
      var ports = new HashSet<Integer>();
      for (int i = 0; i < 3; i++) {
        var node = RedisServer.startClusterNode();
        nodes.push(node);
        assertThat(ports.add(node.port())).isTrue();
        try (var jedis = new Jedis(node.hostAndPort(), RedisServer.quickConfig())) {
          String myself =
              jedis
                  .clusterNodes()
                  .lines()
                  .filter(line -> line.contains("myself"))
                  .findFirst()
                  .orElseThrow();
          // "<id> 127.0.0.1:<port>@<bus port> myself,master - 0 0 0 connected"
          int busPort = Integer.parseInt(myself.split(" ")[1].split("@")[1].split(",")[0]);
          assertThat(busPort).isNotEqualTo(node.port()).isNotEqualTo(node.port() + 10_000);
          assertThat(ports.add(busPort)).as("bus port %d is another node's port", busPort).isTrue();
        }
      }
    } finally {
      nodes.forEach(RedisServer::close);
    }
  }

  private static Supplier<List<Integer>> firstThenFresh(
      List<Integer> first, Supplier<List<Integer>> fresh) {
    var given = new boolean[1];
    return () -> {
      if (given[0]) {
        return fresh.get();
      }
      given[0] = true;
      return first;
    };
  }

  private static void assertAnswers(RedisServer server) {
    try (var jedis = new Jedis(server.hostAndPort(), RedisServer.quickConfig())) {
      assertThat(jedis.ping()).isEqualTo("PONG");
    }
  }
}
