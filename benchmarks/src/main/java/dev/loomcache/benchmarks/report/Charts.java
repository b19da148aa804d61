package dev.loomcache.benchmarks.report;

import static dev.loomcache.benchmarks.report.Report.ratio;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The report's charts: one SVG per benchmark, every bar a ratio to that benchmark's baseline. */
final class Charts {
  private Charts() {}

  /** Renders the charts for which {@code results} has figures, by chart name. */
  static Map<String, String> render(Results results) {
    var charts = new LinkedHashMap<String, String>();
    List<Measurement> hits = results.of(Report.HIT_PATH);
    if (!hits.isEmpty()) {
      var chart =
          SvgBarChart.titled("Hit path: throughput as a ratio to Caffeine get (maximumSize)")
              .subtitle("present keys, Zipf-distributed; higher is better")
              .series("1 thread", "2 threads")
              .reference(1.0, "Caffeine get");
      for (Measurement m : hits) {
        chart
            .category(
                m.subject(),
                ratioOf(results, m, Report.HIT_PATH, Report.HIT_BASELINE, "threads1.opsPerSecond"),
                ratioOf(results, m, Report.HIT_PATH, Report.HIT_BASELINE, "threads2.opsPerSecond"))
            .notes(
                absolute(m, "threads1.opsPerSecond", 1e-6, "M ops/s"),
                absolute(m, "threads2.opsPerSecond", 1e-6, "M ops/s"));
      }
      charts.put("hit-path", chart.toSvg());
    }
    List<Measurement> stampede = results.of(Report.STAMPEDE);
    if (!stampede.isEmpty()) {
      var chart =
          SvgBarChart.titled("Stampede: time as a ratio to Caffeine sync")
              .subtitle("10,000 virtual threads, 100 missing keys, 20 ms loader; lower is better")
              .series("wall time", "p99 wait")
              .reference(1.0, "Caffeine sync");
      for (Measurement m : stampede) {
        chart
            .category(
                m.subject(),
                ratioOf(results, m, Report.STAMPEDE, Report.RIVAL_BASELINE, "wallMillis"),
                ratioOf(results, m, Report.STAMPEDE, Report.RIVAL_BASELINE, "p99WaitMillis"))
            .notes(absolute(m, "wallMillis", 1, "ms"), absolute(m, "p99WaitMillis", 1, "ms"));
      }
      charts.put("stampede", chart.toSvg());
    }
    List<Measurement> collateral = results.of(Report.COLLATERAL);
    if (!collateral.isEmpty()) {
      var chart =
          SvgBarChart.titled("Collateral blocking: fast-op p99 as a ratio to Caffeine sync")
              .subtitle(
                  "fast keys in the hash bin of a key whose load takes 50 ms; lower is better")
              .series("fast ops (loads and reads)", "fast reads only")
              .reference(1.0, "Caffeine sync")
              .logScale();
      for (Measurement m : collateral) {
        chart
            .category(
                m.subject(),
                ratioOf(results, m, Report.COLLATERAL, Report.RIVAL_BASELINE, "fastOpP99Micros"),
                ratioOf(results, m, Report.COLLATERAL, Report.RIVAL_BASELINE, "fastReadP99Micros"))
            .notes(
                absolute(m, "fastOpP99Micros", 1, "µs"), absolute(m, "fastReadP99Micros", 1, "µs"));
      }
      charts.put("collateral", chart.toSvg());
    }
    List<Measurement> batching = results.of(Report.BATCHING);
    if (!batching.isEmpty()) {
      var chart =
          SvgBarChart.titled("Batching: keys/s as a ratio to java-dataloader")
              .subtitle("batches of 100 missing keys, trivial batch loader; higher is better")
              .series("keys per second")
              .reference(1.0, "java-dataloader loadMany + dispatch");
      for (Measurement m : batching) {
        chart
            .category(
                m.subject(),
                ratioOf(results, m, Report.BATCHING, Report.BATCH_BASELINE, "keysPerSecond"))
            .notes(absolute(m, "keysPerSecond", 1e-6, "M keys/s"));
      }
      charts.put("batching", chart.toSvg());
    }
    List<Measurement> memory = results.of(Report.MEMORY);
    if (!memory.isEmpty()) {
      var chart =
          SvgBarChart.titled("Memory: bytes per entry as a ratio to Caffeine (maximumSize)")
              .subtitle("1M entries, Integer keys, short String values; lower is better")
              .series("total (with keys and values)", "structure only")
              .reference(1.0, "Caffeine");
      for (Measurement m : memory) {
        chart
            .category(
                m.subject(),
                ratioOf(results, m, Report.MEMORY, Report.MEMORY_BASELINE, "totalBytesPerEntry"),
                ratioOf(
                    results, m, Report.MEMORY, Report.MEMORY_BASELINE, "structureBytesPerEntry"))
            .notes(
                absolute(m, "totalBytesPerEntry", 1, "B"),
                absolute(m, "structureBytesPerEntry", 1, "B"));
      }
      charts.put("memory", chart.toSvg());
    }
    List<Measurement> springHits = results.of(Report.SPRING_HIT_PATH);
    if (!springHits.isEmpty()) {
      var chart =
          SvgBarChart.titled(
                  "Spring @Cacheable hits: throughput as a ratio to CaffeineCacheManager")
              .subtitle("the same bean behind Spring's proxy, 1,000 present ids; higher is better")
              .series("1 thread", "2 threads")
              .reference(1.0, "CaffeineCacheManager");
      for (Measurement m : springHits) {
        String baseline = Tables.springBaseline(m.id());
        chart
            .category(
                m.subject(),
                ratioOf(results, m, Report.SPRING_HIT_PATH, baseline, "threads1.opsPerSecond"),
                ratioOf(results, m, Report.SPRING_HIT_PATH, baseline, "threads2.opsPerSecond"))
            .notes(
                absolute(m, "threads1.nsPerOp", 1, "ns/op"),
                absolute(m, "threads2.nsPerOp", 1, "ns/op"));
      }
      charts.put("spring-hit-path", chart.toSvg());
    }
    List<Measurement> springStampede = results.of(Report.SPRING_STAMPEDE);
    if (!springStampede.isEmpty()) {
      var chart =
          SvgBarChart.titled(
                  "Spring @Cacheable(sync = true) stampede: time as a ratio to CaffeineCacheManager")
              .subtitle("10,000 virtual threads, 100 missing ids, 20 ms method; lower is better")
              .series("wall time", "p99 wait")
              .reference(1.0, "CaffeineCacheManager");
      for (Measurement m : springStampede) {
        chart
            .category(
                m.subject(),
                ratioOf(results, m, Report.SPRING_STAMPEDE, Report.SPRING_BASELINE, "wallMillis"),
                ratioOf(
                    results, m, Report.SPRING_STAMPEDE, Report.SPRING_BASELINE, "p99WaitMillis"))
            .notes(absolute(m, "wallMillis", 1, "ms"), absolute(m, "p99WaitMillis", 1, "ms"));
      }
      charts.put("spring-stampede", chart.toSvg());
    }
    return charts;
  }

  /** The figure behind a ratio, scaled and with its unit, or null if it was not measured. */
  private static @Nullable String absolute(
      Measurement m, String figure, double scale, String unit) {
    double value = m.figure(figure);
    return Double.isNaN(value) ? null : Report.fmt(value * scale) + " " + unit;
  }

  private static @Nullable Double ratioOf(
      Results results, Measurement m, String benchmark, String baseline, String figure) {
    double value = ratio(m.figure(figure), results.figure(benchmark, baseline, figure));
    return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
  }
}
