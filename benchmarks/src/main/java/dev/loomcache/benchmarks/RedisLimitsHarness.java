package dev.loomcache.benchmarks;

import static java.util.Objects.requireNonNull;

import dev.loomcache.limit.RateLimiter;
import dev.loomcache.redis.RedisLock;
import dev.loomcache.redis.RedisLocks;
import dev.loomcache.redis.RedisRateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * Redis rate-limit decisions and lock acquire+release next to the floor, a raw Jedis {@code
 * EVALSHA} of {@code return 1}: one JVM, one {@code redis-server} (started here on a free loopback
 * port), one client, the subjects taken in turn in alternating rounds so that a busy machine slows
 * them alike. Per subject: p50 and p99 of single calls over every round, the script's time inside
 * Redis ({@code INFO commandstats}) and the round trips per operation, counted on the client (a
 * connection provider that counts each command sent; nothing here pipelines).
 *
 * <p>Arguments: rounds, calls per subject and round. Targets (issue 16): a decision's p50 ≤ 1.2×
 * the floor's; lock acquire+release ≤ 2 round trips.
 */
public final class RedisLimitsHarness {
  private static final String FLOOR = "rawEvalsha";

  private RedisLimitsHarness() {}

  /** The measured subjects, in the order of the report: id, label, configuration. */
  static final List<String[]> SUBJECTS =
      List.of(
          new String[] {
            FLOOR,
            "raw Jedis EVALSHA (the floor)",
            "client.evalsha(sha of \"return 1\", [\"k\"], [])"
          },
          new String[] {
            "fixedDecision",
            "RedisRateLimiter, fixed window",
            "fixedWindow(Integer.MAX_VALUE, 1 h), acquire(\"user-1\")"
          },
          new String[] {
            "fixedBanDecision",
            "RedisRateLimiter, fixed window with a ban",
            "fixedWindow(Integer.MAX_VALUE, 1 h).banFor(10 min), acquire(\"user-1\")"
          },
          new String[] {
            "slidingDecision",
            "RedisRateLimiter, sliding window",
            "slidingWindow(Integer.MAX_VALUE, 1 h), acquire(\"user-1\")"
          },
          new String[] {
            "lockAcquireRelease",
            "RedisLocks, lock + release, uncontended",
            "lock(\"job\", 30 s, maxWait 0) then close()"
          });

  /** A connection provider that counts the commands sent through it. */
  private static final class Counting implements ConnectionProvider {
    final PooledConnectionProvider pool;
    final AtomicLong commands = new AtomicLong();

    Counting(HostAndPort server) {
      pool = new PooledConnectionProvider(server);
    }

    @Override
    public Connection getConnection() {
      commands.incrementAndGet();
      return pool.getConnection();
    }

    @Override
    public Connection getConnection(CommandArguments args) {
      commands.incrementAndGet();
      return pool.getConnection(args);
    }

    @Override
    public Map<?, ?> getConnectionMap() {
      return pool.getConnectionMap();
    }

    @Override
    public Map<?, ?> getPrimaryNodesConnectionMap() {
      return pool.getPrimaryNodesConnectionMap();
    }

    @Override
    public void close() {
      pool.close();
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: RedisLimitsHarness rounds callsPerRound");
    }
    int rounds = Integer.parseInt(args[0]);
    int calls = Integer.parseInt(args[1]);
    int port = LoopbackRedis.freePort();
    Process server = LoopbackRedis.start(port);
    try {
      run(port, rounds, calls);
    } finally {
      server.destroyForcibly();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void run(int port, int rounds, int calls) throws InterruptedException {
    var counting = new Counting(new HostAndPort("127.0.0.1", port));
    try (RedisClient client = RedisClient.builder().connectionProvider(counting).build();
        RateLimiter fixed =
            RedisRateLimiter.newBuilder(client)
                .fixedWindow(Integer.MAX_VALUE, Duration.ofHours(1))
                .keyPrefix("fixed:")
                .build();
        RateLimiter fixedBan =
            RedisRateLimiter.newBuilder(client)
                .fixedWindow(Integer.MAX_VALUE, Duration.ofHours(1))
                .banFor(Duration.ofMinutes(10))
                .keyPrefix("fixed-ban:")
                .build();
        RateLimiter sliding =
            RedisRateLimiter.newBuilder(client)
                .slidingWindow(Integer.MAX_VALUE, Duration.ofHours(1))
                .keyPrefix("sliding:")
                .build();
        RedisLocks locks = RedisLocks.newBuilder(client).build()) {
      LoopbackRedis.awaitPing(client);
      String floorSha = client.scriptLoad("return 1");
      Map<String, Runnable> subjects = new LinkedHashMap<>();
      subjects.put(FLOOR, () -> client.evalsha(floorSha, List.of("k"), List.of()));
      subjects.put("fixedDecision", () -> fixed.acquire("user-1"));
      subjects.put("fixedBanDecision", () -> fixedBan.acquire("user-1"));
      subjects.put("slidingDecision", () -> sliding.acquire("user-1"));
      subjects.put(
          "lockAcquireRelease",
          () -> {
            try (RedisLock.Held held = locks.lock("job", Duration.ofSeconds(30), Duration.ZERO)) {
              if (held.fencingToken() <= 0) {
                throw new AssertionError("fencing tokens are positive");
              }
            }
          });
      List<String> ids = new ArrayList<>(subjects.keySet());
      var nanos = new LinkedHashMap<String, long[]>();
      var serverMicros = new LinkedHashMap<String, Double>();
      var roundTrips = new LinkedHashMap<String, Long>();
      ids.forEach(id -> {
        nanos.put(id, new long[rounds * calls]);
        serverMicros.put(id, 0.0);
        roundTrips.put(id, 0L);
      });
      int warmups = Math.max(2, rounds / 5);
      for (int round = -warmups; round < rounds; round++) {
        for (int s = 0; s < ids.size(); s++) {
          // rotate the order every round, so that no subject always follows the same one
          String id = ids.get(Math.floorMod(s + round, ids.size()));
          Runnable subject = requireNonNull(subjects.get(id));
          double scriptMicrosBefore = scriptMicros(client);
          long sentBefore = counting.commands.get();
          long[] times = requireNonNull(nanos.get(id));
          for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            subject.run();
            long took = System.nanoTime() - start;
            if (round >= 0) {
              times[round * calls + i] = took;
            }
          }
          long sent = counting.commands.get() - sentBefore;
          double inRedis = scriptMicros(client) - scriptMicrosBefore;
          if (round >= 0) {
            roundTrips.merge(id, sent, Long::sum);
            serverMicros.merge(id, inRedis, Double::sum);
          }
        }
      }
      long total = (long) rounds * calls;
      for (String id : ids) {
        Latencies latencies = Latencies.of(requireNonNull(nanos.get(id)));
        Forks.emit(id + ".p50Micros", Latencies.micros(latencies.percentile(50)));
        Forks.emit(id + ".p99Micros", Latencies.micros(latencies.percentile(99)));
        Forks.emit(id + ".scriptMicrosInRedis", serverMicros.getOrDefault(id, 0.0) / total);
        Forks.emit(id + ".roundTrips", (double) roundTrips.getOrDefault(id, 0L) / total);
      }
      Forks.emit("calls", total);
    }
  }

  /** The time Redis has spent running scripts (EVALSHA and EVAL) so far, in microseconds. */
  private static double scriptMicros(RedisClient client) {
    double micros = 0;
    for (String line : client.info("commandstats").split("\r\n")) {
      if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
        int from = line.indexOf("usec=") + 5;
        micros += Double.parseDouble(line.substring(from, line.indexOf(',', from)));
      }
    }
    return micros;
  }
}
