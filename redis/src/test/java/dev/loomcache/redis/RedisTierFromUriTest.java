package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.redis.internal.RedisUri;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.HostAndPort;

/** Parsing {@code RedisTier.fromUri}: every key, every scheme, every error; no server needed. */
class RedisTierFromUriTest {
  private static final String VALID_KEYS =
      "valid keys: keyPrefix, name, commandTimeout, writeMode,"
          + " writeBehindQueueCapacity, writeBehindThreads, invalidation, invalidationChannel,"
          + " singleFlight, failureThreshold, probeInterval, repairCapacity, heartbeatInterval,"
          + " maxLocalStaleness, poolSize";
  private static final String SECRET = "s3cr3t-Pa55";

  @Test
  void fromUri_everyTierKey_setsItsOption() {
    RedisTierBuilder builder =
        RedisTier.fromUri(
            "redis://127.0.0.1:6380?keyPrefix=users:"
                + "&name=shared&commandTimeout=50ms&writeMode=WRITE_BEHIND&writeBehindQueueCapacity=500"
                + "&writeBehindThreads=4&invalidation=true&invalidationChannel=chan&singleFlight=2s"
                + "&failureThreshold=7&probeInterval=PT0.25S&repairCapacity=99&heartbeatInterval=3s"
                + "&maxLocalStaleness=750ms"
                + "&poolSize=32");

    assertThat(builder.keyPrefix).isEqualTo("users:");
    assertThat(builder.name()).isEqualTo("shared");
    assertThat(builder.commandTimeout()).isEqualTo(Duration.ofMillis(50));
    assertThat(builder.writeMode()).isEqualTo(WriteMode.WRITE_BEHIND);
    assertThat(builder.writeBehindQueueCapacity()).isEqualTo(500);
    assertThat(builder.writeBehindThreads()).isEqualTo(4);
    assertThat(builder.crossInstanceInvalidation()).isTrue();
    assertThat(builder.channelFor("users:")).isEqualTo("chan");
    assertThat(builder.leaseTime).isEqualTo(Duration.ofSeconds(2));
    assertThat(builder.failureThreshold()).isEqualTo(7);
    assertThat(builder.probeInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(builder.repairCapacity()).isEqualTo(99);
    assertThat(builder.heartbeatInterval()).isEqualTo(Duration.ofSeconds(3));
    assertThat(builder.maxLocalStaleness()).isEqualTo(Duration.ofMillis(750));
    assertThat(RedisUri.parse("redis://h:1?poolSize=32").query()).containsEntry("poolSize", "32");
  }

  @Test
  void toString_showsTheParsedOptions() {
    RedisTierBuilder builder =
        RedisTier.fromUri(
            "redis://127.0.0.1:6380/2?keyPrefix=users:&commandTimeout=50ms&invalidation=false");

    assertThat(builder.toString())
        .isEqualTo(
            "RedisTierBuilder{uri=redis://127.0.0.1:6380/2"
                + "?keyPrefix=users:&commandTimeout=50ms&invalidation=false, keyPrefix=users:,"
                + " commandTimeout=PT0.05S, crossInstanceInvalidation=false}");
  }

  @ParameterizedTest
  @CsvSource({"true, PT5S", "TRUE, PT5S", "1500ms, PT1.5S", "PT10S, PT10S"})
  void fromUri_singleFlight_trueOrALease(String text, String lease) {
    assertThat(RedisTier.fromUri("redis://h?singleFlight=" + text).leaseTime)
        .isEqualTo(Duration.parse(lease));
  }

  @Test
  void fromUri_singleFlightFalse_leavesItOff() {
    assertThat(RedisTier.fromUri("redis://h?singleFlight=false").leaseTime).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"write_through", "WRITE_THROUGH", "write-through"})
  void fromUri_writeMode_anyCase(String text) {
    assertThat(RedisTier.fromUri("redis://h?writeMode=" + text).writeMode())
        .isEqualTo(WriteMode.WRITE_THROUGH);
  }

  @Test
  void fromUri_noQuery_leavesDefaults() {
    RedisTierBuilder builder = RedisTier.fromUri("redis://127.0.0.1:6380");

    assertThat(builder.keyPrefix).isNull();
    assertThat(builder.commandTimeout()).isEqualTo(RedisTierBuilder.DEFAULT_COMMAND_TIMEOUT);
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("keyPrefix is required");
  }

  @Test
  void fromUri_optionSetByUri_countsAsSet() {
    assertThatThrownBy(() -> RedisTier.fromUri("redis://h?keyPrefix=a:").keyPrefix("b:"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("keyPrefix was already set to a:");
  }

  @Test
  void parse_standalone_hostPortUserPasswordDatabase() {
    RedisUri uri = RedisUri.parse("redis://app:" + SECRET + "@cache.local:6390/3");

    assertThat(uri.cluster()).isFalse();
    assertThat(uri.tls()).isFalse();
    assertThat(uri.nodes()).containsExactly(new HostAndPort("cache.local", 6390));
    assertThat(uri.user()).isEqualTo("app");
    assertThat(uri.hasPassword()).isTrue();
    assertThat(uri.database()).isEqualTo(3);
    assertThat(uri.toString()).isEqualTo("redis://app:****@cache.local:6390/3");
  }

  @Test
  void parse_defaults_port6379Database0NoCredentials() {
    RedisUri uri = RedisUri.parse("redis://localhost");

    assertThat(uri.nodes()).containsExactly(new HostAndPort("localhost", 6379));
    assertThat(uri.database()).isZero();
    assertThat(uri.user()).isNull();
    assertThat(uri.hasPassword()).isFalse();
  }

  @Test
  void parse_passwordOnly_withOrWithoutColon() {
    assertThat(RedisUri.parse("redis://:" + SECRET + "@h:1").user()).isNull();
    assertThat(RedisUri.parse("redis://:" + SECRET + "@h:1").toString())
        .isEqualTo("redis://:****@h:1");
    RedisUri colonless = RedisUri.parse("redis://" + SECRET + "@h:1");
    assertThat(colonless.hasPassword()).isTrue();
    assertThat(colonless.toString()).isEqualTo("redis://****@h:1");
  }

  @Test
  void parse_percentEncodedUserInfoAndValues_areDecoded() {
    RedisUri uri = RedisUri.parse("redis://us%40er:p%40ss%2Fw%3Frd@h:1?keyPrefix=a%26b%3A");

    assertThat(uri.user()).isEqualTo("us@er");
    assertThat(uri.query()).containsEntry("keyPrefix", "a&b:");
    assertThat(uri.toString()).doesNotContain("p%40ss").contains("****");
  }

  @Test
  void parse_passwordWithUnescapedSlashOrQuestionMark_isStillRedactedWhole() {
    RedisUri uri = RedisUri.parse("redis://:pa/ss?word@h:1?keyPrefix=a:");

    assertThat(uri.nodes()).containsExactly(new HostAndPort("h", 1));
    assertThat(uri.toString()).isEqualTo("redis://:****@h:1?keyPrefix=a:");
  }

  @Test
  void parse_tlsAndClusterSchemes() {
    assertThat(RedisUri.parse("rediss://h:6380").tls()).isTrue();
    RedisUri cluster = RedisUri.parse("redis-cluster://10.0.0.1:7000,10.0.0.2:7001,[::1]:7002");
    assertThat(cluster.cluster()).isTrue();
    assertThat(cluster.tls()).isFalse();
    assertThat(cluster.nodes())
        .containsExactly(
            new HostAndPort("10.0.0.1", 7000),
            new HostAndPort("10.0.0.2", 7001),
            new HostAndPort("::1", 7002));
    RedisUri tlsCluster = RedisUri.parse("rediss-cluster://h1:1,h2:2");
    assertThat(tlsCluster.cluster()).isTrue();
    assertThat(tlsCluster.tls()).isTrue();
    assertThat(RedisUri.parse("REDIS://h").nodes()).hasSize(1);
  }

  @Test
  void fromUri_unknownKey_namesItAndListsValidKeys() {
    assertThatThrownBy(() -> RedisTier.fromUri("redis://:" + SECRET + "@h:1?keyprefix=a:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown key 'keyprefix' in Redis URI redis://:****@h:1?keyprefix=a:; " + VALID_KEYS);
  }

  @Test
  void fromUri_duplicateKey_namesIt() {
    assertThatThrownBy(() -> RedisTier.fromUri("redis://h:1?keyPrefix=a:&keyPrefix=b:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "key 'keyPrefix' appears twice in Redis URI redis://h:1?keyPrefix=a:"
                + "&keyPrefix=b: (first keyPrefix=a:, then keyPrefix=b:)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "redis://h:1?keyPrefix",
        "redis://h:1?=x",
        "redis://h:1?keyPrefix=a:&&name=b",
        "redis://h:1?keyPrefix=a:&"
      })
  void fromUri_queryEntryWithoutKeyOrValue_isRejected(String uri) {
    assertThatThrownBy(() -> RedisTier.fromUri(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not key=value; " + VALID_KEYS);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "commandTimeout=fast | bad value for key 'commandTimeout' in Redis URI redis://:****@h:1?commandTimeout=fast: 'fast' is not a duration",
        "writeMode=LATER | bad value for key 'writeMode' in Redis URI redis://:****@h:1?writeMode=LATER: 'LATER' is not WRITE_THROUGH or WRITE_BEHIND",
        "invalidation=yes | bad value for key 'invalidation' in Redis URI redis://:****@h:1?invalidation=yes: 'yes' is not true or false",
        "singleFlight=maybe | bad value for key 'singleFlight' in Redis URI redis://:****@h:1?singleFlight=maybe: 'maybe' is not true, false or a lease time",
        "failureThreshold=5.5 | bad value for key 'failureThreshold' in Redis URI redis://:****@h:1?failureThreshold=5.5: '5.5' is not a whole number",
        "poolSize=many | bad value for key 'poolSize' in Redis URI redis://:****@h:1?poolSize=many: 'many' is not a whole number",
        "poolSize=0 | bad value for key 'poolSize' in Redis URI redis://:****@h:1?poolSize=0: '0': poolSize must be at least 1",
        "name=%20 | bad value for key 'name' in Redis URI redis://:****@h:1?name=%20: ' ' is not non-blank text",
        "commandTimeout=0ms | bad value for key 'commandTimeout' in Redis URI redis://:****@h:1?commandTimeout=0ms: '0ms': commandTimeout must be positive, but was PT0S",
        "writeBehindThreads=65 | bad value for key 'writeBehindThreads' in Redis URI redis://:****@h:1?writeBehindThreads=65: '65': writeBehindThreads must be between 1 and 64, but was 65",
        "singleFlight=0ms | bad value for key 'singleFlight' in Redis URI redis://:****@h:1?singleFlight=0ms: '0ms': leaseTime must be at least 1 ms, but was PT0S",
        "keyPrefix= | bad value for key 'keyPrefix' in Redis URI redis://:****@h:1?keyPrefix=: '' is not non-blank text",
      })
  void fromUri_badValue_namesKeyAndValueButNotThePassword(String query, String message) {
    String uri = "redis://:" + SECRET + "@h:1?" + query;

    assertThatThrownBy(() -> RedisTier.fromUri(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message)
        .message()
        .doesNotContain(SECRET);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "h:1 | Redis URI has no scheme",
        "http://:"
            + SECRET
            + "@h:1 | unknown Redis URI scheme 'http': use redis://, rediss:// (TLS), redis-cluster:// or rediss-cluster://",
        "redis://:" + SECRET + "@ | Redis URI redis://:****@ names no host",
        "redis://:"
            + SECRET
            + "@h1:1,h2:2 | Redis URI redis://:****@h1:1,h2:2 names 2 hosts: only redis-cluster:// takes several",
        "redis://:"
            + SECRET
            + "@h:port | Redis URI redis://:****@h:port: port 'port' of 'h:port' is not a number from 1 to 65535",
        "redis://:"
            + SECRET
            + "@h:70000 | Redis URI redis://:****@h:70000: port '70000' of 'h:70000' is not a number from 1 to 65535",
        "redis://:" + SECRET + "@:1 | Redis URI redis://:****@:1: ':1' has no host",
        "redis://:"
            + SECRET
            + "@[::1:1 | Redis URI redis://:****@[::1:1: '[::1:1' opens an IPv6 address with [ but does not close it",
        "redis://:"
            + SECRET
            + "@h:1/x | Redis URI redis://:****@h:1/x: the path '/x' is not a database number (0 or more)",
        "redis://:"
            + SECRET
            + "@h:1/-1 | Redis URI redis://:****@h:1/-1: the path '/-1' is not a database number (0 or more)",
        "redis-cluster://:"
            + SECRET
            + "@h:1/2 | Redis URI redis-cluster://:****@h:1/2 selects database 2: Redis Cluster has database 0 only",
        "redis://:"
            + SECRET
            + "%zz@h:1 | Redis URI redis://:****@h:1: the password has a bad percent-escape",
        "redis://:"
            + SECRET
            + "%C3@h:1 | Redis URI redis://:****@h:1: the password has a bad percent-escape",
        "redis://h:1?keyPrefix=%4 | Redis URI redis://h:1?keyPrefix=%4: the value of keyPrefix '%4' has a bad percent-escape",
      })
  void fromUri_malformedUri_saysWhatIsWrongButNotThePassword(String uri, String message) {
    assertThatThrownBy(() -> RedisTier.fromUri(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message)
        .message()
        .doesNotContain(SECRET);
  }

  @Test
  void fromUri_null_throwsNullPointerException() {
    assertThatThrownBy(() -> RedisTier.fromUri(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("uri must not be null");
  }
}
