package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.internal.CoarseClock;
import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code expireAfterAccess}: sliding idle expiry, alone and with TTLs, on a fake ticker. */
class CacheExpireAfterAccessTest {
  private static final Duration IDLE = Duration.ofMinutes(10);

  private final FakeTicker ticker = new FakeTicker();
  private final AtomicInteger loads = new AtomicInteger();
  private final Cache<String, String> cache =
      Loomcache.newBuilder().ticker(ticker::read).expireAfterAccess(IDLE).build();

  @AfterEach
  void close() {
    cache.close();
  }

  private String load(String key) {
    return cache.get(key, () -> key + "#" + loads.incrementAndGet());
  }

  @Test
  void expireAfterAccess_slidesWithEveryRead() {
    assertThat(load("k")).isEqualTo("k#1");
    for (int i = 0; i < 5; i++) {
      ticker.advance(IDLE.minusSeconds(1)); // 45 minutes in all, but never 10 idle
      assertThat(load("k")).isEqualTo("k#1");
    }
    ticker.advance(IDLE.minusSeconds(1));
    assertThat(cache.getIfPresent("k")).isEqualTo("k#1"); // getIfPresent slides too

    ticker.advance(IDLE);

    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(load("k")).isEqualTo("k#2");
  }

  @Test
  void expireAfterAccess_readsOfOtherKeys_doNotSlideIt() {
    cache.put("idle", "v");
    cache.put("busy", "v");
    for (int i = 0; i < 4; i++) {
      ticker.advance(Duration.ofMinutes(3));
      assertThat(cache.getIfPresent("busy")).isEqualTo("v");
      assertThat(cache.get("other" + i, () -> "x")).isEqualTo("x");
    }
    // 12 minutes since "idle" was written or read; 0 since "busy" was read.

    assertThat(cache.getIfPresent("idle")).isNull();
    assertThat(cache.getIfPresent("busy")).isEqualTo("v");
  }

  @Test
  void expireAfterAccess_isExact_toTheNanosecond_withAFakeTicker() {
    cache.put("k", "v");
    ticker.advance(IDLE.minusNanos(1));
    assertThat(cache.getIfPresent("k")).isEqualTo("v");
    ticker.advance(IDLE);
    assertThat(cache.getIfPresent("k")).isNull();
  }

  @Test
  void expireAfterAccess_withDefaultTtl_expiresAtTheTtlEvenIfRead() {
    try (Cache<String, String> both =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .expireAfterAccess(IDLE)
            .defaultTtl(Duration.ofMinutes(25))
            .build()) {
      both.put("k", "v");
      for (int i = 0; i < 4; i++) {
        ticker.advance(Duration.ofMinutes(6));
        assertThat(both.getIfPresent("k")).as("after %s min", 6 * (i + 1)).isEqualTo("v");
      }
      ticker.advance(Duration.ofMinutes(1)); // 25 minutes after the write

      assertThat(both.getIfPresent("k")).isNull();
    }
  }

  @Test
  void expireAfterAccess_withDefaultTtl_expiresWhenIdleBeforeTheTtl() {
    try (Cache<String, String> both =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .expireAfterAccess(IDLE)
            .defaultTtl(Duration.ofHours(1))
            .build()) {
      both.put("k", "v");
      ticker.advance(IDLE);

      assertThat(both.getIfPresent("k")).isNull();
    }
  }

  @Test
  void expireAfterAccess_withPerCallTtl_honoursBoth() {
    cache.put("short", "v", Duration.ofMinutes(2));
    cache.put("long", "v", Duration.ofHours(2));
    ticker.advance(Duration.ofMinutes(3));
    assertThat(cache.getIfPresent("short")).isNull(); // its TTL passed
    assertThat(cache.getIfPresent("long")).isEqualTo("v");
    ticker.advance(IDLE);
    assertThat(cache.getIfPresent("long")).isNull(); // idle too long
  }

  @Test
  void expireAfterAccess_countsExpiriesAsEvictions() {
    cache.put("k", "v");
    ticker.advance(IDLE);
    assertThat(cache.getIfPresent("k")).isNull();
    ((LocalCache<String, String>) cache).cleanUp();

    assertThat(cache.stats().evictionCount()).isEqualTo(1);
  }

  @Test
  void expireAfterAccess_onTheSystemTicker_readsTheCoarseClock() {
    try (Cache<String, String> real =
        Loomcache.newBuilder().expireAfterAccess(Duration.ofHours(1)).build()) {
      assertThat(CoarseClock.isRunning()).isTrue();
      real.put("k", "v");
      assertThat(real.get("k", () -> "loaded")).isEqualTo("v");
    }
  }

  @Test
  void expireAfterAccess_rejectsZeroNegativeAndASecondCall() {
    assertThatThrownBy(() -> Loomcache.newBuilder().expireAfterAccess(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expireAfterAccess must be positive, but was PT0S");
    assertThatThrownBy(() -> Loomcache.newBuilder().expireAfterAccess(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Loomcache.newBuilder().expireAfterAccess(IDLE).expireAfterAccess(IDLE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("expireAfterAccess was already set to PT10M");
    assertThatThrownBy(() -> Loomcache.newBuilder().expireAfterAccess(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("idle must not be null");
  }

  @Test
  void from_expireAfterAccess_isASpecKey() {
    var builder = Loomcache.from("expireAfterAccess=10m,defaultTtl=1h");
    assertThat(builder.toString()).isEqualTo("Loomcache{defaultTtl=1h,expireAfterAccess=10m}");
    try (Cache<String, String> fromSpec = builder.ticker(ticker::read).build()) {
      fromSpec.put("k", "v");
      ticker.advance(IDLE);
      assertThat(fromSpec.getIfPresent("k")).isNull();
    }
  }
}
