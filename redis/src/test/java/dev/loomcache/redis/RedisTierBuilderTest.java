package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Builder rules; nothing here talks to Redis (building a tier does no I/O). */
class RedisTierBuilderTest {
  private final RedisClient client = RedisClient.create("127.0.0.1", 1); // nothing listens there

  @AfterEach
  void closeClient() {
    client.close();
  }

  @Test
  void newBuilder_nullClient_throwsNamingIt() {
    assertThatThrownBy(() -> RedisTier.newBuilder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("client must not be null");
  }

  @Test
  void build_withoutKeyPrefix_throws() {
    assertThatThrownBy(() -> RedisTier.newBuilder(client).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("keyPrefix is required");
  }

  @Test
  void keyPrefix_empty_throws() {
    assertThatThrownBy(() -> RedisTier.newBuilder(client).keyPrefix(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keyPrefix must not be empty");
  }

  @Test
  void setter_calledTwice_throwsNamingTheOldValue() {
    var builder = RedisTier.newBuilder(client).keyPrefix("users:");
    assertThatThrownBy(() -> builder.keyPrefix("orders:"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("keyPrefix was already set to users:");
    builder.commandTimeout(Duration.ofMillis(50));
    assertThatThrownBy(() -> builder.commandTimeout(Duration.ofMillis(80)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("commandTimeout was already set to PT0.05S");
  }

  @Test
  void durations_notPositive_throwNamingTheParameter() {
    var builder = RedisTier.newBuilder(client);
    assertThatThrownBy(() -> builder.commandTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("commandTimeout must be positive, but was PT0S");
    assertThatThrownBy(() -> builder.probeInterval(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probeInterval must be positive");
    assertThatThrownBy(() -> builder.commandTimeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("commandTimeout must not be null");
    assertThatThrownBy(() -> builder.distributedSingleFlight(Duration.ofNanos(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaseTime must be at least 1 ms");
  }

  @Test
  void counts_outOfRange_throw() {
    var builder = RedisTier.newBuilder(client);
    assertThatThrownBy(() -> builder.writeBehindThreads(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.writeBehindQueueCapacity(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.failureThreshold(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.repairCapacity(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writeBehindOptions_withoutWriteBehind_throwAtBuild() {
    var builder = RedisTier.newBuilder(client).keyPrefix("users:").writeBehindThreads(4);
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("writeMode(WriteMode.WRITE_BEHIND)");
  }

  @Test
  void channel_withInvalidationOff_throwsAtBuild() {
    var builder =
        RedisTier.newBuilder(client)
            .keyPrefix("users:")
            .crossInstanceInvalidation(false)
            .invalidationChannel("mine");
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("crossInstanceInvalidation(true)");
  }

  @Test
  void build_doesNoIo_andCloseIsIdempotent() {
    RedisTier tier =
        RedisTier.newBuilder(client)
            .keyPrefix("users:")
            .name("l2")
            .writeMode(WriteMode.WRITE_BEHIND)
            .build();
    assertThat(tier.name()).isEqualTo("l2");
    assertThat(tier.keyPrefix()).isEqualTo("users:");
    assertThat(tier.stats().breakerOpen()).isFalse();
    tier.close();
    tier.close();
    assertThatThrownBy(() -> tier.read("k")).isInstanceOf(IllegalStateException.class);
  }
}
