package dev.loomcache.chronicle.internal;

import dev.loomcache.spi.CorruptValueException;
import dev.loomcache.spi.StoredValue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import net.openhft.chronicle.bytes.RandomDataInput;
import net.openhft.chronicle.hash.Data;

/**
 * The layout of a value in the map: {@code [expiry: 8][write stamp: 8][payload]}, both longs
 * little-endian. The expiry is absolute epoch milliseconds ({@link StoredValue#NEVER_EXPIRES} for
 * none); the write stamp orders writes, so that a full map can evict the oldest first.
 *
 * <p>A value with tags sets the stamp's top bit (stamps are positive microseconds, so the bit is
 * free) and puts its tags between the header and the payload: {@code [count: 4]} then, per tag,
 * {@code [length: 4][UTF-8 bytes]}, ints little-endian. Records without tags keep the original
 * layout, so files written before tags existed read as they did.
 */
public final class Records {
  /** Bytes in front of the payload. */
  public static final int HEADER = 16;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long TAGGED = Long.MIN_VALUE;

  private Records() {}

  /** Returns the record of {@code value} written with {@code stamp}. */
  public static byte[] encode(StoredValue value, long stamp) {
    byte[] payload = value.bytes();
    if (value.tags().isEmpty()) {
      byte[] record = new byte[HEADER + payload.length];
      LONGS.set(record, 0, value.expiresAtEpochMillis());
      LONGS.set(record, 8, stamp);
      System.arraycopy(payload, 0, record, HEADER, payload.length);
      return record;
    }
    var tags = new ArrayList<byte[]>(value.tags().size());
    int tagBytes = 4;
    for (String tag : value.tags()) {
      byte[] encoded = tag.getBytes(UTF_8);
      tags.add(encoded);
      tagBytes += 4 + encoded.length;
    }
    byte[] record = new byte[HEADER + tagBytes + payload.length];
    LONGS.set(record, 0, value.expiresAtEpochMillis());
    LONGS.set(record, 8, stamp | TAGGED);
    int at = HEADER;
    INTS.set(record, at, tags.size());
    at += 4;
    for (byte[] tag : tags) {
      INTS.set(record, at, tag.length);
      System.arraycopy(tag, 0, record, at + 4, tag.length);
      at += 4 + tag.length;
    }
    System.arraycopy(payload, 0, record, at, payload.length);
    return record;
  }

  /**
   * Returns the stored value of {@code record}.
   *
   * @throws CorruptValueException if the record is shorter than its header or its tags
   */
  public static StoredValue decode(byte[] record) {
    checkLength(record.length);
    if (((long) LONGS.get(record, 8) & TAGGED) == 0) {
      return StoredValue.of(Arrays.copyOfRange(record, HEADER, record.length), expiry(record));
    }
    var tags = new LinkedHashSet<String>();
    int payloadAt = readTags(record, tags);
    return StoredValue.of(Arrays.copyOfRange(record, payloadAt, record.length), expiry(record), tags);
  }

  /**
   * The tags of a complete record (empty for an untagged one).
   *
   * @throws CorruptValueException if its tags are cut short
   */
  public static Set<String> tags(byte[] record) {
    checkLength(record.length);
    if (((long) LONGS.get(record, 8) & TAGGED) == 0) {
      return Set.of();
    }
    var tags = new LinkedHashSet<String>();
    readTags(record, tags);
    return tags;
  }

  /** Reads the tags of a tagged record into {@code into}; returns where its payload starts. */
  private static int readTags(byte[] record, Set<String> into) {
    int at = HEADER;
    int count = at + 4 <= record.length ? (int) INTS.get(record, at) : -1;
    if (count < 0) {
      throw corruptTags(record.length);
    }
    at += 4;
    for (int i = 0; i < count; i++) {
      int length = at + 4 <= record.length ? (int) INTS.get(record, at) : -1;
      if (length < 0 || at + 4 + length > record.length) {
        throw corruptTags(record.length);
      }
      into.add(new String(record, at + 4, length, UTF_8));
      at += 4 + length;
    }
    return at;
  }

  private static CorruptValueException corruptTags(int length) {
    return new CorruptValueException("A stored record of " + length + " bytes is marked as tagged,"
        + " but its tags run past its end");
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
    return readLong(record.bytes(), record.offset() + 8) & ~TAGGED;
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
