package dev.loomcache.chronicle;

import static java.util.Objects.requireNonNull;

import dev.loomcache.chronicle.internal.ChronicleEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link ChronicleStore}. Each setter may be called once; a second call throws {@link
 * IllegalStateException} naming the value already set. Not thread-safe.
 */
public final class ChronicleStoreBuilder {
  static final String DEFAULT_NAME = "chronicle";
  static final long DEFAULT_MAX_ENTRIES = 100_000;
  static final double DEFAULT_AVERAGE_KEY_SIZE = 32;
  static final double DEFAULT_AVERAGE_VALUE_SIZE = 256;
  static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(1);

  final Path file;
  private @Nullable String name;
  private long maxEntries;
  private double averageKeySize;
  private double averageValueSize;
  private @Nullable Duration purgeInterval;
  private @Nullable InstantSource clock;
  private @Nullable OnCorruptFile onCorruptFile;

  ChronicleStoreBuilder(Path file) {
    this.file = file;
  }

  /**
   * Sets the tier's name for statistics, meters and logs; default {@code "chronicle"}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public ChronicleStoreBuilder name(String name) {
    requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    checkUnset("name", this.name);
    this.name = name;
    return this;
  }

  /**
   * Sets how many entries the file is sized for; default 100,000. The file may hold somewhat more;
   * when it cannot take a write, it makes room as the class notes say. Used only when the file is
   * created: an existing file keeps the sizes it was created with.
   *
   * @throws IllegalArgumentException if not positive
   */
  public ChronicleStoreBuilder maxEntries(long maxEntries) {
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
  public ChronicleStoreBuilder averageKeySize(double bytes) {
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
  public ChronicleStoreBuilder averageValueSize(double bytes) {
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
  public ChronicleStoreBuilder purgeInterval(Duration interval) {
    requireNonNull(interval, "interval must not be null");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("purgeInterval must be positive, but was " + interval);
    }
    checkUnset("purgeInterval", this.purgeInterval);
    this.purgeInterval = interval;
    return this;
  }

  /**
   * Sets the wall clock that decides whether a stored value has expired; default the system clock.
   * Tests pass a fake one. Expiry in the file is absolute epoch milliseconds.
   */
  public ChronicleStoreBuilder clock(InstantSource clock) {
    requireNonNull(clock, "clock must not be null");
    checkUnset("clock", this.clock);
    this.clock = clock;
    return this;
  }

  /** Sets what to do with a file that cannot be opened; default {@link OnCorruptFile#FAIL}. */
  public ChronicleStoreBuilder onCorruptFile(OnCorruptFile policy) {
    requireNonNull(policy, "policy must not be null");
    checkUnset("onCorruptFile", this.onCorruptFile);
    this.onCorruptFile = policy;
    return this;
  }

  /**
   * Checks the JVM, opens (or creates, or recovers) the file and starts the background purge.
   * Blocks while the file opens: the first store in a JVM takes seconds, because Chronicle compiles
   * classes at run time; recovering a large file takes longer.
   *
   * @throws IllegalStateException if JVM flags Chronicle needs are missing (one message naming them
   *     all), or if another store, in this process or another, has the file open
   * @throws CorruptStoreFileException if the file is corrupt, truncated or not a store file, and
   *     the policy is {@link OnCorruptFile#FAIL}
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
