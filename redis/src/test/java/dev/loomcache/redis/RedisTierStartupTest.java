package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.testsupport.Polling;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A load right after {@code build()} is cached like any other: the first invalidation subscription
 * must not supersede it (only a resubscription, after which messages may have been missed, clears
 * L1). A deploy-time stampede used to end with nothing cached in L1 or Redis.
 */
class RedisTierStartupTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();

  @RepeatedTest(20)
  void get_atOnceAfterBuild_storesTheValueInL1AndInRedis(RepetitionInfo repetition) {
    String prefix = "startup" + repetition.getCurrentRepetition() + ":";
    var service = redis.services().startNow(prefix);

    assertThat(service.cache().get("p1", () -> "v1")).isEqualTo("v1");

    assertInL1(service.cache(), "p1", "v1");
    assertThat(redis.raw().exists(prefix + "p1")).as("the value is in Redis").isTrue();
    assertThat(service.cache().stats().tierStats().getFirst().writeCount()).isEqualTo(1);
  }

  @Test
  void get_loadSpanningTheFirstSubscription_storesTheValueInL1AndInRedis() {
    var service = redis.services().startNow("span:");

    String value =
        service
            .cache()
            .get(
                "p1",
                () -> {
                  // The load is still running when the first subscription is confirmed (if build()
                  // had not
                  // waited for it already).
                  Polling.awaitUntil(
                      Duration.ofSeconds(10),
                      "the subscription is confirmed",
                      service.tier()::isSubscribed);
                  return "v1";
                });

    assertThat(value).isEqualTo("v1");
    assertInL1(service.cache(), "p1", "v1");
    assertThat(redis.raw().exists("span:p1")).as("the value is in Redis").isTrue();
  }

  @Test
  void build_returnsWithTheSubscriptionConfirmed_whenRedisAnswers() {
    var service = redis.services().startNow("confirmed:");

    assertThat(service.tier().isSubscribed()).isTrue();
    assertThat(service.tier().stats().subscriptionCount()).isEqualTo(1);
  }

  /** The value is in L1: {@code getIfPresent} finds it without reading the tier. */
  private static void assertInL1(Cache<String, String> cache, String key, String expected) {
    long tierReads = tierReads(cache);
    assertThat(cache.getIfPresent(key)).as("the value of %s", key).isEqualTo(expected);
    assertThat(tierReads(cache)).as("tier reads for an L1 hit").isEqualTo(tierReads);
  }

  private static long tierReads(Cache<String, String> cache) {
    var tier = cache.stats().tierStats().getFirst();
    return tier.hitCount() + tier.missCount() + tier.errorCount();
  }
}
