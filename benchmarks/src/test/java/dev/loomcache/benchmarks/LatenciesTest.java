package dev.loomcache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatenciesTest {

  @Test
  void percentile_oneToHundred_isNearestRank() {
    long[] values = LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray(); // unsorted
    Latencies latencies = Latencies.of(values);
    assertThat(latencies.percentile(50)).isEqualTo(50);
    assertThat(latencies.percentile(99)).isEqualTo(99);
    assertThat(latencies.percentile(100)).isEqualTo(100);
    assertThat(latencies.percentile(0.1)).isEqualTo(1);
    assertThat(latencies.max()).isEqualTo(100);
    assertThat(latencies.count()).isEqualTo(100);
  }

  @Test
  void of_count_usesOnlyThePrefix() {
    Latencies latencies = Latencies.of(new long[] {5, 1, 1000, 2000}, 2);
    assertThat(latencies.max()).isEqualTo(5);
    assertThatThrownBy(() -> Latencies.of(new long[] {1}, 2)).hasMessageContaining("count");
    assertThatThrownBy(() -> Latencies.of(new long[0])).hasMessageContaining("count");
  }

  @Test
  void percentile_outOfRange_throws() {
    Latencies latencies = Latencies.of(new long[] {1});
    assertThatThrownBy(() -> latencies.percentile(0)).hasMessageContaining("percent");
    assertThatThrownBy(() -> latencies.percentile(100.5)).hasMessageContaining("percent");
  }

  @Test
  void median_oddAndEvenCounts_middleOrMeanOfMiddleTwo() {
    assertThat(Latencies.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(Latencies.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThatThrownBy(() -> Latencies.median(new double[0])).hasMessageContaining("empty");
  }

  @Test
  void millisAndMicros_convertNanos() {
    assertThat(Latencies.millis(2_500_000)).isEqualTo(2.5);
    assertThat(Latencies.micros(2_500)).isEqualTo(2.5);
  }
}
