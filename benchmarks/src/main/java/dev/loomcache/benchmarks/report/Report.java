package dev.loomcache.benchmarks.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes one run's results: {@code <stem>.json} (everything measured, the targets' verdicts),
 * {@code <stem>.md} (the tables) and {@code <stem>-<chart>.svg} (the charts), all as ratios to a
 * baseline (Caffeine, or java-dataloader for batching) next to the absolute figures.
 */
public final class Report {
  /** Benchmark ids, as the suite records them. */
  public static final String HIT_PATH = "hitPath";

  public static final String STAMPEDE = "stampede";
  public static final String COLLATERAL = "collateral";
  public static final String PINNING = "pinning";
  public static final String BATCHING = "batching";
  public static final String BATCH_LATENCY = "batchLatency";
  public static final String MEMORY = "memory";
  public static final String SPRING_HIT_PATH = "springHitPath";
  public static final String SPRING_STAMPEDE = "springStampede";
  public static final String HOT_KEY_EXPIRY = "hotKeyExpiry";

  /** Hot-key expiry: the subject whose figures the targets judge. */
  public static final String HOT_KEY_REFRESH_AHEAD = "LOOMCACHE_REFRESH_AHEAD";

  /** Issue 16: in-process rate-limit decisions (JMH). */
  public static final String RATE_LIMIT = "rateLimit";

  /** Issue 16: Redis rate-limit decisions and locks next to a raw EVALSHA (harness). */
  public static final String REDIS_LIMITS = "redisLimits";

  /** The floor of the Redis limits: a raw Jedis EVALSHA of a one-line script. */
  public static final String REDIS_LIMITS_BASELINE = "rawEvalsha";

  /** The baseline subject of each benchmark's ratios. */
  public static final String HIT_BASELINE = "caffeine_get";

  public static final String RIVAL_BASELINE = "CAFFEINE_SYNC";
  public static final String BATCH_BASELINE = "dataloader_loadMany_dispatch";
  public static final String BATCH_CAFFEINE = "caffeine_getAll";
  public static final String MEMORY_BASELINE = "CAFFEINE";

  /** Spring: {@code CaffeineCacheManager} is the baseline of both Spring benchmarks. */
  public static final String SPRING_BASELINE = "CAFFEINE";

  /** The Spring hit path's subjects: {@code <manager>_<method>}. */
  public static final String SPRING_LOOMCACHE_HIT = "loomcache_cacheableHit";

  public static final String SPRING_CAFFEINE_HIT = "caffeine_cacheableHit";
  public static final String SPRING_LOOMCACHE_SYNC_HIT = "loomcache_cacheableSyncHit";
  public static final String SPRING_CAFFEINE_SYNC_HIT = "caffeine_cacheableSyncHit";

  private Report() {}

  /**
   * Writes the report files for {@code results} into {@code directory} (created if needed), named
   * from {@code stem}, and returns their paths.
   *
   * @throws IOException if a file cannot be written
   */
  public static List<Path> write(Results results, Path directory, String stem) throws IOException {
    Files.createDirectories(directory);
    var written = new ArrayList<Path>();
    Map<String, Object> json = new LinkedHashMap<>(results.toJson());
    json.put("targets", Targets.check(results).stream().map(Targets.Check::toJson).toList());
    written.add(writeFile(directory.resolve(stem + ".json"), Json.write(json)));
    Map<String, String> charts = Charts.render(results);
    var chartFiles = new LinkedHashMap<String, String>();
    for (Map.Entry<String, String> chart : charts.entrySet()) {
      String name = stem + "-" + chart.getKey() + ".svg";
      written.add(writeFile(directory.resolve(name), chart.getValue()));
      chartFiles.put(chart.getKey(), name);
    }
    written.add(writeFile(directory.resolve(stem + ".md"), Tables.markdown(results, chartFiles)));
    return written;
  }

  /**
   * The README's summary of a run: its facts, the targets' verdicts, the headline ratios and the
   * charts, whose files are named from {@code pathStem} (a path relative to the README).
   */
  public static String summary(Results results, String pathStem) {
    return Tables.summary(results, pathStem, Charts.render(results).keySet());
  }

  private static Path writeFile(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * A number for a table or label: three significant digits (two below 0.01), no exponent, "n/a"
   * when not measured.
   */
  public static String fmt(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "n/a";
    }
    if (value == 0) {
      return "0";
    }
    double magnitude = Math.abs(value);
    if (magnitude < 0.01) { // two significant digits, still without an exponent
      return new BigDecimal(value).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }
    String pattern =
        magnitude >= 100 ? "%,.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, pattern, value);
  }

  /** A count for a table: digits grouped, "n/a" when not measured. */
  public static String count(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%,d", Math.round(value));
  }

  /** {@code value / baseline}, or NaN if either is missing or the baseline is zero. */
  static double ratio(double value, double baseline) {
    return baseline == 0 || Double.isNaN(baseline) ? Double.NaN : value / baseline;
  }
}
