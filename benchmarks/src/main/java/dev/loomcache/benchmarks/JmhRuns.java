package dev.loomcache.benchmarks;

import dev.loomcache.benchmarks.BenchmarkSuite.Settings;
import dev.loomcache.benchmarks.report.Measurement;
import dev.loomcache.benchmarks.report.Report;
import dev.loomcache.benchmarks.report.Results;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
      for (Score score :
          rounds(
              settings,
              options(settings, HitPathBenchmark.class).threads(threads),
              JmhRuns::method)) {
        Map<String, Double> method =
            figures.computeIfAbsent(score.id(), m -> new LinkedHashMap<>());
        // scores are per microsecond (the benchmarks' output unit)
        method.put("threads" + threads + ".opsPerSecond", score.score() * 1e6);
        method.put("threads" + threads + ".errorOpsPerSecond", score.error() * 1e6);
      }
    }
    record(results, Report.HIT_PATH, HitPathBenchmark.SUBJECTS, figures);
  }

  /** Benchmark 4's throughput: keys/s per method (JMH counts 100 keys per invocation). */
  static void batching(Settings settings, Results results) throws RunnerException {
    var figures = new LinkedHashMap<String, Map<String, Double>>();
    for (Score score :
        rounds(settings, options(settings, BatchingBenchmark.class).threads(1), JmhRuns::method)) {
      Map<String, Double> method = figures.computeIfAbsent(score.id(), m -> new LinkedHashMap<>());
      method.put("keysPerSecond", score.score() * 1e6);
      method.put("errorKeysPerSecond", score.error() * 1e6);
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
      var options = options(settings, SpringCacheableBenchmark.class).threads(threads);
      for (Score score :
          rounds(
              settings,
              options,
              run ->
                  SpringCacheableBenchmark.subjectId(
                      method(run), run.getParams().getParam("manager")))) {
        // average time, ns/op per thread
        Map<String, Double> subject =
            figures.computeIfAbsent(score.id(), m -> new LinkedHashMap<>());
        subject.put("threads" + threads + ".nsPerOp", score.score());
        subject.put("threads" + threads + ".errorNsPerOp", score.error());
        subject.put("threads" + threads + ".opsPerSecond", threads * 1e9 / score.score());
      }
    }
    var subjects =
        SpringCacheableBenchmark.SUBJECTS.stream()
            .map(s -> new String[] {SpringCacheableBenchmark.subjectId(s[0], s[1]), s[2], s[3]})
            .toList();
    record(results, Report.SPRING_HIT_PATH, subjects, figures);
  }

  /** A subject's score over the rounds: their median; the larger of JMH's error and the spread. */
  record Score(String id, double score, double error) {
    /** From each round's score and JMH error (NaN when a round had too few iterations). */
    static Score of(String id, List<Double> scores, List<Double> errors) {
      var sorted = new ArrayList<>(scores);
      Collections.sort(sorted);
      int n = sorted.size();
      double median =
          n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
      double error = (sorted.get(n - 1) - sorted.get(0)) / 2;
      for (double jmhError : errors) {
        if (!Double.isNaN(jmhError)) {
          error = Math.max(error, jmhError);
        }
      }
      return new Score(id, median, error);
    }
  }

  /**
   * Runs every benchmark of {@code options} {@link Settings#jmhRounds()} times, one whole pass
   * after another (so that a change in the machine's load during the run reaches every subject),
   * and returns each subject's {@link Score}, in the order JMH first ran them.
   */
  static List<Score> rounds(
      Settings settings, ChainedOptionsBuilder options, Function<RunResult, String> id)
      throws RunnerException {
    var scores = new LinkedHashMap<String, List<Double>>();
    var errors = new LinkedHashMap<String, List<Double>>();
    var built = options.build();
    for (int round = 0; round < settings.jmhRounds(); round++) {
      for (RunResult run : new Runner(built).run()) {
        Result<?> primary = run.getPrimaryResult();
        String key = id.apply(run);
        scores.computeIfAbsent(key, k -> new ArrayList<>()).add(primary.getScore());
        errors.computeIfAbsent(key, k -> new ArrayList<>()).add(primary.getScoreError());
      }
    }
    var result = new ArrayList<Score>();
    scores.forEach(
        (key, values) -> result.add(Score.of(key, values, errors.getOrDefault(key, List.of()))));
    return result;
  }

  /**
   * Issue 16's local limiter on one thread: decisions/s per (algorithm, method), with JMH's 99.9%
   * error.
   */
  static void rateLimit(Settings settings, Results results) throws RunnerException {
    var figures = new LinkedHashMap<String, Map<String, Double>>();
    var options = options(settings, RateLimiterBenchmark.class).threads(1);
    for (Score score :
        rounds(
            settings,
            options,
            run ->
                RateLimiterBenchmark.subjectId(
                    run.getParams().getParam("algorithm"), method(run)))) {
      Map<String, Double> subject = figures.computeIfAbsent(score.id(), m -> new LinkedHashMap<>());
      subject.put("opsPerSecond", score.score() * 1e6);
      subject.put("errorOpsPerSecond", score.error() * 1e6);
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

  private static void record(
      Results results,
      String benchmark,
      List<String[]> subjects,
      Map<String, Map<String, Double>> figures) {
    for (String[] subject : subjects) {
      Map<String, Double> measured = figures.get(subject[0]);
      if (measured == null) {
        results.failed(benchmark + "." + subject[0], "JMH returned no result");
      } else {
        results.add(
            new Measurement(benchmark, subject[0], subject[1], subject[2], measured, Map.of()));
      }
    }
  }
}
