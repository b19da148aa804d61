package dev.loomcache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The hot-key-expiry benchmark: {@code threads} virtual threads hammer {@code keys} present keys
 * whose TTL passes several times during the run; the loader parks {@code load} (a database call).
 * With refresh-ahead, the reload happens in the background and callers keep hitting; without it,
 * the callers of each expired key wait for its load. A plain harness rather than JMH: the result is
 * a tail of per-caller latencies and a count of loader calls, not a rate.
 *
 * <p>Each subject runs in its own JVM, in phases over the same 64 threads: an unmeasured <em>hit
 * phase</em> (to warm the JIT), the <em>expiry phase</em> on a fresh cache with the real TTL and
 * refresh point, every key loaded first, then the measured hit phase: the same configuration with
 * the TTL and refresh point an hour away, so every call is a hit (the hit p99 under this load).
 * Loader calls are counted during the expiry phase only, from the start of each call (a reload
 * still in flight at the end counts).
 *
 * <p>Refresh periods. A value is stamped when it is stored, so a key's cycle under constant load is
 * the refresh point (or, without refresh-ahead, the TTL) plus one load: {@code period =
 * refreshAfter + load} (TTL only: {@code ttl + load}), and {@code refreshPeriods = floor(run /
 * period)}. Every key was loaded just before the run, so each key is reloaded {@code
 * refreshPeriods} times, or once more when the run ends during a reload or just after one was due:
 * {@code keys × refreshPeriods ≤ loader calls ≤ keys × (refreshPeriods + 1)}.
 *
 * <p>Between two calls each thread parks for {@link #PAUSE} (100 µs): virtual threads are not
 * time-sliced, and 64 threads that never block would starve the reload threads on two cores (a
 * first version that only yielded its carrier between calls saw every subject's reloads arrive
 * 20–40% late under a machine load of 13), which no service doing I/O between its cache calls would
 * see.
 *
 * <p>Key order. Each caller draws its keys at random (a seed per caller). A first version walked
 * them with a fixed stride ({@code key + 7}), so the next key depended on the current one only:
 * callers released together by one load went on to the same next key, waited on its load together,
 * and so on, until most callers moved as one convoy through the expired keys, one load at a time.
 * Keys the convoy had not reached yet were asked for by nobody, so they were not reloaded: gaps of
 * 1.2–2.4 s between the reloads of a key with a 1 s TTL, and 147 (or 110) TTL-only loader calls
 * instead of 200, while no caller was ever served a value older than the TTL (the convoy showed as
 * 64 threads making 320 calls per 100 ms, 5 loads of 20 ms each). The age of every value served is
 * now measured, from the end of its load to the start of the call that received it ({@code
 * maxServedAgeMillis}).
 */
public final class HotKeyExpiryHarness {
  private HotKeyExpiryHarness() {}

  /**
   * Expiry-phase length by suite mode: short in quick mode (the suite's budget). Both lengths end
   * well inside a cycle of each subject (refresh-ahead: 520 ms; TTL only: 1,020 ms), never just
   * after one: the reloads of a cycle start a little late (the 100 µs pause, the coarse clock's
   * tick, the reload thread's start), and over many cycles that lag adds up, so a run that ends a
   * few milliseconds after the n-th cycle is due counts n reloads for some keys and n − 1 for
   * others. Full mode ran 12 s until 2026-12-02 — 40 ms after the 23rd refresh-ahead cycle, 1.7 ms
   * of slack per cycle — and Loomcache's count landed on either side of 2,300 from run to run
   * (2,300 once, 2,256 the next). 11.7 s ends 260 ms into the 23rd refresh-ahead cycle (22 full
   * ones) and 480 ms into the 12th TTL-only one (11 full ones); 3 s ends 400 ms into the 6th and
   * 960 ms into the 3rd.
   */
  static Duration runTime(String mode) {
    return mode.equals("full") ? Duration.ofMillis(11_700) : Duration.ofSeconds(3);
  }

  /** Hit-phase length by suite mode. */
  static Duration hitTime(String mode) {
    return mode.equals("full") ? Duration.ofSeconds(4) : Duration.ofSeconds(1);
  }

  static final int THREADS = 64;
  static final int KEYS = 100;
  static final Duration LOAD = Duration.ofMillis(20);
  static final Duration TTL = Duration.ofSeconds(1);
  static final Duration REFRESH_AFTER = Duration.ofMillis(500);
  static final Duration PAUSE = Duration.ofNanos(100_000);

  /** The subjects, each with its report label and configuration. */
  public enum Subject {
    LOOMCACHE_REFRESH_AHEAD(
        "Loomcache refreshAfter",
        "Loomcache.newBuilder().maximumSize(10000).defaultTtl(ttl).refreshAfter(refreshAfter)"
            + "; get(k, () -> load(k))"),
    LOOMCACHE_TTL_ONLY(
        "Loomcache TTL only",
        "Loomcache.newBuilder().maximumSize(10000).defaultTtl(ttl); get(k, () -> load(k))"),
    CAFFEINE_REFRESH_AFTER_WRITE(
        "Caffeine refreshAfterWrite",
        "Caffeine.newBuilder().maximumSize(10000).expireAfterWrite(ttl)"
            + ".refreshAfterWrite(refreshAfter).executor(virtual thread per task).build(load)"
            + "; get(k) (the default executor, the common pool, has 1 thread on 2 cores: 100"
            + " reloads of 20 ms would queue behind one another)");

    private final String label;
    private final String configuration;

    Subject(String label, String configuration) {
      this.label = label;
      this.configuration = configuration;
    }

    public String label() {
      return label;
    }

    public String configuration() {
      return configuration;
    }

    /** Whether the subject reloads ahead of the TTL. */
    boolean refreshesAhead() {
      return this != LOOMCACHE_TTL_ONLY;
    }
  }

  /** A loaded value: its key and the {@code System.nanoTime()} at which its load completed. */
  record Value(int key, long loadedAt) {}

  /** A cache under test: a read-through {@code get} and a {@code close}. */
  interface Under extends AutoCloseable {
    @Nullable Value get(Integer key);

    @Override
    void close();
  }

  static Under open(
      Subject subject, Duration ttl, Duration refreshAfter, Function<Integer, Value> loader) {
    return switch (subject) {
      case LOOMCACHE_REFRESH_AHEAD, LOOMCACHE_TTL_ONLY -> {
        var builder = Loomcache.newBuilder().maximumSize(10_000).defaultTtl(ttl);
        if (subject == Subject.LOOMCACHE_REFRESH_AHEAD) {
          builder.refreshAfter(refreshAfter);
        }
        Cache<Integer, Value> cache = builder.build();
        yield new Under() {
          @Override
          public @Nullable Value get(Integer key) {
            return cache.get(key, () -> loader.apply(key));
          }

          @Override
          public void close() {
            cache.close();
          }
        };
      }
      case CAFFEINE_REFRESH_AFTER_WRITE -> {
        ExecutorService reloads = Executors.newVirtualThreadPerTaskExecutor();
        LoadingCache<Integer, Value> cache =
            Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(ttl)
                .refreshAfterWrite(refreshAfter)
                .executor(reloads)
                .build(loader::apply);
        yield new Under() {
          @Override
          public @Nullable Value get(Integer key) {
            return cache.get(key);
          }

          @Override
          public void close() {
            reloads.shutdownNow();
            reloads.close();
          }
        };
      }
    };
  }

  /**
   * One phase's measurements: the per-call latency histogram, calls made, loader calls, and the
   * oldest value served (from the end of its load to the start of the call that received it).
   */
  record Phase(LogHistogram latencies, long calls, int loaderCalls, long maxServedAgeNanos) {}

  /**
   * Opens {@code subject}, loads every key, then runs {@code threads} callers for {@code run};
   * parks until every caller has returned.
   *
   * @throws IllegalStateException if a caller failed or got a wrong value
   * @throws InterruptedException if the calling thread is interrupted
   */
  static Phase runPhase(
      Subject subject,
      int threads,
      int keys,
      Duration load,
      Duration ttl,
      Duration refreshAfter,
      Duration run)
      throws InterruptedException {
    var loaderCalls = new AtomicInteger();
    Function<Integer, Value> loader =
        key -> {
          loaderCalls.incrementAndGet();
          Parking.park(load);
          return new Value(key, System.nanoTime());
        };
    var maxServedAge = new AtomicLong();
    var histogram = new LogHistogram();
    var failure = new AtomicReference<@Nullable Throwable>();
    long[] calls = new long[threads];
    try (Under cache = open(subject, ttl, refreshAfter, loader)) {
      var warm = new ArrayList<Thread>(keys);
      for (int k = 0; k < keys; k++) {
        Integer key = k;
        warm.add(Thread.ofVirtual().start(() -> cache.get(key)));
      }
      for (Thread thread : warm) {
        thread.join();
      }
      loaderCalls.set(0);
      long end = System.nanoTime() + run.toNanos();
      List<Thread> callers = new ArrayList<>(threads);
      for (int t = 0; t < threads; t++) {
        int caller = t;
        callers.add(
            Thread.ofVirtual()
                .start(() -> {
                  try {
                    long n = 0;
                    var random =
                        new SplittableRandom(caller); // not a stride: see "Key order" above
                    while (System.nanoTime() - end < 0) {
                      Integer key = random.nextInt(keys);
                      long start = System.nanoTime();
                      Value value = cache.get(key);
                      histogram.record(System.nanoTime() - start);
                      n++;
                      if (value == null || value.key() != key) {
                        throw new IllegalStateException("key " + key + " got " + value);
                      }
                      long age = start - value.loadedAt();
                      if (age > maxServedAge.get()) {
                        maxServedAge.accumulateAndGet(age, Math::max);
                      }
                      LockSupport.parkNanos(PAUSE.toNanos());
                    }
                    calls[caller] = n;
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                }));
      }
      for (Thread thread : callers) {
        thread.join();
      }
    }
    Throwable failed = failure.get();
    if (failed != null) {
      throw new IllegalStateException(subject.label() + ": a caller failed", failed);
    }
    long total = 0;
    for (long n : calls) {
      total += n;
    }
    return new Phase(histogram, total, loaderCalls.get(), maxServedAge.get());
  }

  /** {@code floor(run / (cycle + load))}: the reloads per key that fit in the run. */
  static long refreshPeriods(Duration run, Duration cycle, Duration load) {
    return run.toNanos() / cycle.plus(load).toNanos();
  }

  /**
   * Arguments: subject, threads, keys, load ms, ttl ms, refreshAfter ms, run ms, hit-phase ms.
   * Emits the caller and hit percentiles, loader calls and the expected count.
   */
  public static void main(String[] args) throws InterruptedException {
    Subject subject = Subject.valueOf(args[0]);
    int threads = Integer.parseInt(args[1]);
    int keys = Integer.parseInt(args[2]);
    Duration load = Duration.ofMillis(Long.parseLong(args[3]));
    Duration ttl = Duration.ofMillis(Long.parseLong(args[4]));
    Duration refreshAfter = Duration.ofMillis(Long.parseLong(args[5]));
    Duration run = Duration.ofMillis(Long.parseLong(args[6]));
    Duration hitRun = Duration.ofMillis(Long.parseLong(args[7]));

    runPhase(subject, threads, keys, load, Duration.ofHours(1), Duration.ofMinutes(30), hitRun);
    Phase expiry = runPhase(subject, threads, keys, load, ttl, refreshAfter, run);
    Phase hits =
        runPhase(subject, threads, keys, load, Duration.ofHours(1), Duration.ofMinutes(30), hitRun);
    Duration cycle = subject.refreshesAhead() ? refreshAfter : ttl;
    long periods = refreshPeriods(run, cycle, load);

    Forks.emit("threads", threads);
    Forks.emit("keys", keys);
    Forks.emit("loadMillis", load.toMillis());
    Forks.emit("ttlMillis", ttl.toMillis());
    Forks.emit("refreshAfterMillis", subject.refreshesAhead() ? refreshAfter.toMillis() : 0);
    Forks.emit("runMillis", run.toMillis());
    Forks.emit("calls", expiry.calls());
    Forks.emit("callerP50Millis", Latencies.millis(expiry.latencies().percentile(50)));
    Forks.emit("callerP99Millis", Latencies.millis(expiry.latencies().percentile(99)));
    Forks.emit("callerMaxMillis", Latencies.millis(expiry.latencies().max()));
    Forks.emit("hitCalls", hits.calls());
    Forks.emit("hitP50Millis", Latencies.millis(hits.latencies().percentile(50)));
    Forks.emit("hitP99Millis", Latencies.millis(hits.latencies().percentile(99)));
    Forks.emit("hitPhaseLoaderCalls", hits.loaderCalls());
    Forks.emit("loaderCalls", expiry.loaderCalls());
    Forks.emit("refreshPeriods", periods);
    Forks.emit("expectedLoaderCalls", (long) keys * periods);
    Forks.emit("maxServedAgeMillis", Latencies.millis(expiry.maxServedAgeNanos()));
  }

  /**
   * A lock-free latency histogram for millions of calls: 16 linear sub-buckets per power of two of
   * nanoseconds, so a percentile is reported within about 6% (the bucket's upper bound).
   */
  static final class LogHistogram {
    private static final int SUB_BITS = 4;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = SUB + (63 - SUB_BITS) * SUB;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong max = new AtomicLong();

    void record(long nanos) {
      long value = Math.max(0, nanos);
      counts.incrementAndGet(index(value));
      max.accumulateAndGet(value, Math::max);
    }

    static int index(long value) {
      if (value < SUB) {
        return (int) value;
      }
      int exponent = 63 - Long.numberOfLeadingZeros(value);
      int sub = (int) ((value >>> (exponent - SUB_BITS)) & (SUB - 1));
      return SUB + (exponent - SUB_BITS) * SUB + sub;
    }

    /** The largest value bucket {@code index} holds. */
    static long upperBound(int index) {
      if (index < SUB) {
        return index;
      }
      int exponent = (index - SUB) / SUB + SUB_BITS;
      int sub = (index - SUB) % SUB;
      long lower = (long) (SUB + sub) << (exponent - SUB_BITS);
      return lower + (1L << (exponent - SUB_BITS)) - 1;
    }

    long count() {
      long total = 0;
      for (int i = 0; i < BUCKETS; i++) {
        total += counts.get(i);
      }
      return total;
    }

    /** Nearest-rank percentile, as the upper bound of its bucket (never above the maximum). */
    long percentile(double percent) {
      long total = count();
      if (total == 0) {
        throw new IllegalStateException("no latency was recorded");
      }
      long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * total));
      long seen = 0;
      for (int i = 0; i < BUCKETS; i++) {
        seen += counts.get(i);
        if (seen >= rank) {
          return Math.min(upperBound(i), max.get());
        }
      }
      return max.get();
    }

    long max() {
      return max.get();
    }
  }
}
