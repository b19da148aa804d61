package dev.loomcache.redis.internal;

import dev.loomcache.spi.CorruptValueException;
import dev.loomcache.spi.StoredValue;
import java.nio.ByteBuffer;

/**
 * How a stored value sits in Redis: a format byte, the absolute expiry (epoch millis, big-endian),
 * then the codec's bytes. The expiry travels with the value so that a reader fills L1 with the TTL
 * that is left, from one GET. Redis expires the key itself (PX); the copy here is what L1 uses.
 */
public final class ValueFormat {
  /** The only format so far; other first bytes are refused, so a future format cannot be misread. */
  static final byte VALUE = 1;
  private static final int HEADER = 1 + Long.BYTES;

  private ValueFormat() {}

  /** Returns the bytes to store in Redis for {@code value}. */
  public static byte[] encode(StoredValue value) {
    byte[] payload = value.bytes();
    return ByteBuffer.allocate(HEADER + payload.length)
        .put(VALUE)
        .putLong(value.expiresAtEpochMillis())
        .put(payload)
        .array();
  }

  /**
   * Reads bytes written by {@link #encode}.
   *
   * @throws CorruptValueException if they were not (a foreign or truncated value under our prefix)
   */
  public static StoredValue decode(byte[] bytes) {
    if (bytes.length < HEADER || bytes[0] != VALUE) {
      throw new CorruptValueException(
          "Not a Loomcache value (" + bytes.length + " bytes, format byte "
              + (bytes.length == 0 ? "none" : bytes[0]) + ")");
    }
    var buffer = ByteBuffer.wrap(bytes);
    buffer.get();
    long expiresAt = buffer.getLong();
    byte[] payload = new byte[bytes.length - HEADER];
    buffer.get(payload);
    return StoredValue.of(payload, expiresAt);
  }
}
