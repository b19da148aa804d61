package dev.loomcache.benchmarks;

import dev.loomcache.benchmarks.report.Measurement;
import dev.loomcache.benchmarks.report.Report;
import dev.loomcache.benchmarks.report.Results;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Runs the benchmarks and writes the report: {@code results/<date>.json}, {@code .md} and the SVG
 * charts, and the results block of {@code benchmarks/README.md}.
 *
 * <p>Arguments: {@code --mode=quick|full} (quick: under 10 minutes on 2 cores), {@code --out=DIR},
 * {@code --readme=FILE} (optional), {@code --only=hitPath,stampede,...} (optional, for a partial
 * run). JMH benchmarks run through JMH's runner, which forks a JVM per benchmark; every harness
 * runs in a fresh JVM per library ({@link Forks}). A benchmark that fails is recorded in the report
 * and the suite exits with status 1 after writing it.
 */
public final class BenchmarkSuite {
  static final List<String> ALL =
      List.of(
          Report.HIT_PATH,
          Report.STAMPEDE,
          Report.COLLATERAL,
          Report.BATCHING,
          Report.BATCH_LATENCY,
          Report.PINNING,
          Report.MEMORY,
          Report.SPRING_HIT_PATH,
          Report.SPRING_STAMPEDE,
          Report.HOT_KEY_EXPIRY,
          Report.RATE_LIMIT,
          Report.REDIS_LIMITS);
  private static final Duration FORK_TIMEOUT = Duration.ofMinutes(5);

  private BenchmarkSuite() {}

  /** How long and how often each benchmark runs. */
  record Settings(
      String mode,
      int jmhWarmups,
      Duration jmhWarmupTime,
      int jmhIterations,
      Duration jmhIterationTime,
      int jmhForks,
      int jmhRounds,
      int stampedeWarmups,
      int stampedeRounds,
      Duration collateralDuration,
      int batchLoneKeys,
      int batchFullRounds,
      Duration batchManyTime,
      int memoryEntries,
      int redisRounds) {

    static Settings of(String mode) {
      return switch (mode) {
        case "quick" ->
            new Settings(
                mode,
                2,
                Duration.ofSeconds(1),
                3,
                Duration.ofSeconds(1),
                1,
                1,
                2,
                5,
                Duration.ofSeconds(2),
                100,
                20,
                Duration.ofSeconds(2),
                1_000_000,
                10);
        // Full mode: five interleaved rounds of one fork each rather than forks in a row, so that
        // every subject is measured from early to late in the run and a drift in the machine's load
        // moves all of them alike (the ratios are what the report reads). Five short forks, not
        // three longer ones: on this memory-bound hit path the spread is between forks (one fork in
        // six can run 2x faster than its siblings; iterations within a fork agree to a few
        // percent),
        // so the median of three was decided by which fork drew the outlier.
        case "full" ->
            new Settings(
                mode,
                2,
                Duration.ofSeconds(1),
                2,
                Duration.ofSeconds(1),
                1,
                5,
                3,
                15,
                Duration.ofSeconds(10),
                500,
                100,
                Duration.ofSeconds(5),
                1_000_000,
                40);
        default -> throw new IllegalArgumentException("--mode must be quick or full, not " + mode);
      };
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    Settings settings = Settings.of(options.getOrDefault("mode", "quick"));
    Path out = Path.of(options.getOrDefault("out", "benchmarks/results")).toAbsolutePath();
    Set<String> only = selected(options.get("only"));
    String date = LocalDate.now(ZoneOffset.UTC).toString();
    var results = new Results();
    describeRun(results, date, settings);
    long start = System.nanoTime();
    for (String benchmark : only) {
      System.out.println("=== " + benchmark + " (" + settings.mode() + ")");
      try {
        run(benchmark, settings, results);
      } catch (Exception | AssertionError e) {
        e.printStackTrace();
        results.failed(benchmark, e.toString());
      }
    }
    results.meta("elapsed", Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s");
    results.meta("loadAverageAtEnd", loadAverage());
    String stem = only.size() == ALL.size() ? date : date + "-partial";
    List<Path> files = Report.write(results, out, stem);
    if (options.containsKey("readme") && only.size() == ALL.size()) {
      ReadmeBlock.update(Path.of(options.get("readme")), results, out, stem);
    }
    files.forEach(file -> System.out.println("wrote " + file));
    if (!results.failures().isEmpty()) {
      System.out.println("FAILED: " + results.failures().keySet());
      System.exit(1);
    }
  }

  /**
   * The benchmarks an {@code --only} value names, in the order given; {@code all}, blank or absent:
   * every benchmark of the suite.
   *
   * @throws IllegalArgumentException naming an unknown benchmark and the known ones
   */
  static Set<String> selected(@Nullable String only) {
    if (only == null || only.isBlank() || only.strip().equals("all")) {
      return new LinkedHashSet<>(ALL);
    }
    var names = new LinkedHashSet<String>();
    for (String name : only.split(",")) {
      String trimmed = name.strip();
      if (!ALL.contains(trimmed)) {
        throw new IllegalArgumentException("unknown benchmark '" + trimmed + "'; known: " + ALL);
      }
      names.add(trimmed);
    }
    return names;
  }

  private static void run(String benchmark, Settings settings, Results results) throws Exception {
    switch (benchmark) {
      case Report.HIT_PATH -> JmhRuns.hitPath(settings, results);
      case Report.BATCHING -> JmhRuns.batching(settings, results);
      case Report.SPRING_HIT_PATH -> JmhRuns.springHitPath(settings, results);
      case Report.RATE_LIMIT -> JmhRuns.rateLimit(settings, results);
      case Report.REDIS_LIMITS -> {
        Map<String, String> out =
            Forks.run(
                RedisLimitsHarness.class,
                List.of("-Xmx512m"),
                List.of("" + settings.redisRounds(), "1000"),
                FORK_TIMEOUT);
        for (String[] subject : RedisLimitsHarness.SUBJECTS) {
          var figures = new LinkedHashMap<String, String>();
          out.forEach((key, value) -> {
            if (key.startsWith(subject[0] + ".")) {
              figures.put(key.substring(subject[0].length() + 1), value);
            }
          });
          figures.put("calls", out.getOrDefault("calls", "n/a"));
          results.add(split(Report.REDIS_LIMITS, subject[0], subject[1], subject[2], figures));
        }
      }
      case Report.SPRING_STAMPEDE -> {
        for (SpringCaching.Manager manager : SpringCaching.Manager.values()) {
          Map<String, String> out =
              Forks.run(
                  SpringStampedeHarness.class,
                  List.of("-Xmx512m"),
                  List.of(
                      manager.name(),
                      "10000",
                      "100",
                      "20",
                      "" + settings.stampedeWarmups(),
                      "" + settings.stampedeRounds()),
                  FORK_TIMEOUT);
          out.put("callers", "10000");
          out.put("keys", "100");
          out.put("loadMillis", "20");
          results.add(
              split(
                  Report.SPRING_STAMPEDE,
                  manager.name(),
                  manager.label(),
                  manager.configuration(),
                  out));
        }
      }
      case Report.STAMPEDE -> {
        for (Rival rival : Rival.values()) {
          Map<String, String> out =
              Forks.run(
                  StampedeHarness.class,
                  List.of("-Xmx512m"),
                  List.of(
                      rival.name(),
                      "10000",
                      "100",
                      "20",
                      "" + settings.stampedeWarmups(),
                      "" + settings.stampedeRounds()),
                  FORK_TIMEOUT);
          out.put("callers", "10000");
          out.put("keys", "100");
          out.put("loadMillis", "20");
          results.add(measurement(Report.STAMPEDE, rival, out));
        }
      }
      case Report.COLLATERAL -> {
        for (Rival rival : Rival.caches()) {
          Map<String, String> out =
              Forks.run(
                  CollateralHarness.class,
                  List.of("-Xmx512m"),
                  List.of(rival.name(), "" + settings.collateralDuration().toMillis(), "4", "50"),
                  FORK_TIMEOUT);
          results.add(measurement(Report.COLLATERAL, rival, out));
        }
      }
      case Report.PINNING -> {
        for (Rival rival : Rival.caches()) {
          Map<String, String> out =
              Forks.run(
                  PinningHarness.class,
                  List.of("-Xmx512m"),
                  List.of(rival.name(), "10000", "100", "20"),
                  FORK_TIMEOUT);
          results.add(measurement(Report.PINNING, rival, out));
        }
      }
      case Report.BATCH_LATENCY -> {
        Map<String, String> out =
            Forks.run(
                BatchLatencyHarness.class,
                List.of("-Xmx512m"),
                List.of(
                    "" + settings.batchLoneKeys(),
                    "" + settings.batchFullRounds(),
                    "1000",
                    "" + settings.batchManyTime().toMillis()),
                FORK_TIMEOUT);
        results.add(measurement(Report.BATCH_LATENCY, Rival.LOOMCACHE, out));
      }
      case Report.MEMORY -> {
        for (MemoryHarness.Subject subject : MemoryHarness.Subject.values()) {
          Map<String, String> out =
              Forks.run(
                  MemoryHarness.class,
                  List.of("-XX:+UseSerialGC", "-Xms1536m", "-Xmx1536m"),
                  List.of(subject.name(), "" + settings.memoryEntries()),
                  FORK_TIMEOUT);
          results.add(
              split(Report.MEMORY, subject.name(), subject.label(), subject.configuration(), out));
        }
      }
      case Report.HOT_KEY_EXPIRY -> {
        for (HotKeyExpiryHarness.Subject subject : HotKeyExpiryHarness.Subject.values()) {
          Map<String, String> out =
              Forks.run(
                  HotKeyExpiryHarness.class,
                  List.of("-Xmx512m"),
                  List.of(
                      subject.name(),
                      "" + HotKeyExpiryHarness.THREADS,
                      "" + HotKeyExpiryHarness.KEYS,
                      "" + HotKeyExpiryHarness.LOAD.toMillis(),
                      "" + HotKeyExpiryHarness.TTL.toMillis(),
                      "" + HotKeyExpiryHarness.REFRESH_AFTER.toMillis(),
                      "" + HotKeyExpiryHarness.runTime(settings.mode()).toMillis(),
                      "" + HotKeyExpiryHarness.hitTime(settings.mode()).toMillis()),
                  FORK_TIMEOUT);
          results.add(
              split(
                  Report.HOT_KEY_EXPIRY,
                  subject.name(),
                  subject.label(),
                  subject.configuration(),
                  out));
        }
      }
      default -> throw new IllegalArgumentException(benchmark);
    }
  }

  private static Measurement measurement(String benchmark, Rival rival, Map<String, String> out) {
    return split(benchmark, rival.name(), rival.label(), rival.configuration(), out);
  }

  /** Sorts a harness's output into figures (numbers) and notes (anything else). */
  static Measurement split(
      String benchmark, String id, String subject, String configuration, Map<String, String> out) {
    var figures = new LinkedHashMap<String, Double>();
    var notes = new LinkedHashMap<String, String>();
    for (Map.Entry<String, String> entry : out.entrySet()) {
      try {
        figures.put(entry.getKey(), Double.parseDouble(entry.getValue()));
      } catch (NumberFormatException notANumber) {
        notes.put(entry.getKey(), entry.getValue());
      }
    }
    return new Measurement(benchmark, id, subject, configuration, figures, notes);
  }

  private static void describeRun(Results results, String date, Settings settings) {
    Runtime runtime = Runtime.getRuntime();
    results
        .meta("date", date)
        .meta("mode", settings.mode())
        .meta(
            "machine",
            cpuModel()
                + ", "
                + runtime.availableProcessors()
                + " cores, "
                + System.getProperty("os.name")
                + " "
                + System.getProperty("os.arch"))
        .meta("memory", physicalMemory())
        .meta(
            "jdk",
            System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"))
        .meta("versions", System.getProperty("bench.versions", "not given"))
        .meta(
            "jmh",
            settings.jmhRounds()
                + " interleaved round(s) x "
                + settings.jmhForks()
                + " fork(s) x ("
                + settings.jmhWarmups()
                + " x "
                + settings.jmhWarmupTime().toMillis()
                + " ms warm-up + "
                + settings.jmhIterations()
                + " x "
                + settings.jmhIterationTime().toMillis()
                + " ms); score: median over rounds")
        .meta("loadAverageAtStart", loadAverage());
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or not readable: the core count still says something
    }
    return "unknown CPU";
  }

  private static String physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return String.format(Locale.ROOT, "%.1f GiB", os.getTotalMemorySize() / (double) (1L << 30));
    }
    return "unknown";
  }

  private static String loadAverage() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", load);
  }

  private static Map<String, String> parse(String[] args) {
    var options = new LinkedHashMap<String, String>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    return options;
  }
}
