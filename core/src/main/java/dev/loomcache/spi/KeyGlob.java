package dev.loomcache.spi;

import static java.util.Objects.requireNonNull;

/**
 * A glob over encoded keys, as {@code Cache.invalidateMatching} takes it: {@code *} matches any run
 * of characters (the empty one included), {@code ?} exactly one character, and every other
 * character only itself. There is no escape: a key containing {@code *} or {@code ?} is matched by
 * those characters' wildcard meaning. Immutable and thread-safe.
 */
public final class KeyGlob {
  private final String glob;

  private KeyGlob(String glob) {
    this.glob = glob;
  }

  /**
   * Returns the glob {@code glob}.
   *
   * @throws NullPointerException if {@code glob} is null
   * @throws IllegalArgumentException if {@code glob} is empty (it would match no key; use {@code
   *     "*"} for every key)
   */
  public static KeyGlob of(String glob) {
    requireNonNull(glob, "glob must not be null");
    if (glob.isEmpty()) {
      throw new IllegalArgumentException(
          "glob must not be empty; use \"*\" to match every key, or invalidateAll()");
    }
    return new KeyGlob(glob);
  }

  /** The glob as given. */
  public String glob() {
    return glob;
  }

  /** Whether the glob matches every key ({@code *}, {@code **}, ...). */
  public boolean matchesEverything() {
    for (int i = 0; i < glob.length(); i++) {
      if (glob.charAt(i) != '*') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code key} matches; linear in the lengths of the key and the glob (the usual
   * backtrack-to-the-last-star walk, which never backtracks further).
   */
  public boolean matches(CharSequence key) {
    int k = 0;
    int g = 0;
    int starAt = -1;
    int keyAtStar = 0;
    while (k < key.length()) {
      if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == key.charAt(k))) {
        k++;
        g++;
      } else if (g < glob.length() && glob.charAt(g) == '*') {
        starAt = g++;
        keyAtStar = k;
      } else if (starAt >= 0) {
        g = starAt + 1;
        k = ++keyAtStar;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyGlob other && glob.equals(other.glob);
  }

  @Override
  public int hashCode() {
    return glob.hashCode();
  }

  @Override
  public String toString() {
    return glob;
  }
}
