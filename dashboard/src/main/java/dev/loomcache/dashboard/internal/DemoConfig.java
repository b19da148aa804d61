package dev.loomcache.dashboard.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The settings the page can change, applied by rebuilding the demo cache.
 *
 * @param maximumSize the L1 bound
 * @param ttlSeconds how long values live; 0 means they never expire
 * @param batchWindowMillis how long a batcher's window stays open
 * @param maxBatchSize the most keys in one batch loader call
 */
public record DemoConfig(
    long maximumSize, long ttlSeconds, long batchWindowMillis, int maxBatchSize) {
  static final long MAX_SIZE = 1_000_000;
  static final long MAX_TTL_SECONDS = 7 * 24 * 3600;
  static final long MAX_WINDOW_MILLIS = 1_000;
  static final int MAX_BATCH = 10_000;

  /** The form fields {@link #with(FormValues)} reads. */
  public static final Set<String> FIELDS =
      Set.of("maximumSize", "ttlSeconds", "batchWindowMillis", "maxBatchSize");

  /** The settings the dashboard starts with: the library's defaults, values never expire. */
  public static DemoConfig defaults() {
    return new DemoConfig(10_000, 0, 5, 100);
  }

  /**
   * Returns this configuration with the fields present in {@code form} replaced; absent or blank
   * fields keep their current value.
   *
   * @throws ApiException (400) for an unknown field or a value out of range
   */
  public DemoConfig with(FormValues form) {
    form.allowOnly(FIELDS);
    return new DemoConfig(
        form.wholeNumber("maximumSize", 0, MAX_SIZE, maximumSize),
        form.wholeNumber("ttlSeconds", 0, MAX_TTL_SECONDS, ttlSeconds),
        form.wholeNumber("batchWindowMillis", 0, MAX_WINDOW_MILLIS, batchWindowMillis),
        form.wholeInt("maxBatchSize", 1, MAX_BATCH, maxBatchSize));
  }

  /** The TTL to build the cache with, or null for "never expires". */
  @Nullable Duration ttlOrNull() {
    return ttlSeconds == 0 ? null : Duration.ofSeconds(ttlSeconds);
  }

  /** The configuration as JSON-ready fields. */
  public Map<String, Object> toJson() {
    var json = new LinkedHashMap<String, Object>();
    json.put("maximumSize", maximumSize);
    json.put("ttlSeconds", ttlSeconds);
    json.put("batchWindowMillis", batchWindowMillis);
    json.put("maxBatchSize", maxBatchSize);
    return json;
  }
}
