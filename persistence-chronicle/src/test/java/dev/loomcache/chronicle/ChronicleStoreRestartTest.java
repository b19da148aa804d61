package dev.loomcache.chronicle;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.StoredValue;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.FakeTicker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new store (and a new cache) on the same file finds after the previous one closed. */
class ChronicleStoreRestartTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();
  private final FakeTicker ticker = new FakeTicker();

  private Path file() {
    return dir.resolve("restart.cmap");
  }

  private ChronicleStore store() {
    return ChronicleStore.newBuilder(file()).maxEntries(10_000).clock(clock).build();
  }

  private Cache<String, String> cacheOver(ChronicleStore store) {
    return Loomcache.newBuilder()
        .ticker(ticker::read)
        .keyCodec(KeyCodec.string())
        .valueCodec(ValueCodec.string())
        .tier(store)
        .build();
  }

  @Test
  void restart_readsBackEveryValueWithItsAbsoluteExpiry() {
    long expiry = clock.millis() + 60_000;
    try (ChronicleStore store = store()) {
      store.write("ttl", StoredValue.of("v1".getBytes(UTF_8), expiry));
      store.write("forever", StoredValue.of("v2".getBytes(UTF_8), StoredValue.NEVER_EXPIRES));
    }
    assertThat(dir.resolve("restart.cmap.state")).hasContent("C");

    clock.advance(Duration.ofSeconds(45));
    try (ChronicleStore reopened = store()) {
      assertThat(reopened.recovered()).isFalse();
      StoredValue ttl = reopened.read("ttl");
      assertThat(ttl).isEqualTo(StoredValue.of("v1".getBytes(UTF_8), expiry));
      assertThat(ttl.expiresAtEpochMillis() - clock.millis()).isEqualTo(15_000); // remaining TTL
      assertThat(reopened.read("forever"))
          .isEqualTo(StoredValue.of("v2".getBytes(UTF_8), StoredValue.NEVER_EXPIRES));
    }
  }

  @Test
  void restart_afterTheTtl_expiredEntriesAreNotReturned_andArePurged() {
    try (ChronicleStore store = store()) {
      store.write("short", StoredValue.of("s".getBytes(UTF_8), clock.millis() + 10_000));
      store.write("long", StoredValue.of("l".getBytes(UTF_8), clock.millis() + 60_000));
    }
    clock.advance(Duration.ofSeconds(11));
    try (ChronicleStore reopened = store()) {
      assertThat(reopened.read("short")).isNull();
      assertThat(reopened.read("long")).isNotNull();
      assertThat(reopened.purgeExpired()).isEqualTo(1);
      assertThat(reopened.estimatedSize()).isEqualTo(1);
    }
  }

  @Test
  void cachePut_thenClose_aSecondCacheOverTheFileReadsIt_withTheRemainingTtl() {
    try (Cache<String, String> first = cacheOver(store())) {
      first.put("user:1", "Ada", Duration.ofSeconds(60));
      first.put("user:2", "Grace");
    }

    try (Cache<String, String> second = cacheOver(store())) {
      var loads = new AtomicInteger();
      assertThat(second.get("user:1", () -> "loaded" + loads.incrementAndGet())).isEqualTo("Ada");
      assertThat(second.getIfPresent("user:2")).isEqualTo("Grace");
      assertThat(loads).hasValue(0);
      assertThat(second.stats().tierStats())
          .singleElement()
          .satisfies(t -> assertThat(t.hitCount()).isEqualTo(2));

      ticker.advance(Duration.ofSeconds(55)); // real time passed too, but far less than 5 s
      assertThat(second.getIfPresent("user:1")).isEqualTo("Ada");
      ticker.advance(Duration.ofSeconds(6));
      assertThat(second.get("user:1", () -> "loaded" + loads.incrementAndGet()))
          .isEqualTo("loaded1");
    }
  }

  @Test
  void cacheInvalidations_reachTheFile_closeKeepsTheRest() {
    try (Cache<String, String> cache = cacheOver(store())) {
      cache.put("a", "1");
      cache.put("b", "2");
      cache.put("c", "3");
      cache.invalidate("a");
    }
    try (ChronicleStore store = store()) {
      assertThat(store.read("a")).isNull();
      assertThat(store.read("b")).isNotNull();
      assertThat(store.estimatedSize()).isEqualTo(2);
    }
    try (Cache<String, String> cache = cacheOver(store())) {
      cache.invalidateAll();
    }
    try (ChronicleStore store = store()) {
      assertThat(store.estimatedSize()).isZero();
    }
  }

  @Test
  void preload_promotesEveryLiveEntryIntoL1_withoutWritingBack() {
    try (ChronicleStore store = store()) {
      for (int i = 0; i < 200; i++) {
        store.write("k" + i, StoredValue.of(("v" + i).getBytes(UTF_8), clock.millis() + 60_000));
      }
      store.write("expired", StoredValue.of("x".getBytes(UTF_8), clock.millis() - 1));
      store.write("not-a-long", StoredValue.of("x".getBytes(UTF_8), StoredValue.NEVER_EXPIRES));
    }

    ChronicleStore store = store();
    try (Cache<String, String> cache = cacheOver(store)) {
      assertThat(store.preload(cache, KeyCodec.string())).isEqualTo(201);

      assertThat(cache.estimatedSize()).isEqualTo(201);
      assertThat(cache.stats().tierStats().getFirst().writeCount()).isZero();
      int readsBefore = (int) cache.stats().tierStats().getFirst().hitCount();
      assertThat(cache.getIfPresent("k7")).isEqualTo("v7"); // from L1 now
      assertThat(cache.stats().tierStats().getFirst().hitCount()).isEqualTo(readsBefore);
    }
  }

  @Test
  void preload_withAKeyCodecThatRejectsSomeKeys_skipsThem() {
    try (ChronicleStore store = store()) {
      store.write("42", StoredValue.of("answer".getBytes(UTF_8), StoredValue.NEVER_EXPIRES));
      store.write("not-a-long", StoredValue.of("x".getBytes(UTF_8), StoredValue.NEVER_EXPIRES));
    }
    ChronicleStore store = store();
    try (Cache<Long, String> cache =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .keyCodec(KeyCodec.ofLong())
            .valueCodec(ValueCodec.string())
            .tier(store)
            .build()) {
      assertThat(store.preload(cache, KeyCodec.ofLong())).isEqualTo(1);
      assertThat(cache.getIfPresent(42L)).isEqualTo("answer");
    }
  }

  @Test
  void preload_intoACacheWithoutThisStore_isRejected() {
    try (ChronicleStore store = store();
        Cache<String, String> unrelated = Loomcache.newBuilder().build()) {
      assertThatThrownBy(() -> store.preload(unrelated, KeyCodec.string()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no tier named 'chronicle'");
    }
  }
}
