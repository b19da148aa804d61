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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/** Values in a shared Redis are untrusted: signed values reject tampering, deserialization is filtered. */
class RedisTierCodecTest {
  private static final byte[] HMAC_KEY = "0123456789abcdef0123456789abcdef".getBytes(UTF_8);

  private static RedisServer server;
  private static RedisClient raw;
  private Services services;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    server = RedisServer.start();
    raw = RedisClient.create("127.0.0.1", server.port());
  }

  @AfterAll
  static void stopRedis() {
    raw.close();
    server.close();
  }

  @AfterEach
  void closeServices() throws Exception {
    for (AutoCloseable closeable : opened.reversed()) {
      closeable.close();
    }
    if (services != null) {
      services.close();
    }
    raw.flushDB();
  }

  private Services.Service signed(byte[] hmacKey) {
    if (services == null) {
      services = new Services(server);
    }
    var client = RedisClient.create("127.0.0.1", server.port());
    opened.add(client);
    return services.start(client, "users:", b -> b, Ticker.systemTicker(),
        ValueCodec.signed(ValueCodec.string(), hmacKey));
  }

  @Test
  void tamperedBytesInRedis_areRejectedAsACountedMiss_whenSigningIsOn() {
    var writer = signed(HMAC_KEY);
    var reader = signed(HMAC_KEY);
    writer.cache().put("u1", "role=user");
    byte[] key = "users:u1".getBytes(UTF_8);
    byte[] bytes = raw.get(key);
    bytes[bytes.length - 1] ^= 1; // one bit of the payload
    raw.set(key, bytes, SetParams.setParams().keepTtl());

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
    var client = RedisClient.create("127.0.0.1", server.port());
    opened.add(client);
    ObjectInputFilter filter = ObjectInputFilter.Config.createFilter(Point.class.getName() + ";!*");
    Cache<String, Serializable> writer = Loomcache.newBuilder()
        .keyCodec(KeyCodec.string()).valueCodec(ValueCodec.<Serializable>javaSerialization(
            ObjectInputFilter.Config.createFilter("*")))
        .tier(RedisTier.newBuilder(client).keyPrefix("objects:")
            .commandTimeout(Services.TEST_TIMEOUT).build())
        .build();
    opened.add(writer);
    var readerClient = RedisClient.create("127.0.0.1", server.port());
    opened.add(readerClient);
    Cache<String, Serializable> reader = Loomcache.newBuilder()
        .keyCodec(KeyCodec.string()).valueCodec(ValueCodec.<Serializable>javaSerialization(filter))
        .tier(RedisTier.newBuilder(readerClient).keyPrefix("objects:")
            .commandTimeout(Services.TEST_TIMEOUT).build())
        .build();
    opened.add(reader);

    writer.put("p", new Point(1, 2));
    writer.put("f", new Forbidden("gadget"));

    assertThat(reader.get("p", () -> "loaded")).isEqualTo(new Point(1, 2));
    assertThat(reader.get("f", () -> "loaded")).isEqualTo("loaded");
    assertThat(reader.stats().tierStats().getFirst().errorCount()).isEqualTo(1);
  }
}
