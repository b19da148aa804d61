package dev.loomcache.benchmarks;

import dev.loomcache.limit.RateLimiter;
import dev.loomcache.redis.RedisLock;
import dev.loomcache.redis.RedisLocks;
import dev.loomcache.redis.RedisRateLimiter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.RedisClient;

/**
 * Round trips to a real {@code redis-server} (started by the benchmark on a free loopback port,
 * stopped by its process handle): a raw Jedis {@code EVALSHA} of a one-line script (the floor), a
 * {@link RedisRateLimiter} decision, and an uncontended {@link RedisLocks} acquire plus release.
 * Targets (issue 16): a decision's p50 ≤ 1.2× the raw {@code EVALSHA}'s; acquire+release ≤ 2 round
 * trips. JMH forks a JVM, and so starts a redis-server, per benchmark method: the suite judges the
 * targets with {@link RedisLimitsHarness} instead, which measures every subject in one JVM against
 * one server and counts the round trips; this class is for profiling one subject with JMH's tools.
 *
 * <pre>{@code
 * java -cp ... org.openjdk.jmh.Main RedisLimitsBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -bm sample
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisLimitsBenchmark {
  private Process server;
  private RedisClient client;
  private String floorSha;
  private RateLimiter limiter;
  private RedisLocks locks;

  @Setup
  public void setUp() throws Exception {
    int port = LoopbackRedis.freePort();
    server = LoopbackRedis.start(port);
    client = RedisClient.create("127.0.0.1", port);
    LoopbackRedis.awaitPing(client);
    floorSha = client.scriptLoad("return 1");
    limiter =
        RedisRateLimiter.newBuilder(client)
            .fixedWindow(Integer.MAX_VALUE, Duration.ofHours(1))
            .build();
    locks = RedisLocks.newBuilder(client).build();
  }

  @TearDown
  public void tearDown() throws InterruptedException {
    locks.close();
    limiter.close();
    client.close();
    server.destroyForcibly();
    if (!server.waitFor(10, TimeUnit.SECONDS)) {
      throw new UncheckedIOException(new IOException("redis-server did not exit"));
    }
  }

  @Benchmark
  public Object rawEvalsha() {
    return client.evalsha(floorSha, List.of("k"), List.of());
  }

  @Benchmark
  public Object rateLimitDecision() {
    return limiter.acquire("user-1");
  }

  @Benchmark
  public long lockAcquireRelease() {
    try (RedisLock.Held held = locks.lock("job", Duration.ofSeconds(30), Duration.ZERO)) {
      return held.fencingToken();
    }
  }
}
