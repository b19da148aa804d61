package dev.loomcache.dashboard.internal;

import dev.loomcache.CacheStats;
import dev.loomcache.WarmupResult;
import dev.loomcache.dashboard.internal.DemoCaches.Demo;
import dev.loomcache.dashboard.internal.DemoCaches.Snapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Runs the scenarios on the server: each request of a scenario is its own virtual thread, all
 * released together by one latch, and the run returns when every request has finished.
 *
 * <p>One scenario or rebuild runs at a time (a second one is refused with 409 rather than queued),
 * so the backend's call counters attribute every load to the run that caused it. The form is checked
 * before anything runs, so bad input is a 400 even while another run is busy.
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
      timers.put(scenario, Timer.builder("dashboard.scenario.requests")
          .tag("scenario", scenario.id())
          .description("Requests made by the dashboard's scenarios, each on its own virtual thread")
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
    return new ApiException(409,
        "Another scenario or a rebuild is running; try again when it has finished.");
  }

  private Map<String, Object> execute(Scenario scenario, int requests, int keys, long run) {
    SlowBackend backend = caches.backend();
    Snapshot before = caches.snapshot();
    Demo demo = before.demo();
    long callsBefore = backend.callCount();
    long batchesBefore = backend.batchCallCount();
    long batchedBefore = backend.batchedKeyCount();
    Outcome outcome;
    WarmupResult<String> warmup = null;
    switch (scenario) {
      case ONE_KEY -> {
        demo.cache().invalidate("hot");
        outcome = fire(scenario, requests,
            i -> () -> demo.cache().get("hot", () -> backend.load("hot")));
      }
      case UNIQUE_KEYS -> outcome = fire(scenario, requests, i -> {
        String key = "unique-" + run + "-" + i;
        return () -> demo.cache().get(key, () -> backend.load(key));
      });
      case MIX -> outcome = fire(scenario, requests, i -> () -> {
        // Squaring a uniform number skews towards low indexes: a few hot keys, a long tail.
        double r = ThreadLocalRandom.current().nextDouble();
        String key = "mix-" + (int) (keys * r * r);
        return demo.cache().get(key, () -> backend.load(key));
      });
      case BATCHED_BURST -> outcome = fire(scenario, requests, i -> {
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
        outcome = new Outcome(elapsed, Percentiles.NONE, 0, warmup.failed().size(),
            warmup.failed().isEmpty() ? null : warmup.failed().values().iterator().next());
      }
      default -> throw new IllegalStateException("unknown scenario " + scenario);
    }
    Snapshot after = caches.snapshot();
    var result = new LinkedHashMap<String, Object>();
    result.put("run", run);
    result.put("scenario", scenario.id());
    result.put("title", scenario.title());
    result.put("requests", requests);
    if (scenario == Scenario.MIX) {
      result.put("keys", keys);
    }
    long loaderCalls = backend.callCount() - callsBefore;
    long batchCalls = backend.batchCallCount() - batchesBefore;
    result.put("loaderCalls", loaderCalls);
    result.put("batchCalls", batchCalls);
    result.put("batchedKeys", backend.batchedKeyCount() - batchedBefore);
    result.put("elapsedMillis", Percentiles.millis(outcome.elapsedNanos()));
    result.put("latency", outcome.latency().toJson());
    result.put("distinctValues", outcome.distinctValues());
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
    result.put("before", StatsJson.of(before.stats(), before.size()));
    result.put("after", StatsJson.of(after.stats(), after.size()));
    result.put("delta", StatsJson.delta(before.stats(), after.stats()));
    result.put("summary", summary(requests, loaderCalls, batchCalls, outcome, after.stats(),
        before.stats()));
    return result;
  }

  private static String summary(int requests, long loaderCalls, long batchCalls, Outcome outcome,
      CacheStats after, CacheStats before) {
    long coalesced = after.coalescedCount() - before.coalescedCount();
    long hits = after.hitCount() - before.hitCount();
    var text = new StringBuilder()
        .append(requests).append(requests == 1 ? " request, " : " requests, ")
        .append(loaderCalls).append(loaderCalls == 1 ? " loader call" : " loader calls");
    if (batchCalls > 0) {
      text.append(", ").append(batchCalls).append(batchCalls == 1 ? " batch call" : " batch calls");
    }
    text.append("; ").append(hits).append(" hits, ").append(coalesced)
        .append(" waited for another caller's load; ")
        .append(Percentiles.millis(outcome.elapsedNanos())).append(" ms in all.");
    return text.toString();
  }

  private static String describe(Throwable failure) {
    return failure.getClass().getSimpleName()
        + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
  }

  /** What the requests of one run saw. */
  private record Outcome(long elapsedNanos, Percentiles latency, int distinctValues, long failures,
      @Nullable Throwable firstFailure) {}

  /**
   * Starts {@code n} requests on virtual threads, releases them together and waits for all of them.
   * Each request's latency goes to the run's own percentiles, the live histogram and the meter.
   */
  private Outcome fire(Scenario scenario, int n, IntFunction<Callable<@Nullable String>> requests) {
    var run = new Requests(n, timers.get(scenario));
    long began = System.nanoTime();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      try {
        for (int i = 0; i < n; i++) {
          int index = i;
          Callable<@Nullable String> request = requests.apply(i);
          executor.execute(() -> run.perform(index, request));
        }
      } finally {
        // Released even if submitting failed halfway, so that the started requests can finish.
        began = System.nanoTime();
        run.start.countDown();
      }
    }
    long elapsed = System.nanoTime() - began;
    var distinct = new HashSet<String>();
    for (String value : run.values) {
      if (value != null) {
        distinct.add(value);
      }
    }
    return new Outcome(elapsed, Percentiles.ofNanos(run.latencies), distinct.size(),
        run.failures.get(), run.firstFailure.get());
  }

  /** The shared state of one run's requests; each request writes only its own slots. */
  private final class Requests {
    final CountDownLatch start = new CountDownLatch(1);
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

    void perform(int index, Callable<@Nullable String> request) {
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
