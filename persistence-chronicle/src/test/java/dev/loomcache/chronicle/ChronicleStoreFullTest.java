package dev.loomcache.chronicle;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.StoredValue;
import dev.loomcache.spi.ValueCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store whose file is full keeps taking writes: expired entries go first, then the oldest. */
class ChronicleStoreFullTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();

  private ChronicleStore smallStore() {
    return ChronicleStore.newBuilder(dir.resolve("small.cmap"))
        .maxEntries(100)
        .averageKeySize(8)
        .averageValueSize(16)
        .clock(clock)
        .build();
  }

  private static StoredValue value(int i, long expiry) {
    return StoredValue.of(("value-" + i).getBytes(UTF_8), expiry);
  }

  @Test
  void write_farBeyondCapacity_neverThrows_evictsTheOldest_keepsTheNewest() {
    try (ChronicleStore store = smallStore()) {
      int n = 5_000;
      for (int i = 0; i < n; i++) {
        store.write("k" + i, value(i, StoredValue.NEVER_EXPIRES));
      }

      assertThat(store.evictionCount()).isPositive();
      assertThat(store.skippedWriteCount()).isZero();
      assertThat(store.read("k" + (n - 1))).isEqualTo(value(n - 1, StoredValue.NEVER_EXPIRES));
      // Eviction goes by write order: what is left is the most recent run of keys.
      var present = new ArrayList<Integer>();
      for (int i = 0; i < n; i++) {
        if (store.read("k" + i) != null) {
          present.add(i);
        }
      }
      assertThat(present).hasSize((int) store.estimatedSize());
      assertThat(present.getLast() - present.getFirst() + 1).isEqualTo(present.size());
      assertThat(present.getLast()).isEqualTo(n - 1);
    }
  }

  @Test
  void fullFile_dropsExpiredEntriesBeforeAnyLiveOne() {
    try (ChronicleStore store = smallStore()) {
      // Fill up with entries that then expire, noting when the file first fills.
      int expiring = 0;
      while (store.evictionCount() + store.purgedCount() == 0) {
        store.write("old" + expiring, value(expiring, clock.millis() + 1_000));
        expiring++;
      }
      store.clear(); // start over knowing the capacity, below it
      int fill = expiring * 3 / 4;
      for (int i = 0; i < fill; i++) {
        store.write("old" + i, value(i, clock.millis() + 1_000));
      }
      clock.advance(Duration.ofSeconds(2));
      long evictedBefore = store.evictionCount();

      int live = fill / 2; // more than the room left, less than the room the expired ones hold
      for (int i = 0; i < live; i++) {
        store.write("live" + i, value(i, StoredValue.NEVER_EXPIRES));
      }

      assertThat(store.purgedCount()).isEqualTo(fill);
      assertThat(store.evictionCount()).isEqualTo(evictedBefore);
      for (int i = 0; i < live; i++) {
        assertThat(store.read("live" + i)).as("live" + i).isNotNull();
      }
    }
  }

  @Test
  void valueTooLargeForTheFile_isSkippedAndCounted_andThePreviousValueRemoved() {
    try (ChronicleStore store = smallStore()) {
      store.write("k", value(1, StoredValue.NEVER_EXPIRES));
      store.write("k", StoredValue.of(new byte[1 << 20], StoredValue.NEVER_EXPIRES));

      assertThat(store.skippedWriteCount()).isEqualTo(1);
      assertThat(store.read("k")).isNull(); // never the old value behind the cache's back
      store.write("k", value(2, StoredValue.NEVER_EXPIRES));
      assertThat(store.read("k")).isEqualTo(value(2, StoredValue.NEVER_EXPIRES));
    }
  }

  @Test
  void concurrentWritersOnAFullFile_allReturn_andWhatRemainsIsCorrect() throws Exception {
    try (ChronicleStore store = smallStore()) {
      int writers = 16;
      int perWriter = 500;
      var start = new CountDownLatch(1);
      var futures = new ArrayList<Future<?>>();
      try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int w = 0; w < writers; w++) {
          int writer = w;
          futures.add(
              executor.submit(() -> {
                start.await();
                for (int i = 0; i < perWriter; i++) {
                  store.write("w" + writer + "-" + i, value(i, StoredValue.NEVER_EXPIRES));
                }
                return null;
              }));
        }
        start.countDown();
        awaitAll(futures); // rethrows any writer's exception
      }

      assertThat(store.evictionCount()).isPositive();
      int present = 0;
      for (int w = 0; w < writers; w++) {
        for (int i = 0; i < perWriter; i++) {
          StoredValue stored = store.read("w" + w + "-" + i);
          if (stored != null) {
            present++;
            assertThat(stored).isEqualTo(value(i, StoredValue.NEVER_EXPIRES));
          }
        }
      }
      assertThat(present).isPositive().isEqualTo((int) store.estimatedSize());
      store.write("after", value(0, StoredValue.NEVER_EXPIRES));
      assertThat(store.read("after")).isNotNull();
    }
  }

  @Test
  void cacheOverAFullFile_putsNeverFail_andTheTierCountsNoErrors() {
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .maximumSize(50)
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(smallStore())
            .build()) {
      for (int i = 0; i < 3_000; i++) {
        cache.put("k" + i, "v" + i, Duration.ofHours(1));
      }
      assertThat(cache.get("k2999", () -> "loaded")).isEqualTo("v2999");
      assertThat(cache.stats().tierStats().getFirst().errorCount()).isZero();
      assertThat(cache.stats().tierStats().getFirst().writeCount()).isEqualTo(3_000);
    }
  }

  private static void awaitAll(List<Future<?>> futures)
      throws InterruptedException, ExecutionException, TimeoutException {
    for (Future<?> future : futures) {
      future.get(30, TimeUnit.SECONDS);
    }
  }
}
