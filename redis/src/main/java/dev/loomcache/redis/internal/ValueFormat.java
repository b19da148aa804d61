package dev.loomcache.redis.internal;

import dev.loomcache.spi.CorruptValueException;
import dev.loomcache.spi.StoredFreshness;
import dev.loomcache.spi.StoredValue;
import java.nio.ByteBuffer;

/**
 * How a stored value sits in Redis: a format byte, the absolute expiry (epoch millis, big-endian),
 * then the codec's bytes. The expiry travels with the value so that a reader fills L1 with the TTL
 * that is left, from one GET. Redis expires the key itself (PX); the copy here is what L1 uses.
 *
 * <p>Format 2, for a value with {@linkplain StoredValue#freshness() freshness deadlines}, puts them
 * between the expiry and the codec's bytes: {@code [2][expiry: 8][flags: 1][refresh at: 8] [stale
 * until: 8][load nanos: 8][hit budget: 8][beta: 8][payload]} (flags bit 0: a remembered absence,
 * whose payload is empty). Values without deadlines keep format 1, byte for byte, so a cache
 * without freshness options writes what earlier versions wrote. Earlier versions refuse format 2 (a
 * counted tier error and a load, never a misread value) during a rolling upgrade.
 */
public final class ValueFormat {
  /** The first format: expiry and payload. */
  static final byte VALUE = 1;

  /** The format with freshness deadlines. */
  static final byte FRESH_VALUE = 2;

  private static final int HEADER = 1 + Long.BYTES;
  private static final int FRESH_HEADER = HEADER + 1 + 5 * Long.BYTES + Double.BYTES;

  private ValueFormat() {}

  /** Returns the bytes to store in Redis for {@code value}. */
  public static byte[] encode(StoredValue value) {
    byte[] payload = value.bytes();
    StoredFreshness freshness = value.freshness();
    if (freshness == null) {
      return ByteBuffer.allocate(HEADER + payload.length)
          .put(VALUE)
          .putLong(value.expiresAtEpochMillis())
          .put(payload)
          .array();
    }
    return ByteBuffer.allocate(FRESH_HEADER + payload.length)
        .put(FRESH_VALUE)
        .putLong(value.expiresAtEpochMillis())
        .put((byte) (freshness.absent() ? 1 : 0))
        .putLong(freshness.refreshAtEpochMillis())
        .putLong(freshness.staleUntilEpochMillis())
        .putLong(freshness.loadNanos())
        .putLong(freshness.hitBudget())
        .putDouble(freshness.earlyRefreshBeta())
        .put(payload)
        .array();
  }

  /**
   * Reads bytes written by {@link #encode}.
   *
   * @throws CorruptValueException if they were not (a foreign or truncated value under our prefix,
   *     or a format newer than this version)
   */
  public static StoredValue decode(byte[] bytes) {
    if (bytes.length >= HEADER && bytes[0] == VALUE) {
      var buffer = ByteBuffer.wrap(bytes);
      buffer.get();
      long expiresAt = buffer.getLong();
      byte[] payload = new byte[bytes.length - HEADER];
      buffer.get(payload);
      return StoredValue.of(payload, expiresAt);
    }
    if (bytes.length >= FRESH_HEADER && bytes[0] == FRESH_VALUE) {
      var buffer = ByteBuffer.wrap(bytes);
      buffer.get();
      long expiresAt = buffer.getLong();
      boolean absent = (buffer.get() & 1) != 0;
      long refreshAt = buffer.getLong();
      long staleUntil = buffer.getLong();
      long loadNanos = buffer.getLong();
      long hitBudget = buffer.getLong();
      double beta = buffer.getDouble();
      byte[] payload = new byte[bytes.length - FRESH_HEADER];
      buffer.get(payload);
      StoredFreshness freshness;
      try {
        freshness = StoredFreshness.of(refreshAt, staleUntil, loadNanos, beta, hitBudget, absent);
      } catch (IllegalArgumentException e) {
        throw new CorruptValueException(
            "Not a Loomcache value (format 2 with bad freshness: " + e.getMessage() + ")");
      }
      return StoredValue.of(payload, expiresAt).withFreshness(freshness);
    }
    throw new CorruptValueException(
        "Not a Loomcache value ("
            + bytes.length
            + " bytes, format byte "
            + (bytes.length == 0 ? "none" : bytes[0])
            + ")");
  }
}
