package dev.loomcache.benchmarks.report;

import static dev.loomcache.benchmarks.report.Report.count;
import static dev.loomcache.benchmarks.report.Report.fmt;
import static dev.loomcache.benchmarks.report.Report.ratio;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The report's Markdown: the run's facts, the targets' verdicts, then one table per benchmark. */
final class Tables {
  private Tables() {}

  static String markdown(Results results, Map<String, String> chartFiles) {
    var md = new StringBuilder();
    Map<String, String> meta = results.meta();
    md.append("# Loomcache benchmarks, ")
        .append(meta.getOrDefault("date", "undated"))
        .append("\n\n");
    for (Map.Entry<String, String> fact : meta.entrySet()) {
      md.append("- ").append(fact.getKey()).append(": ").append(fact.getValue()).append('\n');
    }
    md.append(
        "\nRatios are taken within this run, on this machine. On a shared 2-core machine the"
            + " absolute numbers are noisy; read the ratios, and distrust differences under ~10%.\n\n");

    md.append(
        "## Targets (DESIGN.md)\n\n"
            + "| benchmark | target | measured | verdict |\n|---|---|---|---|\n");
    for (Targets.Check check : Targets.check(results)) {
      md.append("| ")
          .append(check.benchmark())
          .append(" | ")
          .append(check.target())
          .append(" | ")
          .append(check.measured())
          .append(" | **")
          .append(check.verdict())
          .append("** |\n");
    }

    List<Measurement> hits = results.of(Report.HIT_PATH);
    if (!hits.isEmpty()) {
      section(md, "1. Hit path (JMH)", chartFiles.get("hit-path"));
      md.append(
          "| subject | 1 thread, M ops/s | × Caffeine | ns/op | 2 threads, M ops/s"
              + " | × Caffeine | configuration |\n|---|---:|---:|---:|---:|---:|---|\n");
      for (Measurement m : hits) {
        double one = m.figure("threads1.opsPerSecond");
        double two = m.figure("threads2.opsPerSecond");
        row(
            md,
            m.subject(),
            fmt(one / 1e6) + " ± " + fmt(m.figure("threads1.errorOpsPerSecond") / 1e6),
            ratioTo(results, Report.HIT_PATH, Report.HIT_BASELINE, "threads1.opsPerSecond", one),
            fmt(1e9 / one),
            fmt(two / 1e6) + " ± " + fmt(m.figure("threads2.errorOpsPerSecond") / 1e6),
            ratioTo(results, Report.HIT_PATH, Report.HIT_BASELINE, "threads2.opsPerSecond", two),
            m.configuration());
      }
    }

    List<Measurement> stampede = results.of(Report.STAMPEDE);
    if (!stampede.isEmpty()) {
      section(md, "2. Stampede (harness)", chartFiles.get("stampede"));
      md.append(
          "| library | loader calls | wall, ms | × ideal | × Caffeine sync | p50 wait, ms"
              + " | p99 wait, ms | × Caffeine sync | configuration |\n"
              + "|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
      for (Measurement m : stampede) {
        double wall = m.figure("wallMillis");
        double p99 = m.figure("p99WaitMillis");
        double min = m.figure("loaderCallsMin");
        double max = m.figure("loaderCallsMax");
        row(
            md,
            m.subject(),
            min == max ? count(min) : count(min) + "–" + count(max),
            fmt(wall),
            fmt(ratio(wall, m.figure("loadMillis"))),
            ratioTo(results, Report.STAMPEDE, Report.RIVAL_BASELINE, "wallMillis", wall),
            fmt(m.figure("p50WaitMillis")),
            fmt(p99),
            ratioTo(results, Report.STAMPEDE, Report.RIVAL_BASELINE, "p99WaitMillis", p99),
            m.configuration());
      }
    }

    List<Measurement> collateral = results.of(Report.COLLATERAL);
    if (!collateral.isEmpty()) {
      section(md, "3. Collateral blocking (harness)", chartFiles.get("collateral"));
      md.append(
          "| library | fast-op p50, µs | fast-op p99, µs | × Caffeine sync"
              + " | fast-load p99, µs | fast-read p99, µs | fast-op max, µs | fast ops | slow loads |\n"
              + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Measurement m : collateral) {
        double p99 = m.figure("fastOpP99Micros");
        row(
            md,
            m.subject(),
            fmt(m.figure("fastOpP50Micros")),
            fmt(p99),
            ratioTo(results, Report.COLLATERAL, Report.RIVAL_BASELINE, "fastOpP99Micros", p99),
            fmt(m.figure("fastLoadP99Micros")),
            fmt(m.figure("fastReadP99Micros")),
            fmt(m.figure("fastOpMaxMicros")),
            count(m.figure("fastOps")),
            count(m.figure("slowLoads")));
      }
    }

    List<Measurement> batching = results.of(Report.BATCHING);
    if (!batching.isEmpty()) {
      section(md, "4. Batching (JMH, one caller)", chartFiles.get("batching"));
      md.append(
          "| subject | M keys/s | × java-dataloader | × Caffeine getAll | configuration |\n"
              + "|---|---:|---:|---:|---|\n");
      for (Measurement m : batching) {
        double keys = m.figure("keysPerSecond");
        row(
            md,
            m.subject(),
            fmt(keys / 1e6) + " ± " + fmt(m.figure("errorKeysPerSecond") / 1e6),
            ratioTo(results, Report.BATCHING, Report.BATCH_BASELINE, "keysPerSecond", keys),
            ratioTo(results, Report.BATCHING, Report.BATCH_CAFFEINE, "keysPerSecond", keys),
            m.configuration());
      }
    }
    Measurement window = results.find(Report.BATCH_LATENCY, "LOOMCACHE");
    if (window != null) {
      md.append("\nThe window's cost (harness, Loomcache `Batcher.get`, window ")
          .append(fmt(window.figure("windowMillis")))
          .append(" ms):\n\n")
          .append("| scenario | p50 | p99 | note |\n|---|---:|---:|---|\n");
      row(
          md,
          "lone key (waits for the whole window)",
          fmt(window.figure("loneP50Millis")) + " ms",
          fmt(window.figure("loneP99Millis")) + " ms",
          "added beyond the window: "
              + fmt(window.figure("loneAddedP50Millis"))
              + " ms at p50, "
              + fmt(window.figure("loneAddedP99Millis"))
              + " ms at p99");
      row(
          md,
          "100 callers at once (window closes when full)",
          fmt(window.figure("fullP50Millis")) + " ms",
          fmt(window.figure("fullP99Millis")) + " ms",
          "no caller should wait for the timer");
      row(
          md,
          count(window.figure("manyCallers")) + " callers in a loop",
          fmt(window.figure("manyKeysPerSecond") / 1e6) + " M keys/s",
          "",
          "mean batch size " + fmt(window.figure("manyMeanBatchSize")));
    }

    List<Measurement> pinning = results.of(Report.PINNING);
    if (!pinning.isEmpty()) {
      section(md, "5. Pinning during the stampede (JFR)", null);
      md.append(
          "| library | cold run: events | during class loading | other | warm run: events"
              + " | where (other) |\n|---|---:|---:|---:|---:|---|\n");
      for (Measurement m : pinning) {
        row(
            md,
            m.subject(),
            count(m.figure("pinnedEvents")),
            count(m.figure("pinnedClassLoading")),
            count(m.figure("pinnedOther")),
            count(m.figure("pinnedWarm")),
            m.note("pinnedOtherSites"));
      }
    }

    List<Measurement> memory = results.of(Report.MEMORY);
    if (!memory.isEmpty()) {
      section(md, "6. Memory (harness, heap after full GC)", chartFiles.get("memory"));
      md.append(
          "| cache | entries | total B/entry | × Caffeine | structure B/entry | × Caffeine"
              + " | configuration |\n|---|---:|---:|---:|---:|---:|---|\n");
      for (Measurement m : memory) {
        double total = m.figure("totalBytesPerEntry");
        double structure = m.figure("structureBytesPerEntry");
        row(
            md,
            m.subject(),
            count(m.figure("entries")),
            fmt(total),
            ratioTo(results, Report.MEMORY, Report.MEMORY_BASELINE, "totalBytesPerEntry", total),
            fmt(structure),
            ratioTo(
                results,
                Report.MEMORY,
                Report.MEMORY_BASELINE,
                "structureBytesPerEntry",
                structure),
            m.configuration());
      }
    }

    List<Measurement> springHits = results.of(Report.SPRING_HIT_PATH);
    if (!springHits.isEmpty()) {
      section(
          md,
          "7. Spring @Cacheable hits through the proxy (JMH)",
          chartFiles.get("spring-hit-path"));
      md.append(
          "Ratios are throughput over CaffeineCacheManager's for the same annotation"
              + " (its ns/op over this row's): higher is better.\n\n"
              + "| subject | 1 thread, ns/op | × CaffeineCacheManager | 2 threads, ns/op"
              + " | × CaffeineCacheManager | configuration |\n|---|---:|---:|---:|---:|---|\n");
      for (Measurement m : springHits) {
        String baseline = springBaseline(m.id());
        double one = m.figure("threads1.nsPerOp");
        double two = m.figure("threads2.nsPerOp");
        row(
            md,
            m.subject(),
            fmt(one) + " ± " + fmt(m.figure("threads1.errorNsPerOp")),
            fmt(ratio(results.figure(Report.SPRING_HIT_PATH, baseline, "threads1.nsPerOp"), one)),
            fmt(two) + " ± " + fmt(m.figure("threads2.errorNsPerOp")),
            fmt(ratio(results.figure(Report.SPRING_HIT_PATH, baseline, "threads2.nsPerOp"), two)),
            m.configuration());
      }
    }

    List<Measurement> springStampede = results.of(Report.SPRING_STAMPEDE);
    if (!springStampede.isEmpty()) {
      section(
          md,
          "8. Spring @Cacheable(sync = true) stampede (harness)",
          chartFiles.get("spring-stampede"));
      md.append(
          "| manager | method calls | wall, ms | × ideal | × CaffeineCacheManager"
              + " | p50 wait, ms | p99 wait, ms | × CaffeineCacheManager | configuration |\n"
              + "|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
      for (Measurement m : springStampede) {
        double wall = m.figure("wallMillis");
        double p99 = m.figure("p99WaitMillis");
        double min = m.figure("methodCallsMin");
        double max = m.figure("methodCallsMax");
        row(
            md,
            m.subject(),
            min == max ? count(min) : count(min) + "–" + count(max),
            fmt(wall),
            fmt(ratio(wall, m.figure("loadMillis"))),
            ratioTo(results, Report.SPRING_STAMPEDE, Report.SPRING_BASELINE, "wallMillis", wall),
            fmt(m.figure("p50WaitMillis")),
            fmt(p99),
            ratioTo(results, Report.SPRING_STAMPEDE, Report.SPRING_BASELINE, "p99WaitMillis", p99),
            m.configuration());
      }
    }

    List<Measurement> hotKeys = results.of(Report.HOT_KEY_EXPIRY);
    if (!hotKeys.isEmpty()) {
      Measurement first = hotKeys.getFirst();
      section(md, "9. Hot-key expiry (harness)", null);
      md.append(
          count(first.figure("threads"))
              + " virtual threads hammer "
              + count(first.figure("keys"))
              + " keys for "
              + fmt(first.figure("runMillis") / 1000)
              + " s; TTL "
              + count(first.figure("ttlMillis"))
              + " ms, refreshAfter "
              + count(hotKeyRefreshAfter(hotKeys))
              + " ms, loader "
              + count(first.figure("loadMillis"))
              + " ms. Hit p99: the same threads and configuration"
              + " with the TTL an hour away. Refresh periods: floor(run / (refreshAfter + load)), TTL"
              + " only: floor(run / (TTL + load)); expected loader calls = keys × periods.\n\n");
      md.append(
          "| subject | calls | caller p50, ms | caller p99, ms | hit p99, ms"
              + " | caller p99 ÷ hit p99 | caller max, ms | loader calls | refresh periods"
              + " | keys × periods | configuration |\n"
              + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
      for (Measurement m : hotKeys) {
        double callerP99 = m.figure("callerP99Millis");
        double hitP99 = m.figure("hitP99Millis");
        row(
            md,
            m.subject(),
            count(m.figure("calls")),
            fmt(m.figure("callerP50Millis")),
            fmt(callerP99),
            fmt(hitP99),
            fmt(ratio(callerP99, hitP99)),
            fmt(m.figure("callerMaxMillis")),
            count(m.figure("loaderCalls")),
            count(m.figure("refreshPeriods")),
            count(m.figure("expectedLoaderCalls")),
            m.configuration());
      }
    }

    List<Measurement> rateLimits = results.of(Report.RATE_LIMIT);
    if (!rateLimits.isEmpty()) {
      section(md, "10. In-process rate-limit decisions, 1 thread (JMH)", null);
      md.append("| subject | M decisions/s | configuration |\n|---|---:|---|\n");
      for (Measurement m : rateLimits) {
        row(
            md,
            m.subject(),
            fmt(m.figure("opsPerSecond") / 1e6) + " ± " + fmt(m.figure("errorOpsPerSecond") / 1e6),
            m.configuration());
      }
    }

    List<Measurement> redisLimits = results.of(Report.REDIS_LIMITS);
    if (!redisLimits.isEmpty()) {
      section(
          md,
          "11. Redis rate-limit decisions and locks (harness, one JVM, one redis-server)",
          null);
      md.append(
          "Subjects in turn, in alternating rounds; each call timed alone. \"In Redis\" is"
              + " the scripts' time inside the server (INFO commandstats); round trips are the"
              + " commands the client sent, per operation.\n\n"
              + "| subject | p50, µs | × raw EVALSHA | p99, µs | in Redis, µs | round trips"
              + " | configuration |\n|---|---:|---:|---:|---:|---:|---|\n");
      for (Measurement m : redisLimits) {
        double p50 = m.figure("p50Micros");
        row(
            md,
            m.subject(),
            fmt(p50),
            ratioTo(results, Report.REDIS_LIMITS, Report.REDIS_LIMITS_BASELINE, "p50Micros", p50),
            fmt(m.figure("p99Micros")),
            fmt(m.figure("scriptMicrosInRedis")),
            fmt(m.figure("roundTrips")),
            m.configuration());
      }
    }

    Map<String, String> failures = results.failures();
    if (!failures.isEmpty()) {
      md.append("\n## Failed to run\n\n");
      for (Map.Entry<String, String> failure : failures.entrySet()) {
        md.append("- ")
            .append(failure.getKey())
            .append(": ")
            .append(failure.getValue())
            .append('\n');
      }
    }
    return md.toString();
  }

  static String summary(Results results, String pathStem, Iterable<String> charts) {
    var md = new StringBuilder();
    Map<String, String> meta = results.meta();
    md.append("Latest run: **")
        .append(meta.getOrDefault("date", "undated"))
        .append("**, ")
        .append(meta.getOrDefault("mode", "?"))
        .append(" mode, ")
        .append(meta.getOrDefault("machine", "unknown machine"))
        .append(", ")
        .append(meta.getOrDefault("jdk", "unknown JDK"))
        .append(" (load average ")
        .append(meta.getOrDefault("loadAverageAtStart", "?"))
        .append(" at start, ")
        .append(meta.getOrDefault("loadAverageAtEnd", "?"))
        .append(" at end). Full tables: [")
        .append(pathStem)
        .append(".md](")
        .append(pathStem)
        .append(".md), raw: [")
        .append(pathStem)
        .append(".json](")
        .append(pathStem)
        .append(".json).\n\n");
    md.append("| benchmark | target | measured | verdict |\n|---|---|---|---|\n");
    for (Targets.Check check : Targets.check(results)) {
      row(md, check.benchmark(), check.target(), check.measured(), "**" + check.verdict() + "**");
    }
    md.append(
        "\nHeadline ratios (Loomcache ÷ rival, same run):\n\n"
            + "| comparison | ratio | better when |\n|---|---:|---|\n");
    for (int threads : new int[] {1, 2}) {
      String figure = "threads" + threads + ".opsPerSecond";
      for (String[] pair :
          new String[][] {
            {"loomcache_get", "Loomcache get", "caffeine_get", "Caffeine get"},
            {
              "loomcache_noStats_get",
              "Loomcache get, recordStats(false)",
              "caffeine_get",
              "Caffeine get"
            },
            {"loomcache_get", "Loomcache get", "caffeine_stats_get", "Caffeine get, recordStats"},
            {"loomcache_get", "Loomcache get", "concurrentHashMap_get", "ConcurrentHashMap get"},
            {
              "loomcache_defaultTtl_get",
              "Loomcache get, default TTL",
              "caffeine_expireAfterWrite_get",
              "Caffeine get, expireAfterWrite + stats"
            },
            {
              "loomcache_perCallTtl_get",
              "Loomcache get, per-call TTLs",
              "caffeine_expireAfterWrite_get",
              "Caffeine get, expireAfterWrite + stats"
            },
            {
              "loomcache_defaultTtl_get",
              "Loomcache get, default TTL",
              "caffeine_featureMatched_get",
              "Caffeine get, variable expiry + stats"
            },
            {
              "loomcache_refreshAfter_get",
              "Loomcache get, refreshAfter",
              "caffeine_refreshAfterWrite_get",
              "Caffeine get, refreshAfterWrite"
            },
            {
              "loomcache_refreshAfter_get",
              "Loomcache get, refreshAfter",
              "loomcache_defaultTtl_get",
              "Loomcache get, default TTL"
            }
          }) {
        headline(
            md,
            "hit path, "
                + threads
                + " thread"
                + (threads == 1 ? "" : "s")
                + ": "
                + pair[1]
                + " vs "
                + pair[3],
            ratio(
                results.figure(Report.HIT_PATH, pair[0], figure),
                results.figure(Report.HIT_PATH, pair[2], figure)),
            "higher");
      }
    }
    for (String[] rival :
        new String[][] {
          {"CAFFEINE_SYNC", "Caffeine sync"},
          {"CAFFEINE_ASYNC", "Caffeine async"},
          {"GUAVA", "Guava"}
        }) {
      headline(
          md,
          "stampede wall time vs " + rival[1],
          ratio(
              results.figure(Report.STAMPEDE, "LOOMCACHE", "wallMillis"),
              results.figure(Report.STAMPEDE, rival[0], "wallMillis")),
          "lower");
    }
    for (String[] rival :
        new String[][] {
          {"CAFFEINE_SYNC", "Caffeine sync"},
          {"CAFFEINE_ASYNC", "Caffeine async"},
          {"GUAVA", "Guava"}
        }) {
      headline(
          md,
          "collateral fast-op p99 vs " + rival[1],
          ratio(
              results.figure(Report.COLLATERAL, "LOOMCACHE", "fastOpP99Micros"),
              results.figure(Report.COLLATERAL, rival[0], "fastOpP99Micros")),
          "lower");
    }
    for (String[] rival :
        new String[][] {
          {Report.BATCH_BASELINE, "java-dataloader loadMany + dispatch"},
          {"dataloader_load_dispatch", "java-dataloader load ×100 + dispatch"},
          {Report.BATCH_CAFFEINE, "Caffeine getAll"}
        }) {
      headline(
          md,
          "batching keys/s, Batcher.getAll vs " + rival[1],
          ratio(
              results.figure(Report.BATCHING, "loomcache_batcher_getAll", "keysPerSecond"),
              results.figure(Report.BATCHING, rival[0], "keysPerSecond")),
          "higher");
    }
    for (String[] rival :
        new String[][] {
          {Report.MEMORY_BASELINE, "Caffeine"},
          {"CAFFEINE_FEATURE_MATCHED", "Caffeine feature-matched"},
          {"CONCURRENT_HASH_MAP", "ConcurrentHashMap"}
        }) {
      headline(
          md,
          "memory per entry vs " + rival[1],
          ratio(
              results.figure(Report.MEMORY, "LOOMCACHE", "totalBytesPerEntry"),
              results.figure(Report.MEMORY, rival[0], "totalBytesPerEntry")),
          "lower");
    }
    for (int threads : new int[] {1, 2}) {
      String figure = "threads" + threads + ".nsPerOp";
      for (String[] pair :
          new String[][] {
            {Report.SPRING_LOOMCACHE_HIT, Report.SPRING_CAFFEINE_HIT, "@Cacheable"},
            {
              Report.SPRING_LOOMCACHE_SYNC_HIT,
              Report.SPRING_CAFFEINE_SYNC_HIT,
              "@Cacheable(sync = true)"
            }
          }) {
        // throughput from average times: the rival's ns/op over ours
        headline(
            md,
            "Spring "
                + pair[2]
                + " hit, "
                + threads
                + " thread"
                + (threads == 1 ? "" : "s")
                + ": Loomcache manager vs CaffeineCacheManager",
            ratio(
                results.figure(Report.SPRING_HIT_PATH, pair[1], figure),
                results.figure(Report.SPRING_HIT_PATH, pair[0], figure)),
            "higher");
      }
    }
    headline(
        md,
        "Spring @Cacheable(sync = true) stampede wall time vs CaffeineCacheManager",
        ratio(
            results.figure(Report.SPRING_STAMPEDE, "LOOMCACHE", "wallMillis"),
            results.figure(Report.SPRING_STAMPEDE, Report.SPRING_BASELINE, "wallMillis")),
        "lower");
    md.append('\n');
    for (String chart : charts) {
      md.append("![")
          .append(chart)
          .append("](")
          .append(pathStem)
          .append('-')
          .append(chart)
          .append(".svg)\n");
    }
    return md.toString();
  }

  /** The CaffeineCacheManager subject measured with the same annotation as {@code id}. */
  static String springBaseline(String id) {
    return Report.SPRING_BASELINE.toLowerCase(Locale.ROOT) + id.substring(id.indexOf('_'));
  }

  /** The refresh-ahead subjects' refreshAfter (the TTL-only subject reports 0). */
  private static double hotKeyRefreshAfter(List<Measurement> hotKeys) {
    return hotKeys.stream()
        .mapToDouble(m -> m.figure("refreshAfterMillis"))
        .filter(v -> v > 0)
        .findFirst()
        .orElse(Double.NaN);
  }

  /** {@code value} as a ratio to the baseline's figure of the same name. */
  private static String ratioTo(
      Results results, String benchmark, String baseline, String figure, double value) {
    return fmt(ratio(value, results.figure(benchmark, baseline, figure)));
  }

  private static void headline(StringBuilder md, String comparison, double ratio, String better) {
    row(md, comparison, fmt(ratio) + "×", better);
  }

  private static void section(StringBuilder md, String title, @Nullable String chartFile) {
    md.append("\n## ").append(title).append("\n\n");
    if (chartFile != null) {
      md.append("![").append(title).append("](").append(chartFile).append(")\n\n");
    }
  }

  private static void row(StringBuilder md, String... cells) {
    md.append('|');
    for (String cell : cells) {
      md.append(' ').append(cell.replace("|", "\\|")).append(" |");
    }
    md.append('\n');
  }
}
