package dev.loomcache.chronicle;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.chronicle.internal.Records;
import dev.loomcache.chronicle.internal.StoreFile;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.StoredFreshness;
import dev.loomcache.spi.StoredValue;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.FakeTicker;
import dev.loomcache.testsupport.Polling;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Freshness deadlines kept in the file (record format 2), and files of the earlier formats. */
class ChronicleStoreFreshnessTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();

  private Path file() {
    return dir.resolve("fresh.cmap");
  }

  private ChronicleStore store() {
    return ChronicleStore.newBuilder(file()).maxEntries(10_000).clock(clock).build();
  }

  private Cache<String, String> cacheOver(
      ChronicleStore store, FakeTicker ticker, boolean staleIfError) {
    var builder = Loomcache.newBuilder().ticker(ticker::read).defaultTtl(Duration.ofMinutes(5));
    if (staleIfError) {
      builder.staleIfError(Duration.ofMinutes(30));
    } else {
      builder.refreshAfter(Duration.ofMinutes(4));
    }
    return builder.keyCodec(KeyCodec.string()).valueCodec(ValueCodec.string()).tier(store).build();
  }

  /**
   * The cache of a process started {@code later}: the store's wall clock and the cache's ticker
   * (after the cache took its wall-clock origin) both move on by {@code later}.
   */
  private Cache<String, String> restartedCache(
      ChronicleStore store, FakeTicker ticker, boolean staleIfError, Duration later) {
    Cache<String, String> cache = cacheOver(store, ticker, staleIfError);
    clock.advance(later);
    ticker.advance(later);
    return cache;
  }

  @Test
  void restart_pastTheRefreshPoint_servesTheValueAndRefreshesIt() {
    try (Cache<String, String> first = cacheOver(store(), new FakeTicker(), false)) {
      first.get("k", () -> "v1");
    }

    var reloads = new AtomicInteger();
    // 4.5 minutes later: past the 4 m refresh point.
    try (Cache<String, String> second =
        restartedCache(store(), new FakeTicker(), false, Duration.ofSeconds(270))) {
      assertThat(second.get("k", () -> "v" + (1 + reloads.incrementAndGet()))).isEqualTo("v1");
      Polling.awaitUntil(WAIT, "the refresh", () -> second.stats().refreshCount() == 1);
      assertThat(reloads).hasValue(1);
      assertThat(second.get("k", () -> "unused")).isEqualTo("v2");
    }
  }

  @Test
  void restart_beforeTheRefreshPoint_keepsTheWritersRefreshPoint() {
    try (Cache<String, String> first = cacheOver(store(), new FakeTicker(), false)) {
      first.get("k", () -> "v1");
    }

    var later = new FakeTicker();
    try (Cache<String, String> second =
        restartedCache(store(), later, false, Duration.ofMinutes(3))) {
      assertThat(second.get("k", () -> "v2")).isEqualTo("v1");
      later.advance(Duration.ofSeconds(30)); // 3.5 m: a fresh 4 m window would not refresh yet
      assertThat(second.get("k", () -> "v2")).isEqualTo("v1");
      assertThat(second.stats().refreshCount()).isZero();
      later.advance(Duration.ofSeconds(31)); // past the writer's refresh point
      assertThat(second.get("k", () -> "v2")).isEqualTo("v1");
      Polling.awaitUntil(WAIT, "the refresh", () -> second.stats().refreshCount() == 1);
    }
  }

  @Test
  void restart_pastTheTtlInsideTheStaleWindow_servesTheValueWhenTheLoaderFails() {
    try (Cache<String, String> first = cacheOver(store(), new FakeTicker(), true)) {
      first.get("k", () -> "v1");
    }

    try (ChronicleStore store = store();
        Cache<String, String> second =
            restartedCache(store, new FakeTicker(), true, Duration.ofMinutes(10))) {
      assertThat(store.purgeExpired()).isZero(); // kept through its stale window
      assertThat(
              second.get(
                  "k",
                  () -> {
                    throw new IllegalStateException("database down");
                  }))
          .isEqualTo("v1");
      assertThat(second.stats().staleServedCount()).isEqualTo(1);
    }
  }

  @Test
  void purge_removesARecordOnlyAfterItsStaleWindow() {
    long now = clock.millis();
    try (ChronicleStore store = store()) {
      store.write(
          "k",
          StoredValue.of("v".getBytes(UTF_8), now + 1_000)
              .withFreshness(
                  StoredFreshness.of(StoredFreshness.NEVER, now + 10_000, 5, 0, -1, false)));
      clock.advance(Duration.ofSeconds(5));
      assertThat(store.read("k"))
          .isNotNull()
          .satisfies(v -> assertThat(v.isExpiredAt(clock.millis())).isTrue());
      assertThat(store.purgeExpired()).isZero();
      clock.advance(Duration.ofSeconds(6));
      assertThat(store.read("k")).isNull();
      assertThat(store.purgeExpired()).isEqualTo(1);
    }
  }

  @Test
  void records_roundTripFreshnessWithAndWithoutTags() {
    var freshness = StoredFreshness.of(1_000, 9_000, 20_000_000, 1.5, 7, false);
    var plain = StoredValue.of("payload".getBytes(UTF_8), 5_000).withFreshness(freshness);
    var tagged =
        StoredValue.of("payload".getBytes(UTF_8), 5_000, Set.of("t1", "t2"))
            .withFreshness(freshness);
    var absent =
        StoredValue.of(new byte[0], 5_000)
            .withFreshness(StoredFreshness.of(StoredFreshness.NEVER, 0, 3, 0, -1, true));

    assertThat(Records.decode(Records.encode(plain, 42))).isEqualTo(plain);
    assertThat(Records.decode(Records.encode(tagged, 42))).isEqualTo(tagged);
    assertThat(Records.decode(Records.encode(absent, 42))).isEqualTo(absent);
    assertThat(Records.tags(Records.encode(tagged, 42))).containsExactlyInAnyOrder("t1", "t2");
    assertThat(Records.tags(Records.encode(plain, 42))).isEmpty();
    // The header's expiry is the retention, so purges and evictions need not read the block.
    assertThat(Records.expiry(Records.encode(plain, 42))).isEqualTo(9_000);
  }

  @Test
  void fileOfTheEarlierFormats_opens_andItsRecordsReadWithoutFreshness() {
    long expiry = clock.millis() + Duration.ofMinutes(10).toMillis(); // slack for a slow machine
    writeEarlierFormatFixture(expiry);

    try (ChronicleStore store = store()) {
      StoredValue plain = store.read("plain");
      assertThat(plain).isEqualTo(StoredValue.of("old".getBytes(UTF_8), expiry));
      assertThat(plain.freshness()).isNull();
      StoredValue tagged = store.read("tagged");
      assertThat(tagged)
          .isEqualTo(StoredValue.of("old-tagged".getBytes(UTF_8), expiry, Set.of("t")));
      store.invalidateTag("t");
      assertThat(store.read("tagged")).isNull();
    }

    // A cache with freshness options promotes such a value with its remaining TTL only: no
    // refresh point (a 4 m one from the promotion would have passed here).
    FakeTicker ticker = new FakeTicker();
    try (Cache<String, String> cache = cacheOver(store(), ticker, false)) {
      assertThat(cache.get("plain", () -> "new")).isEqualTo("old");
      ticker.advance(Duration.ofSeconds(270));
      clock.advance(Duration.ofSeconds(270));
      assertThat(cache.get("plain", () -> "new")).isEqualTo("old");
      assertThat(cache.get("plain", () -> "new")).isEqualTo("old");
      assertThat(cache.stats().refreshCount()).isZero();
    }
  }

  /**
   * The fixture generator: records laid out as the versions before freshness wrote them ({@code
   * [expiry][stamp][payload]}, and the tagged layout with the stamp's top bit), put into a
   * Chronicle Map file directly, byte for byte, not through {@link Records#encode}.
   */
  private void writeEarlierFormatFixture(long expiry) {
    try (StoreFile file = StoreFile.open(file(), new StoreFile.Sizing(10_000, 32, 256), false)) {
      byte[] payload = "old".getBytes(UTF_8);
      file.map()
          .put(
              "plain",
              ByteBuffer.allocate(16 + payload.length)
                  .order(ByteOrder.LITTLE_ENDIAN)
                  .putLong(expiry)
                  .putLong(1_000)
                  .put(payload)
                  .array());
      byte[] tagged = "old-tagged".getBytes(UTF_8);
      file.map()
          .put(
              "tagged",
              ByteBuffer.allocate(16 + 4 + 4 + 1 + tagged.length)
                  .order(ByteOrder.LITTLE_ENDIAN)
                  .putLong(expiry)
                  .putLong(1_001 | Long.MIN_VALUE)
                  .putInt(1)
                  .putInt(1)
                  .put((byte) 't')
                  .put(tagged)
                  .array());
    }
  }
}
