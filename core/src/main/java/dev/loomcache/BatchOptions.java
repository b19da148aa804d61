package dev.loomcache;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Per-batcher overrides of the cache's batching settings; immutable, each setter returns a new
 * instance. Settings left unset take the cache's values ({@code batchWindow}, {@code
 * maxBatchSize}).
 *
 * <pre>{@code
 * Batcher<Long, User> users = cache.batcher(repository::loadAll,
 *     BatchOptions.defaults().window(Duration.ofMillis(2)).maxBatchSize(50));
 * }</pre>
 */
public final class BatchOptions {
  private static final BatchOptions DEFAULTS = new BatchOptions(null, 0);

  private final @Nullable Duration window;
  private final int maxBatchSize;

  private BatchOptions(@Nullable Duration window, int maxBatchSize) {
    this.window = window;
    this.maxBatchSize = maxBatchSize;
  }

  /** Returns options that take every setting from the cache. */
  public static BatchOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Returns these options with the batch window set: how long a window stays open after its first
   * key is queued.
   *
   * @throws IllegalArgumentException if {@code window} is negative
   */
  public BatchOptions window(Duration window) {
    requireNonNull(window, "window must not be null");
    if (window.isNegative()) {
      throw new IllegalArgumentException("window must not be negative, but was " + window);
    }
    return new BatchOptions(window, maxBatchSize);
  }

  /**
   * Returns these options with the maximum batch size set: a window closes as soon as this many
   * keys are queued, and a batch never holds more.
   *
   * @throws IllegalArgumentException if {@code maxBatchSize} is less than 1
   */
  public BatchOptions maxBatchSize(int maxBatchSize) {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException(
          "maxBatchSize must be at least 1, but was " + maxBatchSize);
    }
    return new BatchOptions(window, maxBatchSize);
  }

  /** The batch window, or null to use the cache's. */
  public @Nullable Duration window() {
    return window;
  }

  /** The maximum batch size, or 0 to use the cache's. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchOptions other
        && Objects.equals(window, other.window)
        && maxBatchSize == other.maxBatchSize;
  }

  @Override
  public int hashCode() {
    return Objects.hash(window, maxBatchSize);
  }

  @Override
  public String toString() {
    return "BatchOptions{window="
        + (window == null ? "cache's" : window)
        + ", maxBatchSize="
        + (maxBatchSize == 0 ? "cache's" : maxBatchSize)
        + '}';
  }
}
