package dev.loomcache.spi;

import static java.util.Objects.requireNonNull;

import java.io.ObjectInputFilter;

/**
 * Turns values into bytes and back. A cache's codec is fixed when it is built: stored bytes never
 * choose their own decoder.
 *
 * @param <V> the value type
 */
public interface ValueCodec<V> {

  /** Returns the bytes of {@code value}. */
  byte[] encode(V value);

  /**
   * Returns the value of {@code bytes}.
   *
   * @throws CorruptValueException if the bytes cannot or must not be decoded
   */
  V decode(byte[] bytes);

  /** UTF-8 strings. */
  static ValueCodec<String> string() {
    return Codecs.UTF8;
  }

  /** Byte arrays as they are (not copied). */
  static ValueCodec<byte[]> bytes() {
    return Codecs.BYTES;
  }

  /**
   * Java serialization, decoding only what {@code filter} allows (for example {@code
   * ObjectInputFilter.Config.createFilter("com.example.dto.*;java.base/*;!*")}). There is no
   * variant without a filter: unfiltered deserialization of bytes from a shared store lets anyone
   * who can write to it run code in this process. Values must be {@link java.io.Serializable};
   * encoding anything else throws {@link IllegalArgumentException}.
   *
   * @throws NullPointerException if {@code filter} is null
   */
  static <V> ValueCodec<V> javaSerialization(ObjectInputFilter filter) {
    requireNonNull(
        filter, "filter must not be null: Java serialization needs an ObjectInputFilter");
    return new JavaSerializationCodec<>(filter);
  }

  /**
   * Wraps {@code inner} with an HMAC-SHA256 signature: encoded bytes carry the signature of the
   * payload, and bytes whose signature does not verify (tampered with, foreign, truncated) fail to
   * decode with {@link CorruptValueException}, which the cache counts and treats as a miss.
   * Verification is constant-time.
   *
   * @throws IllegalArgumentException if {@code hmacKey} is shorter than 16 bytes
   */
  static <V> ValueCodec<V> signed(ValueCodec<V> inner, byte[] hmacKey) {
    requireNonNull(inner, "inner must not be null");
    requireNonNull(hmacKey, "hmacKey must not be null");
    if (hmacKey.length < 16) {
      throw new IllegalArgumentException(
          "hmacKey must be at least 16 bytes (32 recommended), but was " + hmacKey.length);
    }
    return new SignedCodec<>(inner, hmacKey.clone());
  }
}
