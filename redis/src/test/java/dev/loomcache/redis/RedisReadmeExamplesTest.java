package dev.loomcache.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.DocSnippets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * The code shown in redis/README.md, compiled and run so that it cannot rot. Keep the two in step.
 */
class RedisReadmeExamplesTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();

  /** Stands in for the database of the README example. */
  static final class Database {
    final AtomicInteger queries = new AtomicInteger();

    String load(String id) {
      queries.incrementAndGet();
      return "User " + id;
    }
  }

  @Test
  void setup() {
    String host = "127.0.0.1";
    int port = redis.server().port();
    byte[] hmacKey = "a 32-byte secret from your vault".getBytes(UTF_8);
    var registry = new SimpleMeterRegistry();
    var database = new Database();

    // README-BEGIN setup
    var pool = new ConnectionPoolConfig();
    pool.setMaxTotal(64);                                  // concurrent commands, plus one for pub/sub
    RedisClient client = RedisClient.builder()
        .hostAndPort(host, port)
        .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(500).build())
        .poolConfig(pool)
        .build();

    RedisTier tier = RedisTier.newBuilder(client)
        .keyPrefix("users:")                               // every key, and clear(), stay under it
        .commandTimeout(Duration.ofMillis(50))             // the longest a caller waits for Redis
        .distributedSingleFlight(Duration.ofSeconds(5))    // opt-in: one load across instances
        .meterRegistry(registry)
        .build();

    Cache<String, String> users = Loomcache.newBuilder()
        .name("users")
        .defaultTtl(Duration.ofMinutes(10))                // carried to Redis as a PX expiry
        .keyCodec(KeyCodec.string())
        .valueCodec(ValueCodec.signed(ValueCodec.string(), hmacKey))
        .tier(tier)
        .build();

    String user = users.get("u1", () -> database.load("u1")); // L1, then Redis, then the database
    users.close();                                         // closes the tier too, not the client
    client.close();
    // README-END setup

    assertThat(user).isEqualTo("User u1");
    assertThat(database.queries).hasValue(1);
    assertThat(registry.get("cache.tier.redis.breaker.open").gauge().value()).isZero();
  }

  @Test
  void readme_showsTheTestedCode() {
    DocSnippets.ofTest(RedisReadmeExamplesTest.class).assertShownIn(Path.of("README.md"));
  }
}
