package dev.loomcache.benchmarks;

import dev.loomcache.limit.RateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * In-process rate-limit decisions per second on one thread: {@code tryAcquire} of the fixed and the
 * sliding window, on one hot key and on 1,024 keys taken in turn. The limit is never reached (a
 * huge limit, an hour's window), so every call is a full "allowed" decision: a map read, a clock
 * read and a CAS. Target (issue 16): at least 20 M decisions/s. In the suite as {@code rateLimit}.
 *
 * <pre>{@code
 * java -cp ... org.openjdk.jmh.Main RateLimiterBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -t 1
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RateLimiterBenchmark {
  private static final int KEYS = 1_024;

  /** The report's subjects: id ({@link #subjectId}), label, configuration. */
  public static final List<String[]> SUBJECTS =
      List.of(
          new String[] {
            subjectId("fixed", "tryAcquire_oneKey"),
            "fixed window, one key",
            "fixedWindow(Integer.MAX_VALUE, 1 h), tryAcquire(\"hot\")"
          },
          new String[] {
            subjectId("fixed", "tryAcquire_1024Keys"),
            "fixed window, 1,024 keys in turn",
            "fixedWindow(Integer.MAX_VALUE, 1 h)"
          },
          new String[] {
            subjectId("sliding", "tryAcquire_oneKey"),
            "sliding window, one key",
            "slidingWindow(Integer.MAX_VALUE, 1 h), tryAcquire(\"hot\")"
          },
          new String[] {
            subjectId("sliding", "tryAcquire_1024Keys"),
            "sliding window, 1,024 keys in turn",
            "slidingWindow(Integer.MAX_VALUE, 1 h)"
          });

  /** The subject id of {@code method} with the {@code algorithm} parameter. */
  public static String subjectId(String algorithm, String method) {
    return algorithm + "_" + method;
  }

  @Param({"fixed", "sliding"})
  public String algorithm =
      "fixed"; // JMH sets it before @Setup; the default only keeps it non-null

  private RateLimiter limiter;
  private final String[] keys = new String[KEYS];
  private int next;

  @Setup
  public void setUp() {
    Duration hour = Duration.ofHours(1);
    limiter =
        ("fixed".equals(algorithm)
                ? RateLimiter.fixedWindow(Integer.MAX_VALUE, hour)
                : RateLimiter.slidingWindow(Integer.MAX_VALUE, hour))
            .build();
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "user-" + i;
    }
  }

  @TearDown
  public void tearDown() {
    limiter.close();
  }

  @Benchmark
  public boolean tryAcquire_oneKey() {
    return limiter.tryAcquire("hot");
  }

  @Benchmark
  public boolean tryAcquire_1024Keys() {
    String key = keys[next];
    next = (next + 1) & (KEYS - 1);
    return limiter.tryAcquire(key);
  }
}
