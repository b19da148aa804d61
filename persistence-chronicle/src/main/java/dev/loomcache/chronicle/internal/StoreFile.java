package dev.loomcache.chronicle.internal;

import dev.loomcache.chronicle.CorruptStoreFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.hash.ChronicleHashCorruption;
import net.openhft.chronicle.hash.ChronicleHashRecoveryFailedException;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Chronicle Map file with its state sidecar ({@code <file>.state}): one byte saying whether the
 * last process to use the file closed it cleanly, held under an exclusive file lock while the file
 * is open so that only one store (in any process) uses it at a time.
 *
 * <p>Opening: a file marked clean is opened normally. A file not marked clean (its writer was
 * killed, or the state is missing) is first opened normally and closed again, which checks the
 * header and the length without touching the segment locks a dead writer may hold, and then opened
 * with Chronicle's recovery, which resets those locks and drops torn entries (each one logged and
 * counted). Without recovery such a file can hang or throw {@code InterProcessDeadLockException}. A
 * file that fails the checks is corrupt: an exception, or set aside with {@code MOVE_ASIDE}.
 */
public final class StoreFile implements AutoCloseable {
  static {
    ChronicleEnvironment.silenceChronicle(); // also here, in case this class is reached first
  }

  private static final Logger logger = LoggerFactory.getLogger("dev.loomcache.chronicle");

  /** The map's name in Chronicle's messages (Chronicle does not keep it in the file). */
  private static final String MAP_NAME = "loomcache";

  private static final byte CLEAN = 'C';
  private static final byte DIRTY = 'D';
  private static final byte CREATING = 'N';
  private static final int HEADER_READY_WORD_OFFSET = 8;
  private static final int MIN_HEADER_BYTES = 12;
  private static final int MAX_LOGGED_CORRUPTIONS = 10;

  /** The sizes the map is built for. */
  public record Sizing(long entries, double averageKeySize, double averageValueSize) {}

  private final Path file;
  private final ChronicleMap<String, byte[]> map;
  private final FileChannel state;
  private final FileLock lock;
  private final boolean recovered;
  private final long corruptions;

  private StoreFile(
      Path file,
      ChronicleMap<String, byte[]> map,
      FileChannel state,
      FileLock lock,
      boolean recovered,
      long corruptions) {
    this.file = file;
    this.map = map;
    this.state = state;
    this.lock = lock;
    this.recovered = recovered;
    this.corruptions = corruptions;
  }

  /**
   * Opens (or creates) the store file, recovering it if it was not closed cleanly.
   *
   * @throws IllegalStateException if another store holds the file
   * @throws CorruptStoreFileException if the file is corrupt and {@code moveAside} is false
   * @throws UncheckedIOException if the file or its sidecar cannot be read or written
   */
  public static StoreFile open(Path file, Sizing sizing, boolean moveAside) {
    Path statePath = file.resolveSibling(file.getFileName() + ".state");
    FileChannel state;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      state =
          FileChannel.open(
              statePath,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open " + statePath + " beside the store file", e);
    }
    @Nullable FileLock lock = null;
    try {
      lock = tryLock(state);
      if (lock == null) {
        throw new IllegalStateException(
            "The store file "
                + file
                + " is in use by another"
                + " ChronicleStore, in this process or another; close that one first");
      }
      var corruptions = new AtomicLong();
      byte previous = readState(state);
      ChronicleMapBuilder<String, byte[]> builder = builder(sizing);
      ChronicleMap<String, byte[]> map;
      boolean recovered = false;
      if (previous == CREATING || !Files.exists(file) || Files.size(file) == 0) {
        map = create(file, builder, state, previous == CREATING);
      } else {
        try {
          checkHeader(file);
          if (previous == CLEAN) {
            map = checkTypes(file, builder.createPersistedTo(file.toFile()));
          } else {
            checkTypes(file, builder.createPersistedTo(file.toFile())).close();
            logger.warn("The store file {} was not closed cleanly; recovering it", file);
            map =
                checkTypes(
                    file,
                    builder.recoverPersistedTo(
                        file.toFile(),
                        true,
                        c -> corrupted(file, c, corruptions.incrementAndGet())));
            recovered = true;
            logger.warn(
                "Recovered the store file {}: {} entries, {} repaired corruptions",
                file,
                map.longSize(),
                corruptions.get());
          }
        } catch (IOException | ChronicleHashRecoveryFailedException | NotOurs e) {
          if (!moveAside) {
            throw new CorruptStoreFileException(file, String.valueOf(e.getMessage()), e);
          }
          Path aside =
              file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
          Files.move(file, aside);
          logger.warn(
              "The store file {} is corrupt ({}); moved it to {} and started empty",
              file,
              e.getMessage(),
              aside);
          map = create(file, builder, state, false);
        }
      }
      writeState(state, DIRTY);
      return new StoreFile(file, map, state, lock, recovered, corruptions.get());
    } catch (IOException e) {
      closeQuietly(state, lock);
      throw new UncheckedIOException("Cannot open the store file " + file, e);
    } catch (RuntimeException | Error e) {
      closeQuietly(state, lock);
      throw e;
    }
  }

  /** The open map. */
  public ChronicleMap<String, byte[]> map() {
    return map;
  }

  /** The map's file. */
  public Path file() {
    return file;
  }

  /** Whether this open recovered a file that had not been closed cleanly. */
  public boolean recovered() {
    return recovered;
  }

  /** How many corruptions Chronicle's recovery reported and repaired when this file was opened. */
  public long repairedCorruptions() {
    return corruptions;
  }

  /** Forces the file's written pages to the storage device (fsync). */
  public void sync() {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot sync the store file " + file, e);
    }
  }

  /**
   * Closes the map, forces it to the device, then marks the file clean and releases it. If any step
   * fails the file stays marked dirty, so the next open recovers it.
   */
  @Override
  public void close() {
    try {
      map.close();
      sync();
      writeState(state, CLEAN);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot mark the store file " + file + " clean", e);
    } finally {
      closeQuietly(state, lock);
    }
  }

  private static ChronicleMapBuilder<String, byte[]> builder(Sizing sizing) {
    return ChronicleMapBuilder.of(String.class, byte[].class)
        .name(MAP_NAME)
        .entries(sizing.entries())
        .averageKeySize(sizing.averageKeySize())
        .averageValueSize(sizing.averageValueSize() + Records.HEADER)
        .putReturnsNull(true)
        .removeReturnsNull(true)
        // The store closes the map itself; Chronicle's exit hook would unmap it under running
        // writers. A JVM that exits without closing leaves the file dirty: recovered next time.
        .skipCloseOnExitHook(true);
  }

  private static ChronicleMap<String, byte[]> create(
      Path file,
      ChronicleMapBuilder<String, byte[]> builder,
      FileChannel state,
      boolean interrupted)
      throws IOException {
    if (interrupted && Files.deleteIfExists(file)) {
      logger.info("Creating the store file {} was interrupted last time; creating it again", file);
    }
    writeState(state, CREATING); // a creation cut short holds nothing anyone was promised
    return builder.createPersistedTo(file.toFile());
  }

  /**
   * Rejects a header that is not complete before Chronicle sees it: Chronicle would wait a minute
   * for another process to finish writing it.
   */
  private static void checkHeader(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      var head = ByteBuffer.allocate(MIN_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      while (head.hasRemaining() && channel.read(head) >= 0) {
        // read until full or end of file
      }
      if (head.hasRemaining()) {
        throw new IOException(
            "the file has " + head.position() + " bytes, fewer than a Chronicle Map header");
      }
      if (head.getInt(HEADER_READY_WORD_OFFSET) <= 0) {
        throw new IOException(
            "the header is not marked complete: not a Chronicle Map file, or"
                + " its creation or recovery was cut short");
      }
    }
  }

  /**
   * Rejects a Chronicle Map of other key or value types (Chronicle takes them from the file, not
   * from the builder). A foreign map of strings to byte arrays cannot be told apart: its values
   * read as corrupt records (counted tier errors) or fail the cache's value codec.
   */
  private static ChronicleMap<String, byte[]> checkTypes(
      Path file, ChronicleMap<String, byte[]> map) throws NotOurs {
    Class<?> keys = map.keyClass();
    Class<?> values = map.valueClass();
    if (keys != String.class || values != byte[].class) {
      map.close();
      throw new NotOurs(
          "it holds a Chronicle Map of "
              + keys.getName()
              + " to "
              + values.getName()
              + ", not a Loomcache store (String to byte[])");
    }
    return map;
  }

  private static void corrupted(Path file, ChronicleHashCorruption corruption, long count) {
    if (count <= MAX_LOGGED_CORRUPTIONS) {
      logger.warn(
          "Recovering {}: repaired corruption #{} in segment {}: {}",
          file,
          count,
          corruption.segmentIndex(),
          corruption.message(),
          corruption.exception());
    } else if (count == MAX_LOGGED_CORRUPTIONS + 1) {
      logger.warn("Recovering {}: more corruptions; counting them without logging each", file);
    }
  }

  private static @Nullable FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by this JVM
    }
  }

  private static byte readState(FileChannel channel) throws IOException {
    var buffer = ByteBuffer.allocate(1);
    return channel.read(buffer, 0) == 1 ? buffer.get(0) : 0;
  }

  private static void writeState(FileChannel channel, byte value) throws IOException {
    channel.write(ByteBuffer.wrap(new byte[] {value}), 0);
    channel.force(true);
  }

  private static void closeQuietly(FileChannel channel, @Nullable FileLock lock) {
    try {
      if (lock != null) {
        lock.release();
      }
      channel.close();
    } catch (IOException e) {
      logger.debug("Could not release a store file's state sidecar", e);
    }
  }

  /** A readable Chronicle Map file that is not a Loomcache store. */
  private static final class NotOurs extends Exception {
    private static final long serialVersionUID = 1L;

    NotOurs(String message) {
      super(message);
    }
  }
}
