package dev.loomcache.chronicle;

import static java.util.Objects.requireNonNull;

import dev.loomcache.Cache;
import dev.loomcache.chronicle.internal.ChronicleEnvironment;
import dev.loomcache.chronicle.internal.CloseGuard;
import dev.loomcache.chronicle.internal.RecordMap;
import dev.loomcache.chronicle.internal.StoreFile;
import dev.loomcache.spi.CacheTier;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.StoredValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
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
 * never fails a write: expired values are purged first, then the oldest written are evicted, and
 * a write that still does not fit is skipped and counted ({@link #skippedWriteCount()}). A clean
 * {@link #close()} marks the file clean in a sidecar ({@code <file>.state}); a file not marked
 * clean is opened with Chronicle's recovery. One store per file at a time, across processes.
 *
 * <p>Chronicle Map needs four JVM flags on Java 25 ({@link Builder#build()} names any missing)
 * and a full JDK. Chronicle's usage analytics and start-up banner are switched off when this class
 * initializes, before any Chronicle class can.
 *
 * <p>Thread-safe. Every method may block briefly on the file's memory (page faults); none waits
 * for the network.
 */
public final class ChronicleStore implements CacheTier {
  static {
    // Before any Chronicle class initializes: this class names no Chronicle type in its fields or
    // signatures, so nothing of Chronicle's loads before this runs.
    ChronicleEnvironment.silenceChronicle();
  }

  private static final Logger logger = LoggerFactory.getLogger(ChronicleStore.class);

  private final String name;
  private final Duration purgeInterval;
  private final StoreFile file;
  private final RecordMap records;
  private final CloseGuard guard = new CloseGuard();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final LongAdder purgeFailures = new LongAdder();
  private final Thread purger;

  private ChronicleStore(Builder builder) {
    this.name = builder.name();
    this.purgeInterval = builder.purgeInterval();
    this.file = StoreFile.open(builder.file, new StoreFile.Sizing(builder.maxEntries(),
        builder.averageKeySize(), builder.averageValueSize()),
        builder.onCorruptFile() == OnCorruptFile.MOVE_ASIDE);
    this.records = new RecordMap(file.map(), builder.clock(), closing::get);
    this.purger = Thread.ofVirtual().name("loomcache-chronicle-purge-" + name).unstarted(this::purgeLoop);
    purger.start();
  }

  /**
   * Returns a builder for a store in {@code file}, created if absent (with its parent directories).
   *
   * @throws IllegalArgumentException if {@code file} has no file name (a root)
   */
  public static Builder newBuilder(Path file) {
    requireNonNull(file, "file must not be null");
    if (file.getFileName() == null) {
      throw new IllegalArgumentException("file must name a file, but was " + file);
    }
    return new Builder(file);
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Returns the value under {@code key}, or null if absent or expired by the store's clock. Never
   * blocks beyond the key's segment lock.
   *
   * @throws IllegalStateException if the store is closed
   * @throws dev.loomcache.spi.CorruptValueException if the stored record is too short to be one
   */
  @Override
  public @Nullable StoredValue read(String key) {
    guard.enter(description());
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
    guard.enter(description());
    try {
      records.write(key, value);
    } finally {
      guard.exit();
    }
  }

  /**
   * Removes {@code key}; a no-op if absent.
   *
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public void delete(String key) {
    guard.enter(description());
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
    guard.enter(description());
    try {
      records.clear();
    } finally {
      guard.exit();
    }
  }

  /**
   * Reads every live entry of the file into {@code cache}'s L1, by calling
   * {@link Cache#getIfPresent} for each key: the cache reads through to this store and promotes the
   * value with its remaining TTL, without writing it back. Entries beyond the cache's maximum size
   * are evicted from L1 by its own policy. Each key shows in the cache's statistics as an L1 miss
   * (or hit, if already present) and a tier hit. Runs on the calling thread, a segment of the file
   * at a time; call it once, after building the cache.
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
    guard.enter(description());
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
   * Removes every expired entry now; the background purge does the same every
   * {@code purgeInterval}. Locks one segment of the file at a time.
   *
   * @return how many entries were removed
   * @throws IllegalStateException if the store is closed
   */
  public long purgeExpired() {
    guard.enter(description());
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
    guard.enter(description());
    try {
      file.sync();
    } finally {
      guard.exit();
    }
  }

  /** The number of entries in the file (including expired ones not yet purged). */
  public long estimatedSize() {
    guard.enter(description());
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
   * Stops the background purge, waits for operations in progress, closes the file and marks it
   * clean. Idempotent. Blocks while the purge finishes the segment it is scanning and the file is
   * forced to the device.
   *
   * @throws java.io.UncheckedIOException if the file cannot be marked clean; it is then recovered
   *     when next opened
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    purger.interrupt();
    boolean interrupted = false;
    while (purger.isAlive()) {
      try {
        purger.join();
      } catch (InterruptedException e) {
        interrupted = true; // finish closing; the flag is restored below
      }
    }
    guard.close();
    try {
      file.close();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "ChronicleStore{name=" + name + ", file=" + file.file() + '}';
  }

  private String description() {
    return "ChronicleStore '" + name + "' (" + file.file() + ")";
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
    logger.warn("Purging expired entries from {} failed ({} failures so far); retrying in {}",
        description(), purgeFailures.sum(), purgeInterval, e);
  }

  /**
   * Builds a {@link ChronicleStore}. Each setter may be called once; a second call throws
   * {@link IllegalStateException} naming the value already set. Not thread-safe.
   */
  public static final class Builder {
    static final String DEFAULT_NAME = "chronicle";
    static final long DEFAULT_MAX_ENTRIES = 100_000;
    static final double DEFAULT_AVERAGE_KEY_SIZE = 32;
    static final double DEFAULT_AVERAGE_VALUE_SIZE = 256;
    static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(1);

    private final Path file;
    private @Nullable String name;
    private long maxEntries;
    private double averageKeySize;
    private double averageValueSize;
    private @Nullable Duration purgeInterval;
    private @Nullable InstantSource clock;
    private @Nullable OnCorruptFile onCorruptFile;

    private Builder(Path file) {
      this.file = file;
    }

    /**
     * Sets the tier's name for statistics, meters and logs; default {@code "chronicle"}.
     *
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public Builder name(String name) {
      requireNonNull(name, "name must not be null");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      checkUnset("name", this.name);
      this.name = name;
      return this;
    }

    /**
     * Sets how many entries the file is sized for; default 100,000. The file may hold somewhat
     * more; when it cannot take a write, it makes room as the class notes say. Used only when the
     * file is created: an existing file keeps the sizes it was created with.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxEntries(long maxEntries) {
      if (maxEntries <= 0) {
        throw new IllegalArgumentException("maxEntries must be positive, but was " + maxEntries);
      }
      checkUnset("maxEntries", this.maxEntries == 0 ? null : this.maxEntries);
      this.maxEntries = maxEntries;
      return this;
    }

    /**
     * Sets the average size in bytes of an encoded key (its {@code KeyCodec} string in UTF-8);
     * default 32. Used only when the file is created.
     *
     * @throws IllegalArgumentException if not positive and finite
     */
    public Builder averageKeySize(double bytes) {
      checkSize("averageKeySize", bytes);
      checkUnset("averageKeySize", this.averageKeySize == 0 ? null : this.averageKeySize);
      this.averageKeySize = bytes;
      return this;
    }

    /**
     * Sets the average size in bytes of an encoded value (what the {@code ValueCodec} produces);
     * default 256. A value many times larger than this may exceed Chronicle's entry size limit; such
     * a write is skipped and counted. Used only when the file is created.
     *
     * @throws IllegalArgumentException if not positive and finite
     */
    public Builder averageValueSize(double bytes) {
      checkSize("averageValueSize", bytes);
      checkUnset("averageValueSize", this.averageValueSize == 0 ? null : this.averageValueSize);
      this.averageValueSize = bytes;
      return this;
    }

    /**
     * Sets how often the background purge removes expired entries; default one minute.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder purgeInterval(Duration interval) {
      requireNonNull(interval, "interval must not be null");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("purgeInterval must be positive, but was " + interval);
      }
      checkUnset("purgeInterval", this.purgeInterval);
      this.purgeInterval = interval;
      return this;
    }

    /**
     * Sets the wall clock that decides whether a stored value has expired; default the system
     * clock. Tests pass a fake one. Expiry in the file is absolute epoch milliseconds.
     */
    public Builder clock(InstantSource clock) {
      requireNonNull(clock, "clock must not be null");
      checkUnset("clock", this.clock);
      this.clock = clock;
      return this;
    }

    /** Sets what to do with a file that cannot be opened; default {@link OnCorruptFile#FAIL}. */
    public Builder onCorruptFile(OnCorruptFile policy) {
      requireNonNull(policy, "policy must not be null");
      checkUnset("onCorruptFile", this.onCorruptFile);
      this.onCorruptFile = policy;
      return this;
    }

    /**
     * Checks the JVM, opens (or creates, or recovers) the file and starts the background purge.
     * Blocks while the file opens: the first store in a JVM takes seconds, because Chronicle
     * compiles classes at run time; recovering a large file takes longer.
     *
     * @throws IllegalStateException if JVM flags Chronicle needs are missing (one message naming
     *     them all), or if another store, in this process or another, has the file open
     * @throws CorruptStoreFileException if the file is corrupt, truncated or not a store file,
     *     and the policy is {@link OnCorruptFile#FAIL}
     * @throws java.io.UncheckedIOException if the file cannot be read or written
     */
    public ChronicleStore build() {
      ChronicleEnvironment.checkFlags(); // before Chronicle loads: without them it fails obscurely
      return new ChronicleStore(this);
    }

    String name() {
      return name == null ? DEFAULT_NAME : name;
    }

    long maxEntries() {
      return maxEntries == 0 ? DEFAULT_MAX_ENTRIES : maxEntries;
    }

    double averageKeySize() {
      return averageKeySize == 0 ? DEFAULT_AVERAGE_KEY_SIZE : averageKeySize;
    }

    double averageValueSize() {
      return averageValueSize == 0 ? DEFAULT_AVERAGE_VALUE_SIZE : averageValueSize;
    }

    Duration purgeInterval() {
      return purgeInterval == null ? DEFAULT_PURGE_INTERVAL : purgeInterval;
    }

    InstantSource clock() {
      return clock == null ? InstantSource.system() : clock;
    }

    OnCorruptFile onCorruptFile() {
      return onCorruptFile == null ? OnCorruptFile.FAIL : onCorruptFile;
    }

    private static void checkSize(String option, double bytes) {
      if (!(bytes > 0) || Double.isInfinite(bytes)) {
        throw new IllegalArgumentException(option + " must be positive, but was " + bytes);
      }
    }

    private static void checkUnset(String option, @Nullable Object current) {
      if (current != null) {
        throw new IllegalStateException(option + " was already set to " + current);
      }
    }
  }
}
