package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.StoredValue;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.FakeTicker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@code CacheTier.maxLocalLifetime()}: a shared tier bounds how long its entries stay in L1, so a
 * change made behind the cache's back (a lost invalidation) is read from the tier once it passes.
 */
class CacheMaxLocalLifetimeTest {
  private final FakeTicker ticker = new FakeTicker();

  /** A MapTier whose entries may live at most {@code bound} in L1. */
  private static final class BoundedTier implements dev.loomcache.spi.CacheTier {
    private final MapTier inner = new MapTier("bounded");
    private final @Nullable Duration bound;

    BoundedTier(@Nullable Duration bound) {
      this.bound = bound;
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public @Nullable StoredValue read(String key) {
      return inner.read(key);
    }

    @Override
    public void write(String key, StoredValue value) {
      inner.write(key, value);
    }

    @Override
    public void delete(String key) {
      inner.delete(key);
    }

    @Override
    public void clear() {
      inner.clear();
    }

    @Override
    public void close() {
      inner.close();
    }

    @Override
    public @Nullable Duration maxLocalLifetime() {
      return bound;
    }

    /** Changes the stored value without telling the cache, as a lost message would leave it. */
    void changeBehindTheCachesBack(String key, String value) {
      inner
          .store()
          .put(
              key,
              StoredValue.of(value.getBytes(StandardCharsets.UTF_8), StoredValue.NEVER_EXPIRES));
    }
  }

  private Cache<String, String> cacheOver(BoundedTier tier, @Nullable Duration defaultTtl) {
    var builder =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(tier);
    if (defaultTtl != null) {
      builder.defaultTtl(defaultTtl);
    }
    return builder.build();
  }

  @Test
  void entry_isRereadFromTheTier_afterTheTiersBound_evenWithoutATtl() {
    var tier = new BoundedTier(Duration.ofSeconds(2));
    try (var cache = cacheOver(tier, null)) {
      cache.put("k", "v0");
      tier.changeBehindTheCachesBack("k", "v1");
      ticker.advance(Duration.ofMillis(1_900));
      assertThat(cache.getIfPresent("k")).isEqualTo("v0"); // L1 still serves it within the bound

      ticker.advance(Duration.ofMillis(200));

      assertThat(cache.getIfPresent("k")).isEqualTo("v1");
    }
  }

  @Test
  void bound_capsALongerTtl_andLeavesAShorterOneAlone() {
    var tier = new BoundedTier(Duration.ofSeconds(2));
    try (var cache = cacheOver(tier, Duration.ofHours(1))) {
      cache.put("long", "v0");
      cache.put("short", "s0", Duration.ofSeconds(1));
      tier.changeBehindTheCachesBack("long", "v1");
      ticker.advance(Duration.ofMillis(1_100));
      assertThat(cache.getIfPresent("short")).isNull(); // its own TTL, shorter than the bound
      assertThat(cache.getIfPresent("long")).isEqualTo("v0");
      ticker.advance(Duration.ofMillis(1_000));
      assertThat(cache.getIfPresent("long")).isEqualTo("v1");
    }
  }

  @Test
  void tierWithoutABound_leavesL1EntriesUntilTheirTtl() {
    var tier = new BoundedTier(null);
    try (var cache = cacheOver(tier, null)) {
      cache.put("k", "v0");
      tier.changeBehindTheCachesBack("k", "v1");
      ticker.advance(Duration.ofDays(30));
      assertThat(cache.getIfPresent("k")).isEqualTo("v0");
    }
  }
}
