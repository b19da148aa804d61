package dev.loomcache.chronicle.internal;

import dev.loomcache.spi.CorruptValueException;
import dev.loomcache.spi.StoredValue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import net.openhft.chronicle.bytes.RandomDataInput;
import net.openhft.chronicle.hash.Data;

/**
 * The layout of a value in the map: {@code [expiry: 8][write stamp: 8][payload]}, both longs
 * little-endian. The expiry is absolute epoch milliseconds ({@link StoredValue#NEVER_EXPIRES} for
 * none); the write stamp orders writes, so that a full map can evict the oldest first.
 */
public final class Records {
  /** Bytes in front of the payload. */
  public static final int HEADER = 16;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Records() {}

  /** Returns the record of {@code value} written with {@code stamp}. */
  public static byte[] encode(StoredValue value, long stamp) {
    byte[] payload = value.bytes();
    byte[] record = new byte[HEADER + payload.length];
    LONGS.set(record, 0, value.expiresAtEpochMillis());
    LONGS.set(record, 8, stamp);
    System.arraycopy(payload, 0, record, HEADER, payload.length);
    return record;
  }

  /**
   * Returns the stored value of {@code record}.
   *
   * @throws CorruptValueException if the record is shorter than its header
   */
  public static StoredValue decode(byte[] record) {
    checkLength(record.length);
    return StoredValue.of(Arrays.copyOfRange(record, HEADER, record.length), expiry(record));
  }

  /** The expiry of a record known to be complete. */
  public static long expiry(byte[] record) {
    return (long) LONGS.get(record, 0);
  }

  /** Whether a record read in place holds at least its header (anything shorter is corrupt). */
  public static boolean isComplete(Data<byte[]> record) {
    return record.size() >= HEADER;
  }

  /** The expiry of a record read in place from the map, without copying it. */
  public static long expiry(Data<byte[]> record) {
    checkLength(record.size());
    return readLong(record.bytes(), record.offset());
  }

  /** The write stamp of a record read in place from the map, without copying it. */
  public static long stamp(Data<byte[]> record) {
    checkLength(record.size());
    return readLong(record.bytes(), record.offset() + 8);
  }

  /** Whether a record with this expiry has expired at {@code nowMillis}. */
  public static boolean isExpired(long expiry, long nowMillis) {
    return expiry != StoredValue.NEVER_EXPIRES && expiry <= nowMillis;
  }

  private static void checkLength(long length) {
    if (length < HEADER) {
      throw new CorruptValueException(
          "A stored record has " + length + " bytes, fewer than its " + HEADER + "-byte header");
    }
  }

  // Byte by byte: the map's own readLong uses the platform's order, the layout fixes little-endian.
  private static long readLong(RandomDataInput in, long offset) {
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = (value << 8) | (in.readByte(offset + i) & 0xFF);
    }
    return value;
  }
}
