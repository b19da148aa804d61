package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.spi.CacheTier;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.KeyGlob;
import dev.loomcache.spi.StoredValue;
import dev.loomcache.spi.ValueCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** {@code invalidateMatching}: L1 by the key's text, tiers by their own pass. */
class CacheInvalidateMatchingTest {

  @Test
  void withoutTiers_matchesTheKeysToString() {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      cache.put("items:page:1", "a");
      cache.put("items:page:2", "b");
      cache.put("items:detail:1", "c");

      cache.invalidateMatching("items:page:*");

      assertThat(cache.getIfPresent("items:page:1")).isNull();
      assertThat(cache.getIfPresent("items:page:2")).isNull();
      assertThat(cache.getIfPresent("items:detail:1")).isEqualTo("c");
    }
  }

  @Test
  void duringALoadOfAMatchingKey_theLoadDoesNotStore() throws Exception {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      var started = new CountDownLatch(1);
      var release = new CountDownLatch(1);
      var result = new AtomicReference<String>();
      Thread owner =
          Thread.ofVirtual()
              .start(() ->
                  result.set(
                      cache.get(
                          "page:1",
                          () -> {
                            started.countDown();
                            release.await();
                            return "old";
                          })));
      started.await();

      cache.invalidateMatching("page:*");
      release.countDown();
      owner.join();

      assertThat(result.get()).isEqualTo("old");
      assertThat(cache.getIfPresent("page:1")).isNull();
    }
  }

  @Test
  void duringALoadOfAnotherKey_theLoadStores() throws Exception {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      var started = new CountDownLatch(1);
      var release = new CountDownLatch(1);
      Thread owner =
          Thread.ofVirtual()
              .start(() ->
                  cache.get(
                      "detail:1",
                      () -> {
                        started.countDown();
                        release.await();
                        return "kept";
                      }));
      started.await();

      cache.invalidateMatching("page:*");
      release.countDown();
      owner.join();

      assertThat(cache.getIfPresent("detail:1")).isEqualTo("kept");
    }
  }

  @Test
  void withATier_matchesEncodedKeys_andAsksTheTier() {
    var tier = new GlobTier();
    try (Cache<Long, String> cache =
        Loomcache.newBuilder()
            .keyCodec(KeyCodec.ofLong())
            .valueCodec(ValueCodec.string())
            .tier(tier)
            .build()) {
      cache.put(10L, "ten");
      cache.put(11L, "eleven");
      cache.put(20L, "twenty");

      cache.invalidateMatching("1?");

      assertThat(tier.globs).containsExactly("1?");
      assertThat(tier.entries).containsOnlyKeys("20");
      assertThat(cache.getIfPresent(10L)).isNull();
      assertThat(cache.getIfPresent(11L)).isNull();
      assertThat(cache.getIfPresent(20L)).isEqualTo("twenty");
    }
  }

  @Test
  void tierWithoutSupport_isCleared() {
    var tier = new MapTier("plain");
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(tier)
            .build()) {
      cache.put("a1", "x");
      cache.put("b1", "y");

      cache.invalidateMatching("a*");

      assertThat(tier.store().size()).isZero(); // the default clears: correct, if wasteful
      assertThat(cache.getIfPresent("b1")).isEqualTo("y"); // L1 keeps what did not match
    }
  }

  @Test
  void badGlob_isRejected() {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      assertThatThrownBy(() -> cache.invalidateMatching(""))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> cache.invalidateMatching(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("glob must not be null");
    }
  }

  /** A tier that implements matching itself, recording the globs it was asked for. */
  private static final class GlobTier implements CacheTier {
    final ConcurrentHashMap<String, StoredValue> entries = new ConcurrentHashMap<>();
    final List<String> globs = new ArrayList<>();

    @Override
    public String name() {
      return "glob";
    }

    @Override
    public @Nullable StoredValue read(String key) {
      return entries.get(key);
    }

    @Override
    public void write(String key, StoredValue value) {
      entries.put(key, value);
    }

    @Override
    public void delete(String key) {
      entries.remove(key);
    }

    @Override
    public void clear() {
      throw new AssertionError("invalidateMatching must not clear a tier that can match");
    }

    @Override
    public void invalidateMatching(KeyGlob glob) {
      globs.add(glob.glob());
      entries.keySet().removeIf(glob::matches);
    }

    @Override
    public void close() {}
  }
}
