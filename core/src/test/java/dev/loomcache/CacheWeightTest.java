package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code maximumWeight} with a {@code weigher}: eviction by weight, and the build-time rules. */
class CacheWeightTest {
  private final FakeTicker ticker = new FakeTicker();

  private static long totalWeight(Cache<String, String> cache) {
    return cache.asMap().values().stream().mapToLong(String::length).sum();
  }

  @Test
  void maximumWeight_evictsByWeight_andCountsEvictions() {
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .maximumWeight(20)
            .weigher((String key, String value) -> value.length())
            .executor(Runnable::run)
            .build()) {
      for (int i = 0; i < 10; i++) {
        cache.put("k" + i, "12345"); // weight 5 each: 50 in all, bound 20
      }
      ((LocalCache<String, String>) cache).cleanUp();

      assertThat(totalWeight(cache)).isLessThanOrEqualTo(20);
      assertThat(cache.stats().evictionCount()).isGreaterThanOrEqualTo(6);
      assertThat(cache.estimatedSize() + cache.stats().evictionCount()).isEqualTo(10);
    }
  }

  @Test
  void maximumWeight_heavyEntryTakesTheRoomOfManyLightOnes() {
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .maximumWeight(100)
            .weigher((String key, String value) -> value.length())
            .executor(Runnable::run)
            .build()) {
      for (int i = 0; i < 50; i++) {
        cache.put("light" + i, "x"); // 50 entries of weight 1 fit
      }
      ((LocalCache<String, String>) cache).cleanUp();
      assertThat(cache.estimatedSize()).isEqualTo(50);
      assertThat(cache.stats().evictionCount()).isZero();

      cache.put("heavy", "x".repeat(90));
      ((LocalCache<String, String>) cache).cleanUp();

      assertThat(totalWeight(cache)).isLessThanOrEqualTo(100);
      assertThat(cache.stats().evictionCount()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void weigher_seesTheUsersValue_evenWhenStoredWithAPerCallTtl() {
    List<Object> weighed = new CopyOnWriteArrayList<>();
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .maximumWeight(1_000)
            .weigher((String key, String value) -> {
              weighed.add(value);
              return value.length();
            })
            .ticker(ticker::read)
            .build()) {
      cache.put("plain", "v1");
      cache.put("timed", "v2", Duration.ofMinutes(1)); // stored in a deadline wrapper
      cache.get("loaded", () -> "v3", Duration.ofMinutes(1));

      assertThat(weighed).containsExactlyInAnyOrder("v1", "v2", "v3");
    }
  }

  @Test
  void weigher_negativeWeight_failsTheWriteWithAClearMessage() {
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .maximumWeight(10)
            .weigher((String key, String value) -> -1)
            .build()) {
      assertThatThrownBy(() -> cache.put("k", "v"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("weigher returned -1 for key 'k'")
          .hasMessageContaining("zero or more");
    }
  }

  @Test
  void maximumWeight_zero_storesNothing() {
    try (Cache<String, String> cache =
        Loomcache.newBuilder().maximumWeight(0).weigher((String key, String value) -> 1).build()) {
      cache.put("k", "v");
      assertThat(cache.getIfPresent("k")).isNull();
    }
  }

  @Test
  void build_maximumSizeAndMaximumWeight_isRejected() {
    var builder =
        Loomcache.newBuilder()
            .maximumSize(10)
            .maximumWeight(10)
            .weigher((Object key, Object value) -> 1);
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "maximumSize (10) and maximumWeight (10) cannot be combined: bound L1 by entry"
                + " count or by weight, not both");
  }

  @Test
  void build_maximumWeightWithoutWeigher_isRejected() {
    assertThatThrownBy(() -> Loomcache.newBuilder().maximumWeight(10).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maximumWeight (10) needs a weigher");
    assertThatThrownBy(() -> Loomcache.newBuilder().maximumWeight(10).buildFunction(x -> x))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs a weigher");
  }

  @Test
  void build_weigherWithoutMaximumWeight_isRejected() {
    assertThatThrownBy(() -> Loomcache.newBuilder().weigher((Object k, Object v) -> 1).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a weigher needs maximumWeight");
  }

  @Test
  void maximumWeight_negativeOrTwice_isRejected() {
    assertThatThrownBy(() -> Loomcache.newBuilder().maximumWeight(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximumWeight must not be negative, but was -1");
    assertThatThrownBy(() -> Loomcache.newBuilder().maximumWeight(1).maximumWeight(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maximumWeight was already set to 1");
    assertThatThrownBy(() ->
            Loomcache.newBuilder()
                .weigher((Object k, Object v) -> 1)
                .weigher((Object k, Object v) -> 2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("weigher was already set");
  }

  @Test
  void from_maximumWeight_thenWeigher_builds_andShowsInToString() {
    var builder = Loomcache.from("maximumWeight=100");
    assertThat(builder.toString()).isEqualTo("Loomcache{maximumWeight=100}");
    var weighed = builder.weigher((String key, String value) -> value.length());
    assertThat(weighed.toString()).isEqualTo("Loomcache{maximumWeight=100; weigher}");
    try (Cache<String, String> cache = weighed.build()) {
      cache.put("k", "v");
      assertThat(cache.getIfPresent("k")).isEqualTo("v");
    }
  }

  @Test
  void from_maximumWeightWithMaximumSize_failsAtBuild() {
    assertThatThrownBy(() ->
            Loomcache.from("maximumWeight=100,maximumSize=10")
                .weigher((Object k, Object v) -> 1)
                .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be combined");
    assertThatThrownBy(() -> Loomcache.from("maximumWeight=-5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad value for key 'maximumWeight'");
  }
}
