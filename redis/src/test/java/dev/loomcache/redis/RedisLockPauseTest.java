package dev.loomcache.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * A holder in another JVM is paused (SIGSTOP) for longer than its lease: the lock expires, the next
 * holder gets a larger fencing token, and the old holder, resumed, can neither renew nor release
 * the new holder's lock.
 */
class RedisLockPauseTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();

  @Test
  void holderPausedLongerThanLease_nextHolderFencedHigher_oldReleaseIsANoOp() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LockHolderProcess.class.getName(),
                Integer.toString(redis.server().port()),
                "nightly",
                "500")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (var client = RedisClient.create("127.0.0.1", redis.server().port());
        var locks = RedisLocks.newBuilder(client).build();
        var out = new BufferedReader(new InputStreamReader(holder.getInputStream(), UTF_8));
        Writer in = new OutputStreamWriter(holder.getOutputStream(), UTF_8)) {
      String held = out.readLine();
      assertThat(held).startsWith("HELD ");
      long oldToken = Long.parseLong(held.substring(5));
      assertThat(locks.isLocked("nightly")).isTrue();

      signal("-STOP", holder.pid());
      try {
        // Paused, its watchdog cannot renew: after the 500 ms lease the lock is free again.
        try (RedisLock.Held mine =
            locks.lock("nightly", Duration.ofSeconds(30), Duration.ofSeconds(20))) {
          assertThat(mine.fencingToken()).isGreaterThan(oldToken);
          signal("-CONT", holder.pid());
          in.write("RELEASE\n");
          in.flush();
          // The old holder's release finds another token and leaves it alone.
          assertThat(out.readLine()).startsWith("RELEASED false");
          assertThat(holder.waitFor(20, TimeUnit.SECONDS)).isTrue();
          assertThat(mine.isHeld()).isTrue();
          assertThat(locks.isLocked("nightly")).isTrue();
          assertThat(mine.release()).isTrue();
        }
      } finally {
        signal("-CONT", holder.pid());
      }
    } finally {
      holder.destroyForcibly();
      holder.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder(List.of("kill", signal, Long.toString(pid))).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }
}
