package dev.loomcache.dashboard.internal;

import dev.loomcache.Cache;
import dev.loomcache.CacheStats;
import dev.loomcache.Loomcache;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The freshness panel: what happens at expiry, each option on and off side by side, on caches of
 * its own (not the demo cache). <em>Hot keys</em>: 64 virtual threads hammer 100 keys, TTL 1 s,
 * over a database that parks 20 ms per call, for a few seconds, once with {@code refreshAfter} 700
 * ms and once without; it reports loader calls and caller latency. <em>Database down</em>: 100 keys
 * loaded, the database starts failing, the cache's clock is moved past the TTL, and 64 threads ask
 * for the keys, once with {@code staleIfError} 60 s and once without; it reports the errors callers
 * saw and the stale values served. One action runs at a time.
 */
public final class FreshnessPanel implements Panel {
  static final int THREADS = 64;
  static final int KEYS = 100;
  static final Duration TTL = Duration.ofSeconds(1);
  static final Duration REFRESH_AFTER = Duration.ofMillis(700);
  static final Duration GRACE = Duration.ofSeconds(60);

  /** A caller that took this long waited for the database (a hit takes microseconds). */
  static final Duration WAITED = Duration.ofMillis(10);

  private static final int MAX_EVENTS = 40;
  private static final Map<String, String> ACTIONS =
      Map.of(
          "hot-keys", "Hot keys past their TTL: refresh-ahead on vs off",
          "database-down", "Database down: stale-if-error on vs off");
  private static final List<String> ACTION_ORDER = List.of("hot-keys", "database-down");

  private final Duration databaseCall;
  private final ReentrantLock running = new ReentrantLock();
  private final ReentrantLock stateLock = new ReentrantLock();
  private final AtomicLong runs = new AtomicLong();
  private final List<Map<String, Object>> events = new ArrayList<>(); // guarded by stateLock
  private @Nullable Map<String, Object> lastHotKeys; // guarded by stateLock
  private @Nullable Map<String, Object> lastDatabaseDown; // guarded by stateLock
  private volatile boolean closed;

  /** A panel whose simulated database parks {@code databaseCall} per call (20 ms on the page). */
  public FreshnessPanel(Duration databaseCall) {
    this.databaseCall = databaseCall;
  }

  @Override
  public String id() {
    return "freshness";
  }

  @Override
  public Map<String, Object> status() {
    var json = new LinkedHashMap<String, Object>();
    json.put("available", true);
    json.put(
        "summary",
        "What happens at expiry. Hot keys: "
            + THREADS
            + " threads hammer "
            + KEYS
            + " keys (TTL 1 s, a "
            + databaseCall.toMillis()
            + " ms database) for a few seconds,"
            + " with refresh-ahead (refreshAfter 700 ms) and without. Database down: the keys are past"
            + " their TTL and every database call fails, with staleIfError 60 s and without. Each run"
            + " builds its own caches; the demo cache is not touched.");
    var list = new ArrayList<Map<String, Object>>();
    for (String id : ACTION_ORDER) {
      list.add(Map.of("id", id, "label", Objects.requireNonNull(ACTIONS.get(id))));
    }
    json.put("actions", list);
    var stats = new LinkedHashMap<String, Object>();
    stats.put("runs", runs.get());
    json.put("stats", stats);
    stateLock.lock();
    try {
      var tables = new ArrayList<Map<String, Object>>();
      if (lastHotKeys != null) {
        tables.add(
            table(
                "hot-keys",
                "Hot keys past their TTL (last run)",
                lastHotKeys,
                List.of(
                    "requests",
                    "loaderCalls",
                    "refreshes",
                    "waitedForDatabase",
                    "p50Millis",
                    "p99Millis",
                    "maxMillis",
                    "errors")));
      }
      if (lastDatabaseDown != null) {
        tables.add(
            table(
                "database-down",
                "Database down (last run)",
                lastDatabaseDown,
                List.of(
                    "requests", "errors", "staleServed", "loaderCalls", "p50Millis", "p99Millis")));
      }
      json.put("tables", tables);
      json.put("events", List.copyOf(events));
    } finally {
      stateLock.unlock();
    }
    return json;
  }

  private static final Map<String, String> LABELS =
      Map.ofEntries(
          Map.entry("requests", "requests"),
          Map.entry("loaderCalls", "loader calls"),
          Map.entry("refreshes", "background refreshes"),
          Map.entry("waitedForDatabase", "callers that waited for the database (≥ 10 ms)"),
          Map.entry("p50Millis", "caller latency p50, ms"),
          Map.entry("p99Millis", "caller latency p99, ms"),
          Map.entry("maxMillis", "caller latency max, ms"),
          Map.entry("errors", "errors seen by callers"),
          Map.entry("staleServed", "stale values served"));

  /** A side-by-side table: one row per measure, a column for each side. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> table(
      String id, String title, Map<String, Object> result, List<String> measures) {
    var on = (Map<String, Object>) Objects.requireNonNull(result.get("on"));
    var off = (Map<String, Object>) Objects.requireNonNull(result.get("off"));
    var rows = new ArrayList<List<Object>>();
    for (String measure : measures) {
      rows.add(
          List.of(
              Objects.requireNonNull(LABELS.get(measure)),
              Objects.requireNonNull(on.get(measure)),
              Objects.requireNonNull(off.get(measure))));
    }
    var json = new LinkedHashMap<String, Object>();
    json.put("id", id);
    json.put("title", title);
    json.put(
        "columns",
        List.of("", String.valueOf(result.get("onLabel")), String.valueOf(result.get("offLabel"))));
    json.put("rows", rows);
    return json;
  }

  @Override
  public Map<String, Object> perform(String action, FormValues form) {
    if (!ACTIONS.containsKey(action)) {
      throw new ApiException(
          404,
          "The freshness panel has no action '"
              + action
              + "'; its actions are "
              + String.join(", ", ACTION_ORDER)
              + ".");
    }
    if (closed) {
      throw new IllegalStateException("The freshness panel is closed");
    }
    Map<String, Object> result;
    if (action.equals("hot-keys")) {
      form.allowOnly(Set.of("seconds"));
      int seconds = form.wholeInt("seconds", 1, 30, 3);
      result = exclusively(() -> hotKeys(Duration.ofSeconds(seconds)));
    } else {
      form.allowOnly(Set.of("requests"));
      int requests = form.wholeInt("requests", 1, 10_000, 1_280);
      result = exclusively(() -> databaseDown(requests));
    }
    return result;
  }

  private Map<String, Object> exclusively(Callable<Map<String, Object>> run) {
    if (!running.tryLock()) {
      throw new ApiException(
          409, "Another freshness run is in progress; try again when it has " + "finished.");
    }
    try {
      runs.incrementAndGet();
      return run.call();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "The freshness run was interrupted.");
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      running.unlock();
    }
  }

  /** Refresh-ahead on, then off, each for {@code duration} of load after a warm start. */
  private Map<String, Object> hotKeys(Duration duration) throws InterruptedException {
    var on = hotKeysSide(true, duration);
    var off = hotKeysSide(false, duration);
    var json = new LinkedHashMap<String, Object>();
    json.put("action", "hot-keys");
    json.put("run", runs.get());
    json.put("seconds", duration.toSeconds());
    json.put("onLabel", "refreshAfter 700 ms");
    json.put("offLabel", "TTL only");
    json.put("on", on);
    json.put("off", off);
    stateLock.lock();
    try {
      lastHotKeys = json;
      note(
          "hot-keys",
          "Hot keys for "
              + duration.toSeconds()
              + " s: with refresh-ahead "
              + on.get("loaderCalls")
              + " loader calls, "
              + on.get("waitedForDatabase")
              + " callers waited, p99 "
              + on.get("p99Millis")
              + " ms; without "
              + off.get("loaderCalls")
              + " loader calls, "
              + off.get("waitedForDatabase")
              + " callers waited, p99 "
              + off.get("p99Millis")
              + " ms");
    } finally {
      stateLock.unlock();
    }
    return json;
  }

  private Map<String, Object> hotKeysSide(boolean refreshAhead, Duration duration)
      throws InterruptedException {
    var database = new Database(databaseCall);
    Loomcache<Object, Object> builder =
        Loomcache.newBuilder()
            .name("freshness-hot-keys-" + (refreshAhead ? "on" : "off"))
            .maximumSize(10 * KEYS)
            .defaultTtl(TTL);
    if (refreshAhead) {
      builder.refreshAfter(REFRESH_AFTER);
    }
    try (Cache<String, String> cache = builder.build()) {
      warm(cache, database, "hot-");
      long loadsBefore = database.calls();
      CacheStats before = cache.stats();
      var latencies = new LatencyHistogram();
      var waited = new LongAdder();
      var requests = new LongAdder();
      var errors = new LongAdder();
      long waitedNanos = WAITED.toNanos();
      long end = System.nanoTime() + duration.toNanos();
      List<Thread> threads = new ArrayList<>(THREADS);
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        threads.add(
            Thread.ofVirtual()
                .name("freshness-hot-" + t)
                .start(() -> {
                  // Each thread walks the keys in its own order; it paces itself by 1 ms between
                  // calls
                  // so that 64 of them load two cores without starving the reload threads.
                  for (long i = thread; System.nanoTime() - end < 0 && !closed; i += 7) {
                    String key = "hot-" + (i % KEYS);
                    long start = System.nanoTime();
                    try {
                      cache.get(key, () -> database.load(key));
                    } catch (RuntimeException e) {
                      errors.increment();
                    }
                    long took = System.nanoTime() - start;
                    latencies.record(took);
                    requests.increment();
                    if (took >= waitedNanos) {
                      waited.increment();
                    }
                    try {
                      Thread.sleep(1);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }));
      }
      for (Thread thread : threads) {
        thread.join();
      }
      CacheStats after = cache.stats();
      Percentiles latency = latencies.drain();
      var json = new LinkedHashMap<String, Object>();
      json.put("refreshAfter", refreshAhead ? REFRESH_AFTER.toMillis() : 0);
      json.put("requests", requests.sum());
      json.put("loaderCalls", database.calls() - loadsBefore);
      json.put("refreshes", after.refreshCount() - before.refreshCount());
      json.put("misses", after.missCount() - before.missCount());
      json.put("waitedForDatabase", waited.sum());
      json.put("p50Millis", latency.p50Millis());
      json.put("p99Millis", latency.p99Millis());
      json.put("maxMillis", latency.maxMillis());
      json.put("errors", errors.sum());
      return json;
    }
  }

  /** Stale-if-error on, then off: the keys past their TTL while every database call fails. */
  private Map<String, Object> databaseDown(int requests) throws InterruptedException {
    var on = databaseDownSide(true, requests);
    var off = databaseDownSide(false, requests);
    var json = new LinkedHashMap<String, Object>();
    json.put("action", "database-down");
    json.put("run", runs.get());
    json.put("onLabel", "staleIfError 60 s");
    json.put("offLabel", "TTL only");
    json.put("on", on);
    json.put("off", off);
    stateLock.lock();
    try {
      lastDatabaseDown = json;
      note(
          "database-down",
          "Database down, "
              + requests
              + " requests: with stale-if-error "
              + on.get("errors")
              + " errors and "
              + on.get("staleServed")
              + " stale values; without "
              + off.get("errors")
              + " errors");
    } finally {
      stateLock.unlock();
    }
    return json;
  }

  private Map<String, Object> databaseDownSide(boolean staleIfError, int requests)
      throws InterruptedException {
    var database = new Database(databaseCall);
    var clockOffset = new AtomicLong();
    Loomcache<Object, Object> builder =
        Loomcache.newBuilder()
            .name("freshness-database-down-" + (staleIfError ? "on" : "off"))
            .ticker(() -> System.nanoTime() + clockOffset.get())
            .maximumSize(10 * KEYS)
            .defaultTtl(TTL);
    if (staleIfError) {
      builder.staleIfError(GRACE);
    }
    try (Cache<String, String> cache = builder.build()) {
      warm(cache, database, "key-");
      database.down.set(true);
      // Past the TTL, well inside the grace: the cache's clock moves, not the wall clock.
      clockOffset.addAndGet(TTL.multipliedBy(2).toNanos());
      long loadsBefore = database.calls();
      CacheStats before = cache.stats();
      var latencies = new LatencyHistogram();
      var errors = new LongAdder();
      var next = new AtomicLong();
      List<Thread> threads = new ArrayList<>(THREADS);
      for (int t = 0; t < THREADS; t++) {
        threads.add(
            Thread.ofVirtual()
                .name("freshness-down-" + t)
                .start(() -> {
                  for (long i = next.getAndIncrement();
                      i < requests && !closed;
                      i = next.getAndIncrement()) {
                    String key = "key-" + (i % KEYS);
                    long start = System.nanoTime();
                    try {
                      cache.get(key, () -> database.load(key));
                    } catch (RuntimeException e) {
                      errors.increment();
                    }
                    latencies.record(System.nanoTime() - start);
                  }
                }));
      }
      for (Thread thread : threads) {
        thread.join();
      }
      CacheStats after = cache.stats();
      Percentiles latency = latencies.drain();
      var json = new LinkedHashMap<String, Object>();
      json.put("staleIfError", staleIfError ? GRACE.toSeconds() : 0);
      json.put("requests", latency.count());
      json.put("errors", errors.sum());
      json.put("staleServed", after.staleServedCount() - before.staleServedCount());
      json.put("loaderCalls", database.calls() - loadsBefore);
      json.put("p50Millis", latency.p50Millis());
      json.put("p99Millis", latency.p99Millis());
      return json;
    }
  }

  /** Loads every key ({@code prefix} and a number) once, concurrently, with the database up. */
  private static void warm(Cache<String, String> cache, Database database, String prefix) {
    var loaders = new LinkedHashMap<String, Callable<String>>();
    for (int k = 0; k < KEYS; k++) {
      String key = prefix + k;
      loaders.put(key, () -> database.load(key));
    }
    var failed = cache.warmup(loaders).failed();
    if (!failed.isEmpty()) {
      throw new IllegalStateException(
          "The freshness panel's warmup failed for "
              + failed.size()
              + " keys: "
              + failed.values().iterator().next());
    }
  }

  // Called with stateLock held.
  private void note(String kind, String text) {
    var event = new LinkedHashMap<String, Object>();
    event.put("time", LocalTime.now().withNano(0).toString());
    event.put("kind", kind);
    event.put("text", text);
    events.add(event);
    while (events.size() > MAX_EVENTS) {
      events.removeFirst();
    }
  }

  @Override
  public void close() {
    closed = true; // a run in progress stops its request loops; its caches close as it returns
  }

  /** A database that parks for each call and, once {@link #down}, fails after the same time. */
  static final class Database {
    final AtomicBoolean down = new AtomicBoolean();
    private final Duration call;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong version = new AtomicLong();

    Database(Duration call) {
      this.call = call;
    }

    String load(String key) throws InterruptedException {
      calls.incrementAndGet();
      if (!call.isZero()) {
        Thread.sleep(call);
      }
      if (down.get()) {
        throw new IllegalStateException("database down");
      }
      return key + "@" + version.incrementAndGet();
    }

    long calls() {
      return calls.get();
    }
  }
}
