package dev.loomcache.spring;

import static java.util.Objects.requireNonNull;

import dev.loomcache.spi.CorruptValueException;
import dev.loomcache.spi.ValueCodec;
import java.util.Arrays;
import org.springframework.cache.support.NullValue;

/**
 * A value codec that keeps Spring's {@link NullValue} recognisable through tiers: the bytes start
 * with one tag byte, {@code 0} for a cached {@code null} (and nothing after it), {@code 1} for a
 * value encoded by the wrapped codec. So a {@code null} cached by one instance reads as a cached
 * {@code null} in another, or after a restart, whatever the wrapped codec is (it never sees {@code
 * NullValue}, so a Java serialization filter need not allow Spring's classes).
 *
 * <p>{@link LoomcacheCacheManager} wraps its value codec with this one; wrap the codec of a cache
 * you {@linkplain LoomcacheCacheManager#registerCustomCache register} yourself the same way if it
 * has tiers and allows nulls.
 */
public final class NullValueCodec implements ValueCodec<Object> {
  private static final byte NULL_TAG = 0;
  private static final byte VALUE_TAG = 1;

  private final ValueCodec<Object> inner;

  private NullValueCodec(ValueCodec<Object> inner) {
    this.inner = inner;
  }

  /**
   * Returns {@code inner} wrapped (or {@code inner} itself if it is already such a codec).
   *
   * @throws NullPointerException if {@code inner} is null
   */
  @SuppressWarnings("unchecked")
  public static NullValueCodec wrap(ValueCodec<?> inner) {
    requireNonNull(inner, "inner must not be null");
    return inner instanceof NullValueCodec wrapped
        ? wrapped
        : new NullValueCodec((ValueCodec<Object>) inner);
  }

  @Override
  public byte[] encode(Object value) {
    if (value == NullValue.INSTANCE || value instanceof NullValue) {
      return new byte[] {NULL_TAG};
    }
    byte[] payload = inner.encode(value);
    byte[] tagged = new byte[payload.length + 1];
    tagged[0] = VALUE_TAG;
    System.arraycopy(payload, 0, tagged, 1, payload.length);
    return tagged;
  }

  /**
   * Returns {@link NullValue#INSTANCE} for a cached {@code null}, else what the wrapped codec
   * decodes.
   *
   * @throws CorruptValueException if the tag byte is missing or unknown, or the wrapped codec
   *     rejects the payload
   */
  @Override
  public Object decode(byte[] bytes) {
    if (bytes.length == 1 && bytes[0] == NULL_TAG) {
      return NullValue.INSTANCE;
    }
    if (bytes.length == 0 || bytes[0] != VALUE_TAG) {
      throw new CorruptValueException(
          "not a value written by NullValueCodec (tag "
              + (bytes.length == 0 ? "missing" : Byte.toString(bytes[0]))
              + ")");
    }
    return inner.decode(Arrays.copyOfRange(bytes, 1, bytes.length));
  }

  @Override
  public String toString() {
    return "NullValueCodec[" + inner + "]";
  }
}
