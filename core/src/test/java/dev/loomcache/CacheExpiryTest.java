package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CacheExpiryTest {
  private final FakeTicker ticker = new FakeTicker();
  private final Cache<String, String> cache =
      Loomcache.newBuilder().ticker(ticker::read).defaultTtl(Duration.ofMinutes(5)).build();

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void defaultTtl_expiresEntries() {
    cache.put("k", "v");

    ticker.advance(Duration.ofMinutes(5).minusNanos(1));
    assertThat(cache.getIfPresent("k")).isEqualTo("v");

    ticker.advance(Duration.ofNanos(1));
    assertThat(cache.getIfPresent("k")).isNull();
  }

  @Test
  void defaultTtl_appliesToLoadedValues() {
    var calls = new AtomicInteger();
    cache.get("k", () -> "v" + calls.incrementAndGet());

    ticker.advance(Duration.ofMinutes(6));

    assertThat(cache.get("k", () -> "v" + calls.incrementAndGet())).isEqualTo("v2");
  }

  @Test
  void perEntryTtl_shorterThanDefault_wins() {
    cache.get("k", () -> "v", Duration.ofSeconds(10));
    cache.put("p", "v", Duration.ofSeconds(10));

    ticker.advance(Duration.ofSeconds(11));

    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.getIfPresent("p")).isNull();
  }

  @Test
  void perEntryTtl_longerThanDefault_wins() {
    cache.get("k", () -> "v", Duration.ofHours(1));
    cache.put("p", "v", Duration.ofHours(1));

    ticker.advance(Duration.ofMinutes(30));

    assertThat(cache.getIfPresent("k")).isEqualTo("v");
    assertThat(cache.getIfPresent("p")).isEqualTo("v");
    ticker.advance(Duration.ofMinutes(31));
    assertThat(cache.getIfPresent("k")).isNull();
  }

  @Test
  void noExpiry_outlivesDefault() {
    cache.put("forever", "v", Loomcache.NO_EXPIRY);
    cache.get("loaded-forever", () -> "v", Loomcache.NO_EXPIRY);
    cache.put("huge", "v", Duration.ofDays(365L * 1000));

    ticker.advance(Duration.ofDays(365L * 100));

    assertThat(cache.getIfPresent("forever")).isEqualTo("v");
    assertThat(cache.getIfPresent("loaded-forever")).isEqualTo("v");
    assertThat(cache.getIfPresent("huge")).isEqualTo("v");
  }

  @Test
  void defaultIsNoExpiry_whenNoDefaultTtlIsSet() {
    try (Cache<String, String> eternal = Loomcache.newBuilder().ticker(ticker::read).build()) {
      eternal.put("k", "v");
      ticker.advance(Duration.ofDays(365L * 100));
      assertThat(eternal.getIfPresent("k")).isEqualTo("v");
    }
  }

  @Test
  void zeroTtl_onGet_returnsValueButStoresNothing() {
    var calls = new AtomicInteger();

    assertThat(cache.get("k", () -> "v" + calls.incrementAndGet(), Duration.ZERO)).isEqualTo("v1");
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.get("k", () -> "v" + calls.incrementAndGet(), Duration.ZERO)).isEqualTo("v2");
    assertThat(cache.estimatedSize()).isZero();
  }

  @Test
  void zeroTtl_onPut_neverEvictsLiveEntry() {
    cache.put("k", "live");

    cache.put("k", "ignored", Duration.ZERO);

    assertThat(cache.getIfPresent("k")).isEqualTo("live");
  }

  @Test
  void zeroTtl_onGetOfPresentKey_returnsLiveEntry() {
    cache.put("k", "live");

    assertThat(cache.get("k", () -> "loaded", Duration.ZERO)).isEqualTo("live");
    assertThat(cache.getIfPresent("k")).isEqualTo("live");
  }

  @Test
  void put_replacingEntry_takesTheNewTtl() {
    cache.put("k", "short", Duration.ofSeconds(1));
    cache.put("k", "long", Duration.ofHours(1));

    ticker.advance(Duration.ofMinutes(1));

    assertThat(cache.getIfPresent("k")).isEqualTo("long");
  }

  @Test
  void expiredEntries_countAsEvictions() {
    cache.put("k", "v", Duration.ofSeconds(1));
    ticker.advance(Duration.ofSeconds(2));

    assertThat(cache.getIfPresent("k")).isNull();
    ((LocalCache<String, String>) cache).cleanUp();

    assertThat(cache.stats().evictionCount()).isEqualTo(1);
    assertThat(cache.estimatedSize()).isZero();
  }
}
