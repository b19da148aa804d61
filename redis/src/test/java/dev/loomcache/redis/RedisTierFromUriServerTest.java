package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;

/** {@code RedisTier.fromUri} against real redis-server processes with passwords. */
class RedisTierFromUriServerTest {
  private static final String SECRET = "uri-Secret-42";

  @RegisterExtension static final RedisExtension redis = RedisExtension.perTest();

  private static void addUser(String user, String password) {
    try (var jedis = new Jedis(redis.server().hostAndPort(), RedisServer.quickConfig())) {
      jedis.aclSetUser(user, "on", ">" + password, "~*", "&*", "+@all");
    }
  }

  private static Cache<String, String> cacheOn(RedisTier tier) {
    return Loomcache.newBuilder()
        .keyCodec(KeyCodec.string())
        .valueCodec(ValueCodec.string())
        .tier(tier)
        .build();
  }

  @Test
  void fromUri_userPasswordAndDatabase_storesThereAndClosesItsClient() {
    addUser("app", SECRET);
    int port = redis.server().port();
    RedisTier tier =
        RedisTier.fromUri(
                "redis://app:"
                    + SECRET
                    + "@127.0.0.1:"
                    + port
                    + "/2?keyPrefix=uri:&commandTimeout=500ms")
            .build();
    Cache<String, String> cache = cacheOn(tier);

    cache.put("k", "v");

    try (var db2 =
        new Jedis(
            redis.server().hostAndPort(),
            DefaultJedisClientConfig.builder().database(2).timeoutMillis(500).build())) {
      assertThat(db2.exists("uri:k")).isTrue();
      assertThat(redis.raw().exists("uri:k")).as("database 0").isFalse();
      assertThat(db2.clientList()).contains("user=app");
      cache.close();
      assertThat(db2.clientList())
          .as("the tier closed the client it opened")
          .doesNotContain("user=app");
    }
    assertThat(tier.toString()).doesNotContain(SECRET);
  }

  @Test
  void fromUri_passwordOnly_authenticatesTheDefaultUser() {
    redis.raw().configSet("requirepass", SECRET);
    RedisTier tier =
        RedisTier.fromUri(
                "redis://:"
                    + SECRET
                    + "@127.0.0.1:"
                    + redis.server().port()
                    + "?keyPrefix=pw:&commandTimeout=500ms")
            .build();
    try (Cache<String, String> cache = cacheOn(tier);
        var authenticated =
            new Jedis(
                redis.server().hostAndPort(),
                DefaultJedisClientConfig.builder().password(SECRET).timeoutMillis(500).build())) {
      cache.put("k", "v");

      assertThat(authenticated.exists("pw:k")).isTrue();
      assertThat(cache.stats().tierStats().getFirst().errorCount()).isZero();
    } finally {
      // The extension's own client has no password: let it empty the server afterwards.
      try (var authenticated =
          new Jedis(
              redis.server().hostAndPort(),
              DefaultJedisClientConfig.builder().password(SECRET).timeoutMillis(500).build())) {
        authenticated.configSet("requirepass", "");
      }
    }
  }

  @Test
  void fromUri_wrongPassword_neverReachesTheCallerNorAnyMessage() {
    addUser("app", SECRET);
    String wrong = "Wrong-" + SECRET;
    PrintStream originalErr = System.err;
    var captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    String stats;
    String shown;
    try {
      RedisTier tier =
          RedisTier.fromUri(
                  "redis://app:"
                      + wrong
                      + "@127.0.0.1:"
                      + redis.server().port()
                      + "?keyPrefix=bad:&commandTimeout=500ms&failureThreshold=100")
              .build();
      try (Cache<String, String> cache = cacheOn(tier)) {
        assertThat(cache.get("k", () -> "loaded")).isEqualTo("loaded");
        cache.put("k2", "v2");
        stats = cache.stats().toString() + tier.stats();
        shown = tier.toString();
        assertThat(cache.stats().tierStats().getFirst().errorCount()).isPositive();
      }
    } finally {
      System.setErr(originalErr);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).as("the tier logged its failures").contains("WRONGPASS");
    assertThat(log).doesNotContain(wrong);
    assertThat(stats).doesNotContain(wrong);
    assertThat(shown).doesNotContain(wrong);
    assertThat(redis.raw().exists("bad:k2")).isFalse();
  }
}
