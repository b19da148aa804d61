package dev.loomcache.benchmarks;

/**
 * Integer keys that fall into the same {@link java.util.concurrent.ConcurrentHashMap} bin, so that
 * a harness can put a fast key next to a slow one on purpose.
 *
 * <p>{@code ConcurrentHashMap} picks a key's bin from the low bits of {@code spread(h) = (h ^ (h
 * >>> 16)) & 0x7fffffff}, where {@code h} is the key's {@code hashCode} (for an {@link Integer},
 * its value). Two keys whose spread hashes agree in their low {@value #BITS} bits share a bin in
 * every table of up to 2^{@value #BITS} bins, i.e. in any map of fewer than 49,152 entries. Writing
 * {@code h = hi << 16 | lo}, the low 16 bits of {@code spread(h)} are {@code lo ^ hi}: so for a
 * target {@code t} and every {@code hi}, the key {@code hi << 16 | (t ^ hi)} lands in {@code t}'s
 * bin. That gives 65,536 keys per bin, found without searching.
 */
public final class SameBinKeys {
  /** How many low bits of the spread hash the keys share. */
  public static final int BITS = 16;

  private static final int LOW = (1 << BITS) - 1;

  private SameBinKeys() {}

  /** {@code ConcurrentHashMap}'s spread of a hash code. */
  public static int spread(int hash) {
    return (hash ^ (hash >>> 16)) & 0x7fffffff;
  }

  /**
   * Returns {@code count} distinct keys, other than {@code key}, whose spread hash agrees with
   * {@code key}'s in the low {@value #BITS} bits.
   *
   * @throws IllegalArgumentException if {@code count} is negative or more than 65,535
   */
  public static int[] sharingBinWith(int key, int count) {
    if (count < 0 || count > LOW) {
      throw new IllegalArgumentException("count must be in [0, " + LOW + "], but was " + count);
    }
    int target = spread(key) & LOW;
    int[] keys = new int[count];
    int found = 0;
    for (int hi = 1; found < count; hi++) {
      int candidate = ((hi & LOW) << 16) | (target ^ (hi & LOW));
      if (candidate != key) {
        keys[found++] = candidate;
      }
    }
    return keys;
  }
}
