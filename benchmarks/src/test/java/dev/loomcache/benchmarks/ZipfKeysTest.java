package dev.loomcache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZipfKeysTest {

  @Test
  void sample_sameSeed_sameStream() {
    assertThat(ZipfKeys.sample(1000, 1.0, 10_000, 7))
        .containsExactly(ZipfKeys.sample(1000, 1.0, 10_000, 7));
  }

  @Test
  void sample_anySeed_staysInRange() {
    int[] samples = ZipfKeys.sample(100, 0.99, 50_000, 3);
    assertThat(Arrays.stream(samples).allMatch(i -> i >= 0 && i < 100)).isTrue();
  }

  @Test
  void sample_exponentOne_hottestKeyHasZipfShare() {
    int n = 1000;
    int count = 200_000;
    int[] frequency = counts(ZipfKeys.sample(n, 1.0, count, 11), n);
    double harmonic = 0;
    for (int rank = 1; rank <= n; rank++) {
      harmonic += 1.0 / rank;
    }
    double expectedTopShare = 1 / harmonic;
    double expectedTenthShare = 1 / (10 * harmonic);
    int[] sorted = frequency.clone();
    Arrays.sort(sorted);
    assertThat((double) sorted[n - 1] / count).isCloseTo(expectedTopShare, within(0.01));
    assertThat((double) sorted[n - 10] / count).isCloseTo(expectedTenthShare, within(0.005));
  }

  @Test
  void sample_exponentZero_isUniform() {
    int n = 10;
    int count = 100_000;
    int[] frequency = counts(ZipfKeys.sample(n, 0, count, 5), n);
    for (int f : frequency) {
      assertThat((double) f / count).isCloseTo(1.0 / n, within(0.01));
    }
  }

  @Test
  void sample_hotKeys_areNotTheLowestIndices() {
    int n = 1000;
    int[] frequency = counts(ZipfKeys.sample(n, 1.0, 100_000, 13), n);
    Integer[] byHeat = new Integer[n];
    for (int i = 0; i < n; i++) {
      byHeat[i] = i;
    }
    Arrays.sort(byHeat, (a, b) -> Integer.compare(frequency[b], frequency[a]));
    // ranks go through a permutation, so the ten hottest keys are scattered, not 0..9
    assertThat(Arrays.asList(byHeat).subList(0, 10))
        .isNotEqualTo(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    assertThat(Arrays.stream(byHeat, 0, 10).mapToInt(Integer::intValue).max().orElseThrow())
        .isGreaterThan(10);
  }

  @Test
  void sample_invalidArguments_throwNamingTheParameter() {
    assertThatThrownBy(() -> ZipfKeys.sample(0, 1, 1, 1)).hasMessageContaining("keyCount");
    assertThatThrownBy(() -> ZipfKeys.sample(1, 1, 0, 1)).hasMessageContaining("count");
    assertThatThrownBy(() -> ZipfKeys.sample(1, -1, 1, 1)).hasMessageContaining("exponent");
    assertThatThrownBy(() -> ZipfKeys.sample(1, Double.NaN, 1, 1)).hasMessageContaining("exponent");
  }

  private static int[] counts(int[] samples, int n) {
    int[] frequency = new int[n];
    for (int sample : samples) {
      frequency[sample]++;
    }
    return frequency;
  }
}
