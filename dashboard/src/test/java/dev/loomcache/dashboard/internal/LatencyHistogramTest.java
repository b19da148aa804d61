package dev.loomcache.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void drain_nothingRecorded_isNone() {
    assertThat(new LatencyHistogram().drain()).isEqualTo(Percentiles.NONE);
  }

  @Test
  void drain_uniformLatencies_givesPercentilesWithinBucketPrecision() {
    var histogram = new LatencyHistogram();
    long[] exact = new long[10_000];
    for (int i = 0; i < exact.length; i++) {
      exact[i] = (i + 1) * 10_000L; // 10 us .. 100 ms
      histogram.record(exact[i]);
    }
    Percentiles approximate = histogram.drain();
    Percentiles truth = Percentiles.ofNanos(exact);
    assertThat(approximate.count()).isEqualTo(10_000);
    assertThat(approximate.p50Millis())
        .isCloseTo(truth.p50Millis(), within(truth.p50Millis() * 0.07));
    assertThat(approximate.p95Millis())
        .isCloseTo(truth.p95Millis(), within(truth.p95Millis() * 0.07));
    assertThat(approximate.p99Millis())
        .isCloseTo(truth.p99Millis(), within(truth.p99Millis() * 0.07));
    assertThat(approximate.maxMillis()).isEqualTo(100.0);
  }

  @Test
  void drain_twice_secondSeesOnlyWhatCameAfterTheFirst() {
    var histogram = new LatencyHistogram();
    histogram.record(50_000_000);
    histogram.drain();
    histogram.record(2_000_000);
    Percentiles second = histogram.drain();
    assertThat(second.count()).isEqualTo(1);
    assertThat(second.maxMillis()).isEqualTo(2.0);
    assertThat(second.p99Millis()).isLessThanOrEqualTo(2.0);
  }

  @Test
  void record_extremeValues_areClampedIntoTheBuckets() {
    var histogram = new LatencyHistogram();
    histogram.record(-5);
    histogram.record(Long.MAX_VALUE);
    assertThat(histogram.drain().count()).isEqualTo(2);
  }

  @Test
  void index_andLowerBound_roundTripAtEveryBucketBoundary() {
    for (int index = 0; index < 600; index++) {
      assertThat(LatencyHistogram.index(LatencyHistogram.lowerBound(index))).isEqualTo(index);
    }
  }

  @Test
  void record_fromManyVirtualThreads_losesNothing() throws Exception {
    var histogram = new LatencyHistogram();
    var start = new CountDownLatch(1);
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 100; t++) {
        executor.execute(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          for (int i = 0; i < 1_000; i++) {
            histogram.record(1_000_000);
          }
        });
      }
      start.countDown();
    }
    assertThat(histogram.drain().count()).isEqualTo(100_000);
  }

  @Test
  void percentiles_ofNanos_useNearestRank() {
    Percentiles p = Percentiles.ofNanos(new long[] {4_000_000, 1_000_000, 3_000_000, 2_000_000});
    assertThat(p.p50Millis()).isEqualTo(2.0);
    assertThat(p.p95Millis()).isEqualTo(4.0);
    assertThat(p.maxMillis()).isEqualTo(4.0);
    assertThat(Percentiles.ofNanos(new long[0])).isEqualTo(Percentiles.NONE);
  }
}
