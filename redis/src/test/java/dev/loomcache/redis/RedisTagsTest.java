package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.Polling;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * Tags in Redis: a sorted set per tag kept by the write's own script, tag invalidation across
 * instances, and tag sets that shrink and expire with their entries.
 */
class RedisTagsTest {
  private static final Duration PROPAGATION = Duration.ofSeconds(10);

  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  /** Values are written "tag1,tag2|payload": the tags are the part before the bar. */
  static List<String> tagsOfValue(String value) {
    int bar = value.indexOf('|');
    return bar <= 0 ? List.of() : List.of(value.substring(0, bar).split(","));
  }

  record Node(RedisTier tier, Cache<String, String> cache) {}

  Node start(String prefix) {
    return start(prefix, b -> b);
  }

  Node start(String prefix, UnaryOperator<RedisTierBuilder> options) {
    var client = RedisClient.create("127.0.0.1", redis.server().port());
    opened.push(client);
    RedisTier tier =
        Services.withTestTimeout(options.apply(RedisTier.newBuilder(client).keyPrefix(prefix)))
            .build();
    Cache<String, String> cache =
        Loomcache.newBuilder()
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tags((String key, String value) -> tagsOfValue(value))
            .tier(tier)
            .build();
    opened.push(cache);
    Polling.awaitUntil(
        PROPAGATION, "the invalidation subscription is confirmed", tier::isSubscribed);
    return new Node(tier, cache);
  }

  @AfterEach
  void closeAll() throws Exception {
    while (!opened.isEmpty()) {
      opened.pop().close();
    }
  }

  @Test
  void taggedWrite_addsTheKeyToEachTagsSet() {
    Node a = start("tw:");
    a.cache().put("k1", "user:1,org:2|v");

    assertThat(redis.raw().zrange("tw:__tag:user:1", 0, -1)).containsExactly("k1");
    assertThat(redis.raw().zrange("tw:__tag:org:2", 0, -1)).containsExactly("k1");
    assertThat(redis.raw().pttl("tw:__tag:user:1")).isEqualTo(-1L); // never expires, like k1
  }

  @Test
  void invalidateTag_removesTheTaggedKeysFromRedis_andLeavesTheOthers() {
    Node a = start("it:");
    a.cache().put("a", "t|A");
    a.cache().put("b", "t,u|B");
    a.cache().put("c", "u|C");
    a.cache().get("d", () -> "t|D");

    a.cache().invalidateTag("t");

    assertThat(redis.raw().get("it:a")).isNull();
    assertThat(redis.raw().get("it:b")).isNull();
    assertThat(redis.raw().get("it:d")).isNull();
    assertThat(redis.raw().exists("it:c")).isTrue();
    assertThat(redis.raw().exists("it:__tag:t")).isFalse();
    assertThat(a.cache().getIfPresent("a")).isNull();
    assertThat(a.cache().getIfPresent("c")).isEqualTo("u|C");
  }

  @Test
  void invalidateTag_onOneInstance_dropsTheOthersL1Copies() {
    Node a = start("x:");
    Node b = start("x:");
    a.cache().put("a", "user:1|A");
    a.cache().put("c", "user:2|C");
    // b holds both in L1 (retried: the message of a's put may still drop b's copy)
    Polling.awaitUntil(
        PROPAGATION,
        "b holds a and c in L1",
        () -> {
          b.cache().getIfPresent("a");
          b.cache().getIfPresent("c");
          long reads = tierReads(b.cache());
          return "user:1|A".equals(b.cache().getIfPresent("a"))
              && "user:2|C".equals(b.cache().getIfPresent("c"))
              && tierReads(b.cache()) == reads;
        });
    long received = b.tier().stats().receivedInvalidationCount();

    a.cache().invalidateTag("user:1");

    Polling.awaitUntil(
        PROPAGATION,
        "b hears the tag invalidation",
        () -> b.tier().stats().receivedInvalidationCount() > received);
    assertThat(b.cache().get("a", () -> "reloaded")).isEqualTo("reloaded");
    long reads = tierReads(b.cache());
    assertThat(b.cache().getIfPresent("c")).isEqualTo("user:2|C");
    assertThat(tierReads(b.cache())).isEqualTo(reads); // still an L1 hit: other tags untouched
  }

  @Test
  void invalidateMatching_onOneInstance_dropsTheOthersMatchingL1Copies() {
    Node a = start("m:");
    Node b = start("m:");
    a.cache().put("page:1", "P1");
    a.cache().put("detail:1", "D1");
    Polling.awaitUntil(
        PROPAGATION,
        "b holds both in L1",
        () -> {
          b.cache().getIfPresent("page:1");
          b.cache().getIfPresent("detail:1");
          long reads = tierReads(b.cache());
          return "P1".equals(b.cache().getIfPresent("page:1"))
              && "D1".equals(b.cache().getIfPresent("detail:1"))
              && tierReads(b.cache()) == reads;
        });
    long received = b.tier().stats().receivedInvalidationCount();

    a.cache().invalidateMatching("page:*");

    Polling.awaitUntil(
        PROPAGATION,
        "b hears the pattern invalidation",
        () -> b.tier().stats().receivedInvalidationCount() > received);
    assertThat(b.cache().get("page:1", () -> "reloaded")).isEqualTo("reloaded");
    long reads = tierReads(b.cache());
    assertThat(b.cache().getIfPresent("detail:1")).isEqualTo("D1");
    assertThat(tierReads(b.cache())).isEqualTo(reads);
  }

  /**
   * The TTL scales for writes of short-lived entries: 1, 4, 16, 64. A test tries them in turn until
   * its writes (and the look at Redis after them) finish within the shortest TTL, so that no entry
   * has expired while they ran: on a loaded machine 200 writes may take longer than 200 ms. The
   * check itself is never relaxed; only an attempt whose premise held is checked.
   */
  private static final int[] TTL_SCALES = {1, 4, 16, 64};

  private static boolean finishedWithin(long startNanos, Duration shortestTtl) {
    return System.nanoTime() - startNanos < shortestTtl.toNanos();
  }

  @Test
  void tagSet_expiresWithItsLastEntry() {
    Node a = start("ex:");
    for (int scale : TTL_SCALES) {
      String tag = "short" + scale;
      long start = System.nanoTime();
      for (int i = 0; i < 200; i++) {
        a.cache().put("k" + scale + "-" + i, tag + "|v", Duration.ofMillis(scale * (300L + i)));
      }
      long members = redis.raw().zcard("ex:__tag:" + tag);
      long pttl = redis.raw().pttl("ex:__tag:" + tag);
      if (!finishedWithin(start, Duration.ofMillis(scale * 300L))) {
        assertThat(scale)
            .as("200 writes took longer than %d ms", scale * 300L)
            .isLessThan(TTL_SCALES[TTL_SCALES.length - 1]);
        continue; // some entries may have expired (and been dropped) already: try longer TTLs
      }
      assertThat(members).isEqualTo(200);
      assertThat(pttl).isPositive().isLessThanOrEqualTo(scale * (300L + 199) + 50);

      Polling.awaitUntil(
          PROPAGATION.plusMillis(scale * 500L),
          "the tag set expires with its entries",
          () -> !redis.raw().exists("ex:__tag:" + tag));
      return;
    }
  }

  @Test
  void tagSet_dropsExpiredMembers_onTheNextTaggedWrite() {
    Node a = start("pr:");
    for (int scale : TTL_SCALES) {
      String tag = "t" + scale;
      String set = "pr:__tag:" + tag;
      Duration ttl = Duration.ofMillis(scale * 200L);
      long start = System.nanoTime();
      for (int i = 0; i < 200; i++) {
        a.cache().put("old" + scale + "-" + i, tag + "|v", ttl);
      }
      a.cache().put("keeper" + scale, tag + "|v", Duration.ofMinutes(10));
      long members = redis.raw().zcard(set);
      if (!finishedWithin(start, ttl)) {
        assertThat(scale)
            .as("201 writes took longer than %s", ttl)
            .isLessThan(TTL_SCALES[TTL_SCALES.length - 1]);
        continue; // the keeper's write may have dropped members that expired: try longer TTLs
      }
      assertThat(members).isEqualTo(201);
      Polling.awaitUntil(
          PROPAGATION.plus(ttl),
          "the short entries expire",
          () ->
              redis.raw().dbSize() > 0
                  && !redis.raw().exists("pr:old" + scale + "-199")
                  && !redis.raw().exists("pr:old" + scale + "-0"));
      Polling.awaitUntil(
          PROPAGATION,
          "their expiry has passed by the client's clock too",
          () -> {
            a.cache().put("probe" + scale, tag + "|v", Duration.ofMinutes(10));
            return redis.raw().zcard(set) == 2;
          });
      assertThat(redis.raw().zrange(set, 0, -1))
          .containsExactlyInAnyOrder("keeper" + scale, "probe" + scale);
      assertThat(redis.raw().pttl(set)).isGreaterThan(Duration.ofMinutes(9).toMillis());
      return;
    }
  }

  @Test
  void writeBehind_invalidateTag_discardsQueuedWritesCarryingTheTag() {
    Node a = start("wb:", b -> b.writeMode(WriteMode.WRITE_BEHIND));
    a.cache().put("a", "t|A");
    a.cache().put("c", "u|C");

    a.cache().invalidateTag("t");
    a.cache().close(); // flushes whatever is still queued

    assertThat(redis.raw().exists("wb:a")).isFalse();
    assertThat(redis.raw().get("wb:c")).isNotNull();
  }

  @Test
  void untaggedCache_invalidateTag_stillRemovesWhatATaggedInstanceWrote() {
    Node tagged = start("mix:");
    tagged.cache().put("a", "t|A");
    var client = RedisClient.create("127.0.0.1", redis.server().port());
    opened.push(client);
    RedisTier tier =
        Services.withTestTimeout(RedisTier.newBuilder(client).keyPrefix("mix:")).build();
    Cache<String, String> plain =
        Loomcache.newBuilder()
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(tier)
            .build();
    opened.push(plain);

    plain.invalidateTag("t");

    assertThat(redis.raw().exists("mix:a")).isFalse();
  }

  static long tierReads(Cache<String, String> cache) {
    var tier = cache.stats().tierStats().getFirst();
    return tier.hitCount() + tier.missCount() + tier.errorCount();
  }
}
