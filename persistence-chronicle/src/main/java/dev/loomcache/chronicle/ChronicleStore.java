package dev.loomcache.chronicle;

import static java.util.Objects.requireNonNull;

import dev.loomcache.Cache;
import dev.loomcache.chronicle.internal.ChronicleEnvironment;
import dev.loomcache.chronicle.internal.CloseGuard;
import dev.loomcache.chronicle.internal.RecordMap;
import dev.loomcache.chronicle.internal.StoreFile;
import dev.loomcache.spi.CacheTier;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.KeyGlob;
import dev.loomcache.spi.StoredValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache tier in a persisted, off-heap Chronicle Map file, written through on every store: a value
 * that {@code get} or {@code put} returned is in the file's memory-mapped pages before the call
 * returns, so it survives {@code kill -9} of the process.
 *
 * <pre>{@code
 * ChronicleStore store = ChronicleStore.newBuilder(Path.of("/var/cache/users.cmap"))
 *     .maxEntries(1_000_000).averageKeySize(32).averageValueSize(256).build();
 * Cache<String, String> users = Loomcache.newBuilder()
 *     .keyCodec(KeyCodec.string()).valueCodec(ValueCodec.string())
 *     .tier(store).build();
 * store.preload(users, KeyCodec.string()); // optional: warm L1 from the file
 * }</pre>
 *
 * <p>Design: each value is stored with its absolute expiry and a write stamp. Reads skip expired
 * values; a virtual thread owned by the store purges them every {@code purgeInterval}. A full file
 * never fails a write: expired values are purged first, then the oldest written are evicted, and a
 * write that still does not fit is skipped and counted ({@link #skippedWriteCount()}). A clean
 * {@link #close()} marks the file clean in a sidecar ({@code <file>.state}); a file not marked
 * clean is opened with Chronicle's recovery. One store per file at a time, across processes.
 *
 * <p>Chronicle Map needs four JVM flags on Java 25 ({@link ChronicleStoreBuilder#build()} names any
 * missing) and a full JDK. Chronicle's usage analytics and start-up banner are switched off when
 * this class initializes, before any Chronicle class can.
 *
 * <p>Thread-safe. Every method may block briefly on the file's memory (page faults); none waits for
 * the network.
 */
public final class ChronicleStore implements CacheTier {
  static {
    // Before any Chronicle class initializes: this class names no Chronicle type in its fields or
    // signatures, so nothing of Chronicle's loads before this runs.
    ChronicleEnvironment.silenceChronicle();
  }

  private static final Logger logger = LoggerFactory.getLogger("dev.loomcache.chronicle");
  private static final Duration PURGER_EXIT_WAIT = Duration.ofSeconds(1);

  private final String name;
  private final String description; // for messages, built once: the hot path must not allocate
  private final Duration purgeInterval;
  private final StoreFile file;
  private final RecordMap records;
  private final CloseGuard guard = new CloseGuard();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final LongAdder purgeFailures = new LongAdder();
  private final Thread purger;

  ChronicleStore(ChronicleStoreBuilder builder) {
    this.name = builder.name();
    this.purgeInterval = builder.purgeInterval();
    this.file =
        StoreFile.open(
            builder.file,
            new StoreFile.Sizing(
                builder.maxEntries(), builder.averageKeySize(), builder.averageValueSize()),
            builder.onCorruptFile() == OnCorruptFile.MOVE_ASIDE);
    this.description = "ChronicleStore '" + name + "' (" + file.file() + ")";
    this.records = new RecordMap(file.map(), builder.clock(), closing::get);
    this.purger =
        Thread.ofVirtual().name("loomcache-chronicle-purge-" + name).unstarted(this::purgeLoop);
    purger.start();
  }

  /**
   * Returns a builder for a store in {@code file}, created if absent (with its parent directories).
   *
   * @throws IllegalArgumentException if {@code file} has no file name (a root)
   */
  public static ChronicleStoreBuilder newBuilder(Path file) {
    requireNonNull(file, "file must not be null");
    if (file.getFileName() == null) {
      throw new IllegalArgumentException("file must name a file, but was " + file);
    }
    return new ChronicleStoreBuilder(file);
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Returns the value under {@code key}, or null if absent or expired by the store's clock (a value
   * with a stale-if-error window is returned, expired, until the window ends). Never blocks beyond
   * the key's segment lock.
   *
   * @throws IllegalStateException if the store is closed
   * @throws dev.loomcache.spi.CorruptValueException if the stored record is too short to be one
   */
  @Override
  public @Nullable StoredValue read(String key) {
    guard.enter(description);
    try {
      return records.read(key);
    } finally {
      guard.exit();
    }
  }

  /**
   * Writes {@code value} through to the file. Never fails for lack of room: see the class notes.
   * May block while another writer makes room in a full file.
   *
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public void write(String key, StoredValue value) {
    guard.enter(description);
    try {
      records.write(key, value);
    } finally {
      guard.exit();
    }
  }

  /**
   * Keeps the freshness deadlines of every value with it in the file (refresh point, stale window,
   * load time, hit budget, remembered absences), so they survive a restart.
   */
  @Override
  public boolean keepsFreshness() {
    return true;
  }

  /**
   * Removes {@code key}; a no-op if absent.
   *
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public void delete(String key) {
    guard.enter(description);
    try {
      records.delete(key);
    } finally {
      guard.exit();
    }
  }

  /**
   * Removes every entry of the file (the file holds one cache's entries only).
   *
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public void clear() {
    guard.enter(description);
    try {
      records.clear();
    } finally {
      guard.exit();
    }
  }

  /**
   * Removes every entry written with {@code tag}: one pass over the file, reading each live record
   * (O(entries); tags are kept in the records, so they survive a restart and a {@code kill -9}).
   * Never blocks beyond each key's segment lock.
   *
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public void invalidateTag(String tag) {
    guard.enter(description);
    try {
      records.removeIf(key -> false, tags -> tags.contains(tag));
    } finally {
      guard.exit();
    }
  }

  /**
   * Removes every entry whose key matches {@code glob}: one pass over the file's keys (O(entries)).
   *
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public void invalidateMatching(KeyGlob glob) {
    guard.enter(description);
    try {
      if (glob.matchesEverything()) {
        records.clear();
      } else {
        records.removeIf(glob::matches, tags -> false);
      }
    } finally {
      guard.exit();
    }
  }

  /**
   * Reads every live entry of the file into {@code cache}'s L1, by calling {@link
   * Cache#getIfPresent} for each key: the cache reads through to this store and promotes the value
   * with its remaining TTL, without writing it back. Entries beyond the cache's maximum size are
   * evicted from L1 by its own policy. Each key shows in the cache's statistics as an L1 miss (or
   * hit, if already present) and a tier hit. Runs on the calling thread, a segment of the file at a
   * time; call it once, after building the cache.
   *
   * @param keys the cache's key codec, to turn the file's keys back into the cache's keys; keys it
   *     cannot decode are skipped
   * @return how many of the file's keys the cache returned a value for
   * @throws IllegalArgumentException if {@code cache} has no tier named as this store
   * @throws IllegalStateException if the store or the cache is closed
   */
  public <K> long preload(Cache<K, ?> cache, KeyCodec<K> keys) {
    requireNonNull(cache, "cache must not be null");
    requireNonNull(keys, "keys must not be null");
    if (cache.stats().tierStats().stream().noneMatch(tier -> tier.tier().equals(name))) {
      throw new IllegalArgumentException(
          "cache has no tier named '" + name + "': build it with .tier(store) first");
    }
    var present = new long[1];
    guard.enter(description);
    try {
      records.forEachLiveKey(encoded -> {
        K key;
        try {
          key = keys.decode(encoded);
        } catch (IllegalArgumentException e) {
          logger.debug("Preload skips key '{}', which the key codec cannot decode", encoded, e);
          return;
        }
        if (cache.getIfPresent(key) != null) {
          present[0]++;
        }
      });
    } finally {
      guard.exit();
    }
    return present[0];
  }

  /**
   * Removes every expired entry now; the background purge does the same every {@code
   * purgeInterval}. Locks one segment of the file at a time.
   *
   * @return how many entries were removed
   * @throws IllegalStateException if the store is closed
   */
  public long purgeExpired() {
    guard.enter(description);
    try {
      return records.purgeExpired();
    } finally {
      guard.exit();
    }
  }

  /**
   * Forces the file's written pages to the storage device (fsync). Writes reach the file's memory
   * mapping at once, which survives a process crash; only a sync (or a clean close) makes them
   * survive a power loss. Blocks for the device, typically milliseconds.
   *
   * @throws IllegalStateException if the store is closed
   * @throws java.io.UncheckedIOException if the device reports an error
   */
  public void sync() {
    guard.enter(description);
    try {
      file.sync();
    } finally {
      guard.exit();
    }
  }

  /** The number of entries in the file (including expired ones not yet purged). */
  public long estimatedSize() {
    guard.enter(description);
    try {
      return records.size();
    } finally {
      guard.exit();
    }
  }

  /** Live entries evicted, oldest first, to make room in a full file. */
  public long evictionCount() {
    return records.evictionCount();
  }

  /** Writes skipped because they did not fit even after making room (the key was removed). */
  public long skippedWriteCount() {
    return records.skippedWriteCount();
  }

  /** Expired entries removed by purges (background, explicit, or to make room). */
  public long purgedCount() {
    return records.purgedCount();
  }

  /** Whether this store opened a file left without a clean close, using Chronicle's recovery. */
  public boolean recovered() {
    return file.recovered();
  }

  /** Corruptions Chronicle's recovery found and repaired when this store opened its file. */
  public long repairedCorruptionCount() {
    return file.repairedCorruptions();
  }

  /** The store's file. */
  public Path file() {
    return file.file();
  }

  /**
   * Stops the background purge, waits for operations in progress (a purge stops at the end of the
   * segment it is scanning), closes the file and marks it clean. Idempotent. Blocks while those
   * operations end and the file is forced to the device.
   *
   * @throws java.io.UncheckedIOException if the file cannot be marked clean; it is then recovered
   *     when next opened
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    purger.interrupt(); // ends its sleep; the loop then sees closing
    guard.close();
    try {
      file.close();
    } finally {
      awaitPurger();
    }
  }

  @Override
  public String toString() {
    return "ChronicleStore{name=" + name + ", file=" + file.file() + '}';
  }

  /**
   * Gives the purge thread a moment to end. It can no longer reach the file (the guard refuses it)
   * and ends as soon as it runs; but if every carrier thread is busy with virtual threads that
   * never block, it may not run for a while, and close() does not wait for that.
   */
  private void awaitPurger() {
    try {
      if (!purger.join(PURGER_EXIT_WAIT)) {
        logger.debug("The purge thread of {} ends once it is scheduled", description);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closed all the same; the caller keeps its interrupt
    }
  }

  // The purger's interrupt is close()'s stop signal: it ends the loop, which is the thread's job.
  private void purgeLoop() {
    while (!closing.get()) {
      try {
        Thread.sleep(purgeInterval);
      } catch (InterruptedException e) {
        return;
      }
      try {
        purgeExpired();
      } catch (IllegalStateException e) {
        if (guard.isClosed()) {
          return;
        }
        purgeFailed(e);
      } catch (RuntimeException e) {
        purgeFailed(e);
      }
    }
  }

  private void purgeFailed(RuntimeException e) {
    purgeFailures.increment();
    logger.warn(
        "Purging expired entries from {} failed ({} failures so far); retrying in {}",
        description,
        purgeFailures.sum(),
        purgeInterval,
        e);
  }
}
