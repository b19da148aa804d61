package dev.loomcache.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.Ticker;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import java.io.ObjectInputFilter;
import java.io.Serializable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * Values in a shared Redis are untrusted: signed values reject tampering, deserialization is
 * filtered.
 */
class RedisTierCodecTest {
  private static final byte[] HMAC_KEY = "0123456789abcdef0123456789abcdef".getBytes(UTF_8);

  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();

  private static Services.Service signed(byte[] hmacKey) {
    return redis
        .services()
        .start(
            "users:",
            b -> b,
            Ticker.systemTicker(),
            ValueCodec.signed(ValueCodec.string(), hmacKey));
  }

  @Test
  void tamperedBytesInRedis_areRejectedAsACountedMiss_whenSigningIsOn() {
    var writer = signed(HMAC_KEY);
    var reader = signed(HMAC_KEY);
    writer.cache().put("u1", "role=user");
    byte[] key = "users:u1".getBytes(UTF_8);
    byte[] bytes = redis.raw().get(key);
    bytes[bytes.length - 1] ^= 1; // one bit of the payload
    redis.raw().set(key, bytes, SetParams.setParams().keepTtl());

    assertThat(reader.cache().get("u1", () -> "loaded")).isEqualTo("loaded");
    assertThat(reader.cache().stats().tierStats().getFirst().errorCount()).isEqualTo(1);
    assertThat(reader.cache().stats().tierStats().getFirst().hitCount()).isZero();
  }

  @Test
  void valuesSignedWithAnotherKey_areRejected() {
    var writer = signed(HMAC_KEY);
    var stranger = signed("another key, also 32 bytes long!".getBytes(UTF_8));
    writer.cache().put("u1", "role=admin");

    assertThat(stranger.cache().get("u1", () -> "loaded")).isEqualTo("loaded");
    assertThat(stranger.cache().stats().tierStats().getFirst().errorCount()).isEqualTo(1);
  }

  @Test
  void untamperedSignedValues_areHits() {
    var writer = signed(HMAC_KEY);
    var reader = signed(HMAC_KEY);
    writer.cache().put("u1", "role=user");

    assertThat(reader.cache().get("u1", () -> "loaded")).isEqualTo("role=user");
  }

  @Test
  void javaSerializationWithoutAFilter_isRefusedAtBuildTime() {
    assertThatThrownBy(() -> ValueCodec.javaSerialization(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("ObjectInputFilter");
  }

  record Point(int x, int y) implements Serializable {}

  record Forbidden(String payload) implements Serializable {}

  @Test
  void javaSerialization_decodesOnlyWhatTheFilterAllows() {
    ObjectInputFilter filter = ObjectInputFilter.Config.createFilter(Point.class.getName() + ";!*");
    try (var writerClient = RedisClient.create("127.0.0.1", redis.server().port());
        var readerClient = RedisClient.create("127.0.0.1", redis.server().port());
        Cache<String, Serializable> writer =
            objectCache(writerClient, ObjectInputFilter.Config.createFilter("*"));
        Cache<String, Serializable> reader = objectCache(readerClient, filter)) {
      writer.put("p", new Point(1, 2));
      writer.put("f", new Forbidden("gadget"));

      assertThat(reader.get("p", () -> "loaded")).isEqualTo(new Point(1, 2));
      assertThat(reader.get("f", () -> "loaded")).isEqualTo("loaded");
      assertThat(reader.stats().tierStats().getFirst().errorCount()).isEqualTo(1);
    }
  }

  private static Cache<String, Serializable> objectCache(
      RedisClient client, ObjectInputFilter filter) {
    return Loomcache.newBuilder()
        .keyCodec(KeyCodec.string())
        .valueCodec(ValueCodec.<Serializable>javaSerialization(filter))
        .tier(Services.withTestTimeout(RedisTier.newBuilder(client).keyPrefix("objects:")).build())
        .build();
  }
}
