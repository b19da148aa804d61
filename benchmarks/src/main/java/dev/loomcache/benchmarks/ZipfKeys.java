package dev.loomcache.benchmarks;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A Zipf-distributed stream of key indices, precomputed so that drawing a key in a benchmark costs
 * an array read and nothing else.
 *
 * <p>Rank {@code r} (0-based) is drawn with probability proportional to {@code 1 / (r + 1)^s}.
 * Ranks are then mapped onto key indices through a seeded permutation, so the hottest keys are
 * spread over the key space instead of sitting at 0, 1, 2 (which would land them in neighbouring
 * hash bins).
 */
public final class ZipfKeys {
  private ZipfKeys() {}

  /**
   * Returns {@code count} key indices in {@code [0, keyCount)}, Zipf-distributed with exponent
   * {@code exponent}; the same seed gives the same stream.
   *
   * @throws IllegalArgumentException if {@code keyCount} or {@code count} is not positive, or
   *     {@code exponent} is negative or not finite
   */
  public static int[] sample(int keyCount, double exponent, int count, long seed) {
    if (keyCount < 1) {
      throw new IllegalArgumentException("keyCount must be positive, but was " + keyCount);
    }
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive, but was " + count);
    }
    if (!(exponent >= 0) || Double.isInfinite(exponent)) {
      throw new IllegalArgumentException("exponent must be finite and >= 0, but was " + exponent);
    }
    double[] cumulative = new double[keyCount];
    double total = 0;
    for (int rank = 0; rank < keyCount; rank++) {
      total += 1.0 / Math.pow(rank + 1, exponent);
      cumulative[rank] = total;
    }
    int[] rankToKey = permutation(keyCount, new SplittableRandom(seed ^ 0x5DEECE66DL));
    var random = new SplittableRandom(seed);
    int[] samples = new int[count];
    for (int i = 0; i < count; i++) {
      double u = random.nextDouble() * total;
      int found = Arrays.binarySearch(cumulative, u);
      int rank = found >= 0 ? found : Math.min(-found - 1, keyCount - 1);
      samples[i] = rankToKey[rank];
    }
    return samples;
  }

  /** A uniformly random permutation of {@code 0 .. n-1} (Fisher-Yates). */
  private static int[] permutation(int n, SplittableRandom random) {
    int[] values = new int[n];
    for (int i = 0; i < n; i++) {
      values[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
    return values;
  }
}
