package dev.loomcache.chronicle.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.loomcache.spi.CorruptValueException;
import dev.loomcache.spi.StoredFreshness;
import dev.loomcache.spi.StoredValue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import net.openhft.chronicle.bytes.RandomDataInput;
import net.openhft.chronicle.hash.Data;
import org.jspecify.annotations.Nullable;

/**
 * The layout of a value in the map: {@code [expiry: 8][write stamp: 8][payload]}, both longs
 * little-endian. The expiry is absolute epoch milliseconds ({@link StoredValue#NEVER_EXPIRES} for
 * none); the write stamp orders writes, so that a full map can evict the oldest first.
 *
 * <p>A value with tags sets the stamp's top bit (stamps are positive microseconds, so the bit is
 * free) and puts its tags between the header and the payload: {@code [count: 4]} then, per tag,
 * {@code [length: 4][UTF-8 bytes]}, ints little-endian. Records without tags keep the original
 * layout, so files written before tags existed read as they did.
 *
 * <p>A value with {@linkplain StoredValue#freshness() freshness deadlines} (format 2) sets the
 * stamp's next bit as well ({@link #FRESH}, always with the tagged bit) and puts a freshness block
 * first in the tag list, counted with the tags: {@code [length: 4][version: 1][flags: 1] [expiry:
 * 8][refresh at: 8][stale until: 8][load nanos: 8][hit budget: 8][beta: 8]} (flags bit 0: a
 * remembered absence). The header's expiry is then the record's retention ({@link
 * StoredValue#retainUntilEpochMillis()}, later than its expiry when it has a stale window), so the
 * purge and the full-map eviction read every format alike. Records of the earlier formats (plain,
 * tagged) read as values without freshness. A build that knows only those formats reads a format-2
 * record as a tagged one: the right payload, the freshness block as one meaningless tag, and its
 * retention as its expiry (a value in its stale window reads as live there).
 */
public final class Records {
  /** Bytes in front of the payload. */
  public static final int HEADER = 16;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long TAGGED = Long.MIN_VALUE;

  /** The stamp bit of a record with a freshness block (stamps stay far below 2^62). */
  static final long FRESH = 1L << 62;

  private static final long FLAGS = TAGGED | FRESH;
  private static final byte FRESHNESS_VERSION = 1;
  private static final int FRESHNESS_BYTES = 2 + 6 * 8;

  private Records() {}

  /** Returns the record of {@code value} written with {@code stamp}. */
  public static byte[] encode(StoredValue value, long stamp) {
    byte[] payload = value.bytes();
    StoredFreshness freshness = value.freshness();
    if (value.tags().isEmpty() && freshness == null) {
      byte[] record = new byte[HEADER + payload.length];
      LONGS.set(record, 0, value.expiresAtEpochMillis());
      LONGS.set(record, 8, stamp);
      System.arraycopy(payload, 0, record, HEADER, payload.length);
      return record;
    }
    var tags = new ArrayList<byte[]>(value.tags().size() + 1);
    if (freshness != null) {
      tags.add(freshnessBlock(value, freshness));
    }
    int tagBytes = 4;
    for (String tag : value.tags()) {
      byte[] encoded = tag.getBytes(UTF_8);
      tags.add(encoded);
    }
    for (byte[] tag : tags) {
      tagBytes += 4 + tag.length;
    }
    byte[] record = new byte[HEADER + tagBytes + payload.length];
    LONGS.set(record, 0, value.retainUntilEpochMillis());
    LONGS.set(record, 8, stamp | TAGGED | (freshness != null ? FRESH : 0));
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

  private static byte[] freshnessBlock(StoredValue value, StoredFreshness freshness) {
    byte[] block = new byte[FRESHNESS_BYTES];
    block[0] = FRESHNESS_VERSION;
    block[1] = (byte) (freshness.absent() ? 1 : 0);
    LONGS.set(block, 2, value.expiresAtEpochMillis());
    LONGS.set(block, 10, freshness.refreshAtEpochMillis());
    LONGS.set(block, 18, freshness.staleUntilEpochMillis());
    LONGS.set(block, 26, freshness.loadNanos());
    LONGS.set(block, 34, freshness.hitBudget());
    LONGS.set(block, 42, Double.doubleToRawLongBits(freshness.earlyRefreshBeta()));
    return block;
  }

  /**
   * Returns the stored value of {@code record}.
   *
   * @throws CorruptValueException if the record is shorter than its header or its tags, or its
   *     freshness block is not one this version can read
   */
  public static StoredValue decode(byte[] record) {
    checkLength(record.length);
    long flags = (long) LONGS.get(record, 8) & FLAGS;
    if (flags == 0) {
      return StoredValue.of(Arrays.copyOfRange(record, HEADER, record.length), expiry(record));
    }
    var tags = new LinkedHashSet<String>();
    boolean fresh = (flags & FRESH) != 0;
    int[] block = new int[1];
    int payloadAt = readTags(record, tags, fresh ? block : null);
    byte[] payload = Arrays.copyOfRange(record, payloadAt, record.length);
    if (!fresh) {
      return StoredValue.of(payload, expiry(record), tags);
    }
    int at = block[0];
    if (record[at] != FRESHNESS_VERSION) {
      throw new CorruptValueException(
          "A stored record has a freshness block of version "
              + record[at]
              + ", which this version of loomcache-persistence-chronicle cannot read"
              + " (it reads version "
              + FRESHNESS_VERSION
              + "): open the file with the version that"
              + " wrote it, or delete the file to start empty");
    }
    long expiresAt = (long) LONGS.get(record, at + 2);
    StoredFreshness freshness =
        StoredFreshness.of(
            (long) LONGS.get(record, at + 10),
            (long) LONGS.get(record, at + 18),
            Math.max(0, (long) LONGS.get(record, at + 26)),
            Math.max(0, Double.longBitsToDouble((long) LONGS.get(record, at + 42))),
            Math.max(-1, (long) LONGS.get(record, at + 34)),
            (record[at + 1] & 1) != 0);
    return StoredValue.of(payload, expiresAt, tags).withFreshness(freshness);
  }

  /**
   * The tags of a complete record (empty for an untagged one).
   *
   * @throws CorruptValueException if its tags are cut short
   */
  public static Set<String> tags(byte[] record) {
    checkLength(record.length);
    long flags = (long) LONGS.get(record, 8) & FLAGS;
    if (flags == 0) {
      return Set.of();
    }
    var tags = new LinkedHashSet<String>();
    readTags(record, tags, (flags & FRESH) != 0 ? new int[1] : null);
    return tags;
  }

  /**
   * Reads the tags of a tagged record into {@code into}; returns where its payload starts. With
   * {@code block}, the first entry is the freshness block: its offset goes to {@code block[0]}.
   */
  private static int readTags(byte[] record, Set<String> into, int @Nullable [] block) {
    int at = HEADER;
    int count = at + 4 <= record.length ? (int) INTS.get(record, at) : -1;
    if (count < 0 || (block != null && count < 1)) {
      throw corruptTags(record.length);
    }
    at += 4;
    for (int i = 0; i < count; i++) {
      int length = at + 4 <= record.length ? (int) INTS.get(record, at) : -1;
      if (length < 0 || at + 4 + length > record.length) {
        throw corruptTags(record.length);
      }
      if (i == 0 && block != null) {
        if (length < 1 || (record[at + 4] == FRESHNESS_VERSION && length < FRESHNESS_BYTES)) {
          throw corruptTags(record.length);
        }
        block[0] = at + 4;
        at += 4 + length;
        continue;
      }
      into.add(new String(record, at + 4, length, UTF_8));
      at += 4 + length;
    }
    return at;
  }

  private static CorruptValueException corruptTags(int length) {
    return new CorruptValueException(
        "A stored record of "
            + length
            + " bytes is marked as tagged,"
            + " but its tags run past its end");
  }

  /** The header's expiry (the retention, for a record with a stale window) of a complete record. */
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
    return readLong(record.bytes(), record.offset() + 8) & ~FLAGS;
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
