package dev.loomcache.spi;

import static java.util.Objects.requireNonNull;

/**
 * Turns keys into strings that are stable across processes (and back), so that tiers shared between
 * restarts or instances find the same entry. Two different keys must never encode to the same
 * string.
 *
 * @param <K> the key type
 */
public interface KeyCodec<K> {

  /** Returns the stable string form of {@code key}. */
  String encode(K key);

  /**
   * Returns the key whose string form is {@code encoded}; used when another instance invalidates a
   * key through a shared tier.
   *
   * @throws IllegalArgumentException if {@code encoded} is not the form of any key
   */
  K decode(String encoded);

  /** Strings as they are. */
  static KeyCodec<String> string() {
    return Codecs.STRING_KEYS;
  }

  /** Longs in decimal. */
  static KeyCodec<Long> ofLong() {
    return Codecs.LONG_KEYS;
  }

  /** Builds a codec from two functions; {@code decode} must invert {@code encode}. */
  static <K> KeyCodec<K> of(
      java.util.function.Function<? super K, String> encode,
      java.util.function.Function<String, ? extends K> decode) {
    requireNonNull(encode, "encode must not be null");
    requireNonNull(decode, "decode must not be null");
    return new KeyCodec<>() {
      @Override
      public String encode(K key) {
        return encode.apply(key);
      }

      @Override
      public K decode(String encoded) {
        return decode.apply(encoded);
      }
    };
  }
}
