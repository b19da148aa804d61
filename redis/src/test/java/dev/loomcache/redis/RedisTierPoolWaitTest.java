package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.Polling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * A full connection pool while connections are being opened: commons-pool busy-spins in {@code
 * GenericObjectPool.create} when the pool's max wait is infinite (its default), and spinning
 * virtual threads hold every carrier, so nothing else on virtual threads (callers waiting for their
 * command timeout, the threads opening the connections) ever runs again. The tier bounds the pool's
 * wait, so borrowers park instead and every caller returns within its timeouts.
 */
class RedisTierPoolWaitTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.perTest();
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void close() throws Exception {
    redis.server().resume();
    callers.shutdownNow(); // never close(): it would wait for callers that may hang
    for (AutoCloseable closeable : opened.reversed()) {
      closeable.close();
    }
  }

  /** A client whose pool has one connection and waits forever for it (commons-pool's default). */
  private RedisClient clientWithOneConnection(Duration clientTimeout) {
    var pool = new ConnectionPoolConfig();
    pool.setMaxTotal(1);
    pool.setMaxIdle(1);
    RedisClient client =
        RedisClient.builder()
            .hostAndPort("127.0.0.1", redis.server().port())
            .clientConfig(
                DefaultJedisClientConfig.builder()
                    .timeoutMillis(Math.toIntExact(clientTimeout.toMillis()))
                    .build())
            .poolConfig(pool)
            .build();
    opened.add(client);
    return client;
  }

  private Cache<String, String> cacheWithoutL1(RedisTier tier) {
    Cache<String, String> cache =
        Loomcache.newBuilder()
            .maximumSize(0)
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(tier)
            .build();
    opened.add(cache);
    return cache;
  }

  @Test
  void aPoolThatWaitsForever_getsTheCommandTimeoutAsItsMaxWait_aChosenMaxWaitIsKept() {
    RedisClient forever = clientWithOneConnection(Duration.ofSeconds(2));
    assertThat(forever.getPool().getMaxWaitDuration()).isNegative(); // commons-pool's default
    opened.add(
        RedisTier.newBuilder(forever)
            .keyPrefix("a:")
            .commandTimeout(Duration.ofMillis(150))
            .build());
    assertThat(forever.getPool().getMaxWaitDuration()).isEqualTo(Duration.ofMillis(150));

    RedisClient chosen = clientWithOneConnection(Duration.ofSeconds(2));
    chosen.getPool().setMaxWait(Duration.ofSeconds(3));
    opened.add(
        RedisTier.newBuilder(chosen)
            .keyPrefix("b:")
            .commandTimeout(Duration.ofMillis(150))
            .build());
    assertThat(chosen.getPool().getMaxWaitDuration()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void callersWhileTheOnlyConnectionIsBeingOpened_allReturnWithinTheirTimeouts() throws Exception {
    // The client's own timeout (the handshake of a new connection) is far longer than the
    // command timeout: callers must be bounded by the latter.
    RedisClient client = clientWithOneConnection(Duration.ofSeconds(30));
    RedisTier tier =
        RedisTier.newBuilder(client)
            .keyPrefix("pool:")
            .commandTimeout(Duration.ofMillis(200))
            .crossInstanceInvalidation(false)
            .failureThreshold(1_000) // keep the breaker closed: every get goes to the pool
            .probeInterval(Duration.ofMillis(50))
            .build();
    Cache<String, String> cache = cacheWithoutL1(tier);

    // Paused, Redis's kernel still accepts connections: the first borrower opens the only
    // connection and waits for the handshake's answer; every other borrower finds the pool full
    // with a connection being made.
    redis.server().pause();
    client.getPool().clear(); // no idle connection: the next borrower opens one
    assertThat(client.getPool().getNumIdle()).isZero();
    int n = 64;
    var start = new CountDownLatch(1);
    var futures = new ArrayList<Future<Long>>();
    for (int i = 0; i < n; i++) {
      String key = "k" + i;
      futures.add(
          callers.submit(() -> {
            start.await();
            long begin = System.nanoTime();
            assertThat(cache.get(key, () -> "loaded-" + key)).isEqualTo("loaded-" + key);
            return System.nanoTime() - begin;
          }));
    }
    start.countDown();
    long slowest = 0;
    for (Future<Long> future : futures) {
      slowest = Math.max(slowest, future.get(60, TimeUnit.SECONDS)); // a hang fails here
    }
    // Each get waits for one read and one write, at most 200 ms each; generous for a loaded
    // machine, and far below the 30 s handshake timeout that bounded them without the fix.
    assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofSeconds(10));
    assertThat(tier.stats().commandTimeoutCount()).isGreaterThan(0);

    redis.server().resume();
    Polling.awaitUntil(
        Duration.ofSeconds(30),
        "the tier answers again",
        () -> {
          cache.put("after", "resume");
          return "resume".equals(cache.get("after", () -> "loaded"))
              && tier.stats().pendingRepairCount() == 0;
        });
  }
}
