package dev.loomcache.dashboard.internal;

import static java.util.Objects.requireNonNull;

import dev.loomcache.WarmupResult;
import dev.loomcache.dashboard.internal.DemoCaches.Demo;
import dev.loomcache.dashboard.internal.DemoCaches.Snapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Runs the scenarios on the server: each request of a scenario is its own virtual thread, all
 * released together by one latch (the mix: in waves, one latch each), and the run returns when
 * every request has finished.
 *
 * <p>One scenario or rebuild runs at a time (a second one is refused with 409 rather than queued),
 * so the backend's call counters attribute every load to the run that caused it. The form is
 * checked before anything runs, so bad input is a 400 even while another run is busy.
 */
public final class ScenarioRunner {
  private final DemoCaches caches;
  private final LatencyHistogram live;
  private final Map<Scenario, Timer> timers = new EnumMap<>(Scenario.class);
  private final ReentrantLock exclusive = new ReentrantLock();
  private final AtomicLong runs = new AtomicLong();

  /** Creates a runner over {@code caches} that records every request's latency in {@code live}. */
  public ScenarioRunner(DemoCaches caches, LatencyHistogram live, MeterRegistry registry) {
    this.caches = caches;
    this.live = live;
    for (Scenario scenario : Scenario.values()) {
      timers.put(
          scenario,
          Timer.builder("dashboard.scenario.requests")
              .tag("scenario", scenario.id())
              .description(
                  "Requests made by the dashboard's scenarios, each on its own virtual thread")
              .publishPercentiles(0.5, 0.95, 0.99)
              .register(registry));
    }
  }

  /**
   * Runs {@code scenario} with the requests (and keys) given in {@code form}; parks the calling
   * thread until every request has finished.
   *
   * @throws ApiException 400 for a bad form value, 409 if another run or a rebuild is in progress
   */
  public Map<String, Object> run(Scenario scenario, FormValues form) {
    form.allowOnly(scenario.fields());
    int requests = form.wholeInt("requests", 1, Scenario.MAX_REQUESTS, scenario.defaultRequests());
    int keys = form.wholeInt("keys", 1, Scenario.MAX_KEYS, Scenario.DEFAULT_MIX_KEYS);
    if (!exclusive.tryLock()) {
      throw busy();
    }
    try {
      return execute(scenario, requests, keys, runs.incrementAndGet());
    } finally {
      exclusive.unlock();
    }
  }

  /**
   * Rebuilds the demo cache with the fields of {@code form} changed; parks while the old cache
   * closes and the new one opens its tiers.
   *
   * @throws ApiException 400 for a bad form value, 409 if a scenario is running
   */
  public DemoConfig reconfigure(FormValues form) {
    DemoConfig config = caches.current().config().with(form);
    if (!exclusive.tryLock()) {
      throw busy();
    }
    try {
      return caches.rebuild(config).config();
    } finally {
      exclusive.unlock();
    }
  }

  private static ApiException busy() {
    return new ApiException(
        409, "Another scenario or a rebuild is running; try again when it has finished.");
  }

  private Map<String, Object> execute(Scenario scenario, int requests, int keys, long run) {
    SlowBackend backend = caches.backend();
    Snapshot before = caches.snapshot();
    Demo demo = before.demo();
    long callsBefore = backend.callCount();
    long batchesBefore = backend.batchCallCount();
    long batchedBefore = backend.batchedKeyCount();
    long busyBefore = backend.busyNanos();
    Outcome outcome;
    WarmupResult<String> warmup = null;
    switch (scenario) {
      case ONE_KEY -> {
        demo.cache().invalidate("hot");
        outcome =
            fire(
                scenario,
                requests,
                1,
                i -> () -> demo.cache().get("hot", () -> backend.load("hot")));
      }
      case UNIQUE_KEYS ->
          outcome =
              fire(
                  scenario,
                  requests,
                  1,
                  i -> {
                    String key = "unique-" + run + "-" + i;
                    return () -> demo.cache().get(key, () -> backend.load(key));
                  });
      case MIX ->
          outcome =
              fire(
                  scenario,
                  requests,
                  Scenario.MIX_WAVES,
                  i -> {
                    String key = mixKey(i, keys);
                    return () -> demo.cache().get(key, () -> backend.load(key));
                  });
      case BATCHED_BURST ->
          outcome =
              fire(
                  scenario,
                  requests,
                  1,
                  i -> {
                    String key = "burst-" + run + "-" + i;
                    return () -> demo.batcher().get(key);
                  });
      case WARMUP -> {
        var loaders = new LinkedHashMap<String, Callable<String>>();
        for (int i = 0; i < requests; i++) {
          String key = "catalog-" + i;
          loaders.put(key, () -> backend.load(key));
        }
        long start = System.nanoTime();
        warmup = demo.cache().warmup(loaders);
        long elapsed = System.nanoTime() - start;
        // Nobody received values (warmup stores them), so there are no distinct values to count.
        outcome =
            new Outcome(
                elapsed,
                1,
                Percentiles.NONE,
                null,
                warmup.failed().size(),
                warmup.failed().isEmpty() ? null : warmup.failed().values().iterator().next());
      }
      default -> throw new IllegalStateException("unknown scenario " + scenario);
    }
    Snapshot after = caches.snapshot();
    long loaderCalls = backend.callCount() - callsBefore;
    long batchCalls = backend.batchCallCount() - batchesBefore;
    long batchedKeys = backend.batchedKeyCount() - batchedBefore;
    Map<String, Object> delta =
        StatsJson.delta(before.stats(), before.size(), after.stats(), after.size());
    var result = new LinkedHashMap<String, Object>();
    result.put("run", run);
    result.put("scenario", scenario.id());
    result.put("title", scenario.title());
    result.put("requests", requests);
    result.put("unit", scenario.unit());
    if (scenario == Scenario.MIX) {
      result.put("keys", keys);
    }
    result.put("waves", outcome.waves());
    result.put("headline", headline(scenario, requests, loaderCalls, batchCalls));
    result.put("loaderCalls", loaderCalls);
    result.put("batchCalls", batchCalls);
    result.put("batchedKeys", batchedKeys);
    result.put("elapsedMillis", Percentiles.millis(outcome.elapsedNanos()));
    result.put("loaderMillis", Percentiles.millis(backend.busyNanos() - busyBefore));
    result.put("latency", outcome.latency().toJson());
    if (outcome.distinctValues() != null) {
      result.put("distinctValues", outcome.distinctValues());
    }
    result.put("failures", outcome.failures());
    if (outcome.firstFailure() != null) {
      result.put("firstFailure", describe(outcome.firstFailure()));
    }
    if (warmup != null) {
      var json = new LinkedHashMap<String, Object>();
      json.put("loaded", warmup.loaded().size());
      json.put("skipped", warmup.skipped().size());
      json.put("failed", warmup.failed().size());
      result.put("warmup", json);
    }
    Double runHitRate = StatsJson.runHitRate(before.stats(), after.stats());
    if (runHitRate != null) {
      result.put("runHitRate", runHitRate);
    }
    result.put("before", StatsJson.of(before.stats(), before.size()));
    result.put("after", StatsJson.of(after.stats(), after.size()));
    result.put("delta", delta);
    result.put(
        "summary",
        summary(scenario, requests, loaderCalls, batchCalls, batchedKeys, outcome, delta, warmup));
    return result;
  }

  /** The golden ratio's fractional part: its multiples spread evenly over [0, 1). */
  private static final double GOLDEN_FRACTION = 0.6180339887498949;

  /**
   * The key of the mix's request {@code i}: a low-discrepancy sequence rather than random numbers,
   * so that a run is reproducible and every wave covers the key space alike; squaring skews it
   * towards low indexes (a few hot keys, a long tail): about one request in ten asks for key 0 of
   * 100.
   */
  static String mixKey(int i, int keys) {
    double u = ((i + 1) * GOLDEN_FRACTION) % 1.0;
    return "mix-" + Math.min(keys - 1, (int) (keys * u * u));
  }

  /**
   * The headline: every call the backend got (single-key and batch) for the requests. The label
   * says which kind they were, so a batched run does not read "0 loader calls".
   */
  static Map<String, Object> headline(
      Scenario scenario, int requests, long loaderCalls, long batchCalls) {
    long calls = loaderCalls + batchCalls;
    String label;
    if (batchCalls == 0) {
      label = calls == 1 ? "loader call" : "loader calls";
    } else if (loaderCalls == 0) {
      label = calls == 1 ? "batch loader call" : "batch loader calls";
    } else {
      label = "loader calls (" + batchCalls + " of them batch calls)";
    }
    String unit =
        requests == 1
            ? scenario.unit().substring(0, scenario.unit().length() - 1)
            : scenario.unit();
    var json = new LinkedHashMap<String, Object>();
    json.put("calls", calls);
    json.put("label", label);
    json.put("of", requests);
    json.put("unit", unit);
    json.put("text", String.format(Locale.ROOT, "%,d %s for %,d %s", calls, label, requests, unit));
    return json;
  }

  private static String summary(
      Scenario scenario,
      int requests,
      long loaderCalls,
      long batchCalls,
      long batchedKeys,
      Outcome outcome,
      Map<String, Object> delta,
      @Nullable WarmupResult<String> warmup) {
    var text = new StringBuilder();
    if (warmup != null) {
      text.append(count(requests, "key"))
          .append(": ")
          .append(warmup.loaded().size())
          .append(" loaded, ")
          .append(warmup.skipped().size())
          .append(" skipped (already present), ")
          .append(warmup.failed().size())
          .append(" failed; ")
          .append(count(loaderCalls, "loader call"));
    } else {
      text.append(count(requests, "request"));
      if (outcome.waves() > 1) {
        text.append(" in ").append(outcome.waves()).append(" waves");
      }
      text.append(", ").append(count(loaderCalls, "loader call"));
      if (batchCalls > 0) {
        text.append(", ")
            .append(count(batchCalls, "batch loader call"))
            .append(" for ")
            .append(count(batchedKeys, "key"));
      }
      text.append("; ")
          .append(count((long) requireNonNull(delta.get("hits")), "hit"))
          .append(" in L1, ")
          .append(delta.get("coalesced"))
          .append(" waited for another caller's load");
      long tierHits = (long) requireNonNull(delta.get("tierHits"));
      if (tierHits > 0) {
        text.append(", ").append(tierHits).append(" answered by a lower tier");
      }
    }
    text.append("; ").append(Percentiles.millis(outcome.elapsedNanos())).append(" ms in all.");
    return text.toString();
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String describe(Throwable failure) {
    return failure.getClass().getSimpleName()
        + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
  }

  /** What the requests of one run saw. */
  private record Outcome(
      long elapsedNanos,
      int waves,
      Percentiles latency,
      @Nullable Integer distinctValues,
      long failures,
      @Nullable Throwable firstFailure) {}

  /**
   * Starts {@code n} requests on virtual threads in {@code waves} waves of (nearly) equal size; the
   * requests of a wave are released together, and a wave starts when the one before has finished.
   * Each request's latency goes to the run's own percentiles, the live histogram and the meter. The
   * elapsed time is the sum of the waves' times, from release to the last request's end.
   */
  private Outcome fire(
      Scenario scenario, int n, int waves, IntFunction<Callable<@Nullable String>> requests) {
    var run = new Requests(n, requireNonNull(timers.get(scenario))); // one timer per scenario
    int wavesRun = Math.min(waves, n);
    long elapsed = 0;
    int from = 0;
    for (int wave = 1; wave <= wavesRun; wave++) {
      int to = (int) ((long) n * wave / wavesRun);
      elapsed += fireWave(run, from, to, requests);
      from = to;
    }
    var distinct = new HashSet<String>();
    for (String value : run.values) {
      if (value != null) {
        distinct.add(value);
      }
    }
    return new Outcome(
        elapsed,
        wavesRun,
        Percentiles.ofNanos(run.latencies),
        distinct.size(),
        run.failures.get(),
        run.firstFailure.get());
  }

  /** Runs requests {@code from} (inclusive) to {@code to}; returns the nanoseconds they took. */
  private static long fireWave(
      Requests run, int from, int to, IntFunction<Callable<@Nullable String>> requests) {
    var start = new CountDownLatch(1);
    long began = System.nanoTime();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      try {
        for (int i = from; i < to; i++) {
          int index = i;
          Callable<@Nullable String> request = requests.apply(i);
          executor.execute(() -> run.perform(index, start, request));
        }
      } finally {
        // Released even if submitting failed halfway, so that the started requests can finish.
        began = System.nanoTime();
        start.countDown();
      }
    }
    return System.nanoTime() - began;
  }

  /** The shared state of one run's requests; each request writes only its own slots. */
  private final class Requests {
    final long[] latencies;
    final @Nullable String[] values;
    final AtomicLong failures = new AtomicLong();
    final AtomicReference<@Nullable Throwable> firstFailure = new AtomicReference<>();
    final Timer timer;

    Requests(int n, Timer timer) {
      this.latencies = new long[n];
      this.values = new String[n];
      this.timer = timer;
    }

    void perform(int index, CountDownLatch start, Callable<@Nullable String> request) {
      try {
        start.await();
      } catch (InterruptedException e) {
        failed(e);
        return;
      }
      long startedAt = System.nanoTime();
      try {
        values[index] = request.call();
      } catch (Exception e) {
        failed(e);
      } finally {
        long took = System.nanoTime() - startedAt;
        latencies[index] = took;
        live.record(took);
        timer.record(took, TimeUnit.NANOSECONDS);
      }
    }

    private void failed(Exception e) {
      failures.incrementAndGet();
      firstFailure.compareAndSet(null, e);
      if (e instanceof InterruptedException) {
        // The run is being shut down; keep the flag so the thread ends promptly.
        Thread.currentThread().interrupt();
      }
    }
  }
}
