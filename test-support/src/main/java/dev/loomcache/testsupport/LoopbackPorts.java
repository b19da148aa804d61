package dev.loomcache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test support: free loopback ports for the servers the tests start, found by binding them (port 0:
 * the OS picks one nobody holds).
 *
 * <p>Two guarantees a plain "bind port 0, close, return the port" helper lacks. Ports asked for
 * together (a cluster node's port and its bus port) are held bound at the same time, so they
 * differ. And no port is handed out twice in this JVM, even after its server stopped, so a node's
 * bus port (given explicitly, never the implicit port+10000) cannot be another test's server port.
 * Another process may still take a port between our close and the server's bind: {@link
 * RedisServer} starts again on new ports when that happens.
 */
public final class LoopbackPorts {
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private LoopbackPorts() {}

  /** One free loopback port never handed out before in this JVM. */
  public static int take() {
    return take(1).getFirst();
  }

  /** {@code count} distinct free loopback ports, none handed out before in this JVM. */
  public static List<Integer> take(int count) {
    var held = new ArrayList<ServerSocket>();
    try {
      var ports = new ArrayList<Integer>();
      while (ports.size() < count) {
        var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(socket); // held until all are found: the OS cannot give the same port twice
        if (HANDED_OUT.add(socket.getLocalPort())) {
          ports.add(socket.getLocalPort());
        }
      }
      return List.copyOf(ports);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not bind a loopback port", e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException e) {
          // the port is still ours to hand out; a close failure changes nothing for the caller
        }
      }
    }
  }
}
