package dev.loomcache.redis;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import redis.clients.jedis.RedisClient;

/**
 * Test support: a separate JVM that takes a lock and holds it (its watchdog renewing) until told on
 * standard input to release it; a test pauses it with SIGSTOP in between. Prints {@code HELD
 * <token>} once it holds the lock and {@code RELEASED <true|false> <isHeld>} after releasing.
 */
public final class LockHolderProcess {
  private LockHolderProcess() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String name = args[1];
    Duration lease = Duration.ofMillis(Long.parseLong(args[2]));
    try (var client = RedisClient.create("127.0.0.1", port);
        var locks = RedisLocks.newBuilder(client).build()) {
      RedisLock.Held held = locks.lock(name, lease, Duration.ofSeconds(10));
      System.out.println("HELD " + held.fencingToken());
      System.out.flush();
      var in = new BufferedReader(new InputStreamReader(System.in));
      String command = in.readLine();
      if ("RELEASE".equals(command)) {
        boolean stillHeld = held.isHeld();
        System.out.println("RELEASED " + held.release() + " " + stillHeld);
        System.out.flush();
      }
    }
  }
}
