package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Polling;
import dev.loomcache.testsupport.RedisCluster;
import dev.loomcache.testsupport.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Four instances in four JVMs (two writers, two readers) share one real redis-server (then a
 * 3-master cluster) while faults are injected; a checker then counts reads that returned a version
 * older than one whose write or invalidation Redis had acknowledged more than the bound earlier.
 * The bound is {@code maxLocalStaleness} plus slack for a loaded machine: the guarantee is pub/sub
 * delivery time when messages arrive, {@code maxLocalStaleness} when they are lost.
 *
 * <p>Each phase runs {@code loomcache.consistency.phaseMillis} (short in {@code verify}; the {@code
 * consistency-long} profile runs longer). The phases run one after the other on the same four
 * processes, which move from the standalone server to the cluster, so the short form pays for JVM
 * start-up once.
 */
class MultiProcessConsistencyTest {
  private static final long PHASE_MILLIS = Long.getLong("loomcache.consistency.phaseMillis", 1_000);
  private static final long MAX_LOCAL_STALENESS_MILLIS = 1_000;
  private static final long SLACK_MILLIS = 1_000;
  private static final long BOUND_NANOS =
      TimeUnit.MILLISECONDS.toNanos(MAX_LOCAL_STALENESS_MILLIS + SLACK_MILLIS);
  private static final int WRITERS = 2;
  private static final int READERS = 2;
  private static final int KEYS_PER_WRITER = 20;

  @TempDir Path dir;

  /** What one phase found, for the report and the assertions. */
  record Report(
      String phase,
      long operations,
      long invalidations,
      long staleBeyondBound,
      long maxStalenessMillis,
      long lostClears,
      long gapClears,
      long reads) {
    @Override
    public String toString() {
      return String.format(
          "%-14s ops=%d invalidations=%d reads=%d staleBeyondBound=%d"
              + " maxStaleness=%dms lostInvalidationClears=%d gapClears=%d",
          phase,
          operations,
          invalidations,
          reads,
          staleBeyondBound,
          maxStalenessMillis,
          lostClears,
          gapClears);
    }
  }

  // Four cold JVMs take 20-35 s to start on the project's loaded 2-core machine, more than the
  // 60 s default timeout leaves for the phases; the phases themselves take about 12 s.
  @SuppressWarnings("try") // the group is closed before its servers stop, then again by try
  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void fourInstances_standaloneThenCluster_underFaults_serveNoReadStaleBeyondTheBound()
      throws Exception {
    var reports = new ArrayList<Report>();
    try (var db = RedisServer.start();
        var group = new Group(db)) {
      try (var cacheServer = RedisServer.start()) {
        group.connect("127.0.0.1:" + cacheServer.port());
        group.phase("warm-up", () -> {}); // JIT and class loading in four cold JVMs: not judged
        reports.add(group.phase("clean", () -> {}));
        reports.add(group.phase("pubsub-kill", () -> killSubscribers(cacheServer)));
        setBufferLimit(cacheServer, "pubsub 1kb 1kb 0");
        reports.add(group.phase("tiny-buffer", () -> overflowSubscribers(cacheServer)));
        setBufferLimit(cacheServer, "pubsub 32mb 8mb 60");
        // Twice as long: the instances reconnect after the restart within the phase.
        reports.add(
            group.phase("stop-restart", 2 * PHASE_MILLIS, () -> stopAndRestart(cacheServer)));
        try (var cluster = new RedisCluster()) {
          group.connect(
              "cluster:"
                  + cluster.hostsAndPorts().stream()
                      .map(h -> h.getHost() + ":" + h.getPort())
                      .collect(Collectors.joining(",")));
          reports.add(group.phase("cluster-clean", () -> {}));
          reports.add(
              group.phase(
                  "cluster-kill",
                  () -> cluster.nodes().forEach(MultiProcessConsistencyTest::killSubscribers)));
          group.close(); // before the servers stop, so that the instances close cleanly
        }
      }
    } finally {
      report(reports);
    }
    assertThat(reports)
        .hasSize(6)
        .allSatisfy(r -> {
          assertThat(r.staleBeyondBound()).as(r.toString()).isZero();
          assertThat(r.reads()).as(r.toString()).isPositive();
          assertThat(r.invalidations()).as(r.toString()).isPositive();
        });
    // The faults cost the readers their L1 (each a counted clear): they were real faults.
    for (int fault : new int[] {1, 2, 3, 5}) {
      assertThat(reports.get(fault).lostClears()).as(reports.get(fault).toString()).isPositive();
    }
  }

  private static void report(List<Report> reports) {
    reports.forEach(r -> System.out.println("[consistency] " + r));
  }

  private static Jedis admin(RedisServer server) {
    return new Jedis(server.hostAndPort(), RedisServer.quickConfig());
  }

  private static void killSubscribers(RedisServer server) {
    try (var jedis = admin(server)) {
      jedis.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
    } catch (RuntimeException e) {
      // a node that does not answer right now: the next round tries again
    }
  }

  private static void setBufferLimit(RedisServer server, String limit) {
    try (var jedis = admin(server)) {
      jedis.configSet("client-output-buffer-limit", limit);
    }
  }

  /** A burst larger than a tiny pubsub buffer limit: Redis drops every subscriber it reaches. */
  private static void overflowSubscribers(RedisServer server) {
    try (var jedis = admin(server)) {
      jedis.publish("loomcache:invalidations:cc:", "x".repeat(64 * 1024)); // malformed: ignored
    } catch (RuntimeException e) {
      // retried next round
    }
  }

  /** Pauses the server (SIGSTOP) for 0.6 s, resumes it, then kills it and restarts it empty. */
  private static void stopAndRestart(RedisServer server) {
    server.pause();
    Polling.pause(Duration.ofMillis(600)); // the fault itself: a Redis that stops answering
    server.resume();
    server.kill();
    server.restart();
  }

  /** The four child JVMs, and the checker over their logs. */
  private final class Group implements AutoCloseable {
    private final List<Child> children = new ArrayList<>();

    Group(RedisServer db) throws IOException {
      for (int i = 0; i < WRITERS + READERS; i++) {
        boolean writer = i < WRITERS;
        children.add(
            new Child(writer ? "writer" : "reader", Integer.toString(i), "127.0.0.1:" + db.port()));
      }
    }

    /** Has every instance (re)build its cache on {@code cacheHosts}; waits until all are ready. */
    void connect(String cacheHosts) throws IOException {
      long started = System.nanoTime();
      for (Child child : children) {
        child.send("CONNECT " + cacheHosts);
      }
      for (Child child : children) {
        child.expect("READY");
        child.lostBefore = 0; // a new tier: its counters start again
        child.gapsBefore = 0;
      }
      System.out.println(
          "[consistency] four instances ready on "
              + cacheHosts
              + " in "
              + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
              + " ms");
    }

    Report phase(String phase, Runnable fault) throws IOException {
      return phase(phase, PHASE_MILLIS, fault);
    }

    /**
     * Runs one phase of {@code millis} with {@code fault} injected every 300 ms (none in the last
     * 400 ms, so that the instances can recover within the phase), and checks it.
     */
    Report phase(String phase, long millis, Runnable fault) throws IOException {
      for (Child child : children) {
        child.send("RUN " + phase + " " + millis);
      }
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (System.nanoTime() - end < 0) {
        Polling.pause(Duration.ofMillis(300));
        if (System.nanoTime() - end < -TimeUnit.MILLISECONDS.toNanos(400)) {
          fault.run();
        }
      }
      long ops = 0;
      long invalidations = 0;
      long lost = 0;
      long gaps = 0;
      for (Child child : children) {
        String[] done = child.expect("DONE " + phase).split(" ");
        ops += Long.parseLong(done[2]);
        invalidations += Long.parseLong(done[3]);
        if (!child.writer) {
          lost += Long.parseLong(done[4]) - child.lostBefore;
          gaps += Long.parseLong(done[5]) - child.gapsBefore;
          child.lostBefore = Long.parseLong(done[4]);
          child.gapsBefore = Long.parseLong(done[5]);
        }
        child.phases.add(phase);
      }
      return check(phase, ops, invalidations, lost, gaps);
    }

    /**
     * For each read of version v begun at t: if Redis acknowledged a newer version of the key at
     * some a ≤ t, the read was t − a stale (a being the first such acknowledgement).
     */
    private Report check(String phase, long ops, long invalidations, long lost, long gaps)
        throws IOException {
      Map<String, Map<Long, Long>> acked = new HashMap<>(); // key -> version -> ack nanos
      for (Child child : children) {
        if (!child.writer) {
          continue;
        }
        for (String done : child.phases) {
          for (String line : Files.readAllLines(dir.resolve(child.id + "-" + done + ".log"))) {
            String[] f = line.split(" ");
            if (f[0].equals("W")) {
              acked
                  .computeIfAbsent(f[1], k -> new HashMap<>())
                  .put(Long.parseLong(f[2]), Long.parseLong(f[3]));
            }
          }
        }
      }
      // Per key: versions ascending, and the earliest acknowledgement of any later version.
      Map<String, long[][]> newer = new HashMap<>();
      acked.forEach((key, byVersion) -> {
        long[] versions = byVersion.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        long[] earliestFrom = new long[versions.length];
        long earliest = Long.MAX_VALUE;
        for (int i = versions.length - 1; i >= 0; i--) {
          earliest = Math.min(earliest, byVersion.get(versions[i]));
          earliestFrom[i] = earliest;
        }
        newer.put(key, new long[][] {versions, earliestFrom});
      });
      long stale = 0;
      long maxStaleness = 0;
      long reads = 0;
      for (Child child : children) {
        if (child.writer) {
          continue;
        }
        for (String line : Files.readAllLines(dir.resolve(child.id + "-" + phase + ".log"))) {
          String[] f = line.split(" ");
          reads++;
          long version = Long.parseLong(f[2]);
          long started = Long.parseLong(f[3]);
          long[][] table = newer.get(f[1]);
          if (table == null) {
            continue;
          }
          int at = Arrays.binarySearch(table[0], version + 1);
          int first = at >= 0 ? at : -at - 1; // the first acknowledged version above the one read
          if (first < table[0].length && started - table[1][first] > 0) {
            long staleness = started - table[1][first];
            maxStaleness = Math.max(maxStaleness, staleness);
            if (staleness > BOUND_NANOS) {
              stale++;
            }
          }
        }
      }
      return new Report(
          phase,
          ops,
          invalidations,
          stale,
          TimeUnit.NANOSECONDS.toMillis(maxStaleness),
          lost,
          gaps,
          reads);
    }

    @Override
    public void close() {
      for (Child child : children) {
        child.close();
      }
      children.clear(); // idempotent
    }
  }

  /** One child JVM, spoken to over its standard input and output. */
  private final class Child implements AutoCloseable {
    final boolean writer;
    final String id;
    final Process process;
    final BufferedReader out;
    final PrintStream in;
    final List<String> phases = new ArrayList<>();
    long lostBefore;
    long gapsBefore;

    Child(String role, String id, String dbHost) throws IOException {
      this.writer = role.equals("writer");
      this.id = id;
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      this.process =
          new ProcessBuilder(
                  java,
                  "-Xmx128m",
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-cp",
                  System.getProperty("java.class.path"),
                  ConsistencyWorker.class.getName(),
                  role,
                  id,
                  dbHost,
                  dir.toString(),
                  Integer.toString(WRITERS),
                  Integer.toString(KEYS_PER_WRITER),
                  Long.toString(MAX_LOCAL_STALENESS_MILLIS))
              .redirectError(dir.resolve("child-" + id + ".err").toFile())
              .start();
      this.out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    void send(String command) {
      in.println(command);
    }

    /** Reads lines until one starts with {@code prefix}; fails if the child exits first. */
    String expect(String prefix) throws IOException {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
      throw new AssertionError(
          "child "
              + id
              + " exited before '"
              + prefix
              + "': "
              + readQuietly(dir.resolve("child-" + id + ".err")));
    }

    @Override
    public void close() {
      try {
        send("EXIT");
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String readQuietly(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
