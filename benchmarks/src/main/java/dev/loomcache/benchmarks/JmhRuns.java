package dev.loomcache.benchmarks;

import dev.loomcache.benchmarks.BenchmarkSuite.Settings;
import dev.loomcache.benchmarks.report.Measurement;
import dev.loomcache.benchmarks.report.Report;
import dev.loomcache.benchmarks.report.Results;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the JMH benchmarks through JMH's runner and records their scores as measurements. */
final class JmhRuns {
  private JmhRuns() {}

  /** Benchmark 1 at 1 and 2 threads: ops/s per method, with JMH's 99.9% error. */
  static void hitPath(Settings settings, Results results) throws RunnerException {
    var figures = new LinkedHashMap<String, Map<String, Double>>();
    for (int threads : new int[] {1, 2}) {
      var options = options(settings, HitPathBenchmark.class).threads(threads).build();
      for (RunResult run : new Runner(options).run()) {
        Result<?> primary = run.getPrimaryResult();
        Map<String, Double> method =
            figures.computeIfAbsent(method(run), m -> new LinkedHashMap<>());
        // scores are per microsecond (the benchmarks' output unit)
        method.put("threads" + threads + ".opsPerSecond", primary.getScore() * 1e6);
        method.put("threads" + threads + ".errorOpsPerSecond", primary.getScoreError() * 1e6);
      }
    }
    record(results, Report.HIT_PATH, HitPathBenchmark.SUBJECTS, figures);
  }

  /** Benchmark 4's throughput: keys/s per method (JMH counts 100 keys per invocation). */
  static void batching(Settings settings, Results results) throws RunnerException {
    var figures = new LinkedHashMap<String, Map<String, Double>>();
    var options = options(settings, BatchingBenchmark.class).threads(1).build();
    for (RunResult run : new Runner(options).run()) {
      Result<?> primary = run.getPrimaryResult();
      Map<String, Double> method = figures.computeIfAbsent(method(run), m -> new LinkedHashMap<>());
      method.put("keysPerSecond", primary.getScore() * 1e6);
      method.put("errorKeysPerSecond", primary.getScoreError() * 1e6);
    }
    record(results, Report.BATCHING, BatchingBenchmark.SUBJECTS, figures);
  }

  /**
   * Benchmark 7, {@code @Cacheable} hits through Spring's proxy at 1 and 2 threads: ns/op per
   * (method, manager), with JMH's 99.9% error, and the ops/s it makes across the threads.
   */
  static void springHitPath(Settings settings, Results results) throws RunnerException {
    var figures = new LinkedHashMap<String, Map<String, Double>>();
    for (int threads : new int[] {1, 2}) {
      var options = options(settings, SpringCacheableBenchmark.class).threads(threads).build();
      for (RunResult run : new Runner(options).run()) {
        Result<?> primary = run.getPrimaryResult(); // average time, ns/op per thread
        String id =
            SpringCacheableBenchmark.subjectId(method(run), run.getParams().getParam("manager"));
        Map<String, Double> subject = figures.computeIfAbsent(id, m -> new LinkedHashMap<>());
        subject.put("threads" + threads + ".nsPerOp", primary.getScore());
        subject.put("threads" + threads + ".errorNsPerOp", primary.getScoreError());
        subject.put("threads" + threads + ".opsPerSecond", threads * 1e9 / primary.getScore());
      }
    }
    var subjects = SpringCacheableBenchmark.SUBJECTS.stream()
        .map(s -> new String[] {SpringCacheableBenchmark.subjectId(s[0], s[1]), s[2], s[3]})
        .toList();
    record(results, Report.SPRING_HIT_PATH, subjects, figures);
  }

  /**
   * Issue 16's local limiter on one thread: decisions/s per (algorithm, method), with JMH's 99.9%
   * error.
   */
  static void rateLimit(Settings settings, Results results) throws RunnerException {
    var figures = new LinkedHashMap<String, Map<String, Double>>();
    var options = options(settings, RateLimiterBenchmark.class).threads(1).build();
    for (RunResult run : new Runner(options).run()) {
      Result<?> primary = run.getPrimaryResult();
      String id = RateLimiterBenchmark.subjectId(run.getParams().getParam("algorithm"), method(run));
      Map<String, Double> subject = figures.computeIfAbsent(id, m -> new LinkedHashMap<>());
      subject.put("opsPerSecond", primary.getScore() * 1e6);
      subject.put("errorOpsPerSecond", primary.getScoreError() * 1e6);
    }
    record(results, Report.RATE_LIMIT, RateLimiterBenchmark.SUBJECTS, figures);
  }

  private static ChainedOptionsBuilder options(Settings settings, Class<?> benchmark) {
    return new OptionsBuilder()
        .include(Pattern.quote(benchmark.getName() + ".") + ".*")
        .warmupIterations(settings.jmhWarmups())
        .warmupTime(TimeValue.milliseconds(settings.jmhWarmupTime().toMillis()))
        .measurementIterations(settings.jmhIterations())
        .measurementTime(TimeValue.milliseconds(settings.jmhIterationTime().toMillis()))
        .forks(settings.jmhForks())
        // JMH 1.37 reads fields through sun.misc.Unsafe: allow it without a warning per fork
        .jvmArgsAppend("-Xms1g", "-Xmx1g", "--sun-misc-unsafe-memory-access=allow")
        .shouldFailOnError(true);
  }

  private static String method(RunResult run) {
    String name = run.getParams().getBenchmark();
    return name.substring(name.lastIndexOf('.') + 1);
  }

  private static void record(Results results, String benchmark, List<String[]> subjects,
      Map<String, Map<String, Double>> figures) {
    for (String[] subject : subjects) {
      Map<String, Double> measured = figures.get(subject[0]);
      if (measured == null) {
        results.failed(benchmark + "." + subject[0], "JMH returned no result");
      } else {
        results.add(new Measurement(benchmark, subject[0], subject[1], subject[2], measured,
            Map.of()));
      }
    }
  }
}
