package dev.loomcache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class SameBinKeysTest {

  @Test
  void sharingBinWith_anyAnchor_keysAgreeInLowSpreadBits() {
    for (int anchor : new int[] {0, 1, 12_345, -7, Integer.MAX_VALUE}) {
      int[] keys = SameBinKeys.sharingBinWith(anchor, 5_000);
      int bin = SameBinKeys.spread(anchor) & 0xFFFF;
      assertThat(Arrays.stream(keys).allMatch(k -> (SameBinKeys.spread(k) & 0xFFFF) == bin))
          .isTrue();
    }
  }

  @Test
  void sharingBinWith_maximumCount_keysAreDistinctAndExcludeTheAnchor() {
    int[] keys = SameBinKeys.sharingBinWith(12_345, 65_535);
    assertThat(Arrays.stream(keys).distinct().count()).isEqualTo(65_535);
    assertThat(keys).doesNotContain(12_345);
  }

  @Test
  void spread_matchesConcurrentHashMapsFormula() {
    assertThat(SameBinKeys.spread(0x12345678)).isEqualTo((0x12345678 ^ 0x1234) & 0x7fffffff);
    assertThat(SameBinKeys.spread(-1)).isEqualTo((-1 ^ 0xFFFF) & 0x7fffffff);
  }

  @Test
  void sharingBinWith_invalidCount_throws() {
    assertThatThrownBy(() -> SameBinKeys.sharingBinWith(1, -1)).hasMessageContaining("count");
    assertThatThrownBy(() -> SameBinKeys.sharingBinWith(1, 65_536)).hasMessageContaining("count");
  }

  /** The property the collateral harness relies on, shown on a real map of two table sizes. */
  @Test
  void sharingBinWith_computeOnAnchor_blocksSameBinKeyButNotOthers() throws Exception {
    for (var map :
        List.of(
            new ConcurrentHashMap<Integer, Integer>(),
            new ConcurrentHashMap<Integer, Integer>(40_000))) {
      int anchor = 12_345;
      int sameBin = SameBinKeys.sharingBinWith(anchor, 1)[0];
      int otherBin = anchor + 1;
      var inside = new CountDownLatch(1);
      var release = new CountDownLatch(1);
      Thread holder =
          Thread.ofPlatform()
              .start(() ->
                  map.compute(
                      anchor,
                      (k, v) -> {
                        inside.countDown();
                        awaitQuietly(release);
                        return 1;
                      }));
      inside.await();
      map.computeIfAbsent(otherBin, k -> 2); // a different bin: not blocked
      Thread blocked = Thread.ofPlatform().start(() -> map.computeIfAbsent(sameBin, k -> 3));
      awaitUntil(() -> blocked.getState() == Thread.State.BLOCKED);
      assertThat(map).doesNotContainKey(sameBin);
      release.countDown();
      holder.join();
      blocked.join();
      assertThat(map).containsEntry(anchor, 1).containsEntry(otherBin, 2).containsEntry(sameBin, 3);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitUntil(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 10 s");
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
