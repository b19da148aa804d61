package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.internal.CoarseClock;
import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * TTL under hot-key load with the real clock: many virtual threads read a few keys continuously
 * while their TTL passes several times, and every value handed out is checked against the time its
 * load completed. A value older than its TTL plus a generous tolerance (scheduling on a loaded
 * two-core machine, one coarse-clock tick) is a caller served past the TTL.
 *
 * <p>Context: a hot-key-expiry harness run saw keys go 1.2–2.4 s between reloads with a 1 s TTL.
 * That is not a value served late: the harness walked its keys with a fixed stride, so callers that
 * waited on the same load left it together and stayed in step (a convoy), and a key nobody asks for
 * is not reloaded. The stride walk is kept here so that the convoy happens, and the age of every
 * served value is what is asserted.
 */
class CacheHotKeyExpiryTest {
  private static final Duration TTL = Duration.ofMillis(200);
  private static final Duration TOLERANCE = Duration.ofMillis(200);
  private static final Duration LOAD = Duration.ofMillis(10);
  private static final Duration RUN = Duration.ofMillis(1500);
  private static final int KEYS = 20;
  private static final int THREADS = 32;

  /** A loaded value: its key and the {@code System.nanoTime()} at which its load completed. */
  record Stamped(int key, long loadedAt) {}

  /** One call: the cache's read-through get for {@code key} with {@code loader}. */
  interface Getter {
    Stamped get(int key, Callable<Stamped> loader);
  }

  @Test
  void get_defaultTtlOnTheCoarseClock_neverServesAValuePastItsTtl() throws Exception {
    try (Cache<Integer, Stamped> cache = Loomcache.newBuilder().defaultTtl(TTL).build()) {
      assertServedWithinTtl(cache::get, stride());
      assertServedWithinTtl(cache::get, random());
    }
  }

  @Test
  void get_defaultTtlOnTheSystemTickerGivenExplicitly_neverServesAValuePastItsTtl()
      throws Exception {
    try (Cache<Integer, Stamped> cache =
        Loomcache.newBuilder().ticker(System::nanoTime).defaultTtl(TTL).build()) {
      assertServedWithinTtl(cache::get, stride());
    }
  }

  @Test
  void get_perCallTtlWithoutDefault_neverServesAValuePastItsTtl() throws Exception {
    // No default TTL: the plain layout, each value in a deadline wrapper.
    try (Cache<Integer, Stamped> cache = Loomcache.newBuilder().build()) {
      assertServedWithinTtl((key, loader) -> cache.get(key, loader, TTL), stride());
    }
  }

  @Test
  void get_defaultTtlWithExpireAfterAccess_neverServesAValuePastItsTtl() throws Exception {
    // Hot keys are never idle: only the TTL (deadline wrappers) makes them expire.
    try (Cache<Integer, Stamped> cache =
        Loomcache.newBuilder().defaultTtl(TTL).expireAfterAccess(Duration.ofMinutes(10)).build()) {
      assertServedWithinTtl(cache::get, stride());
    }
  }

  /** The next key of a caller after {@code key}: a fixed stride, as the harness walked. */
  private static Function<Integer, IntUnaryOperator> stride() {
    return caller -> key -> (key + 7) % KEYS;
  }

  /** The next key of a caller: drawn at random, from a seed per caller. */
  private static Function<Integer, IntUnaryOperator> random() {
    return caller -> {
      var random = new SplittableRandom(caller);
      return key -> random.nextInt(KEYS);
    };
  }

  /**
   * Runs {@link #THREADS} callers for {@link #RUN}, each walking the keys with its own {@code
   * walk}, and asserts that no caller received a value whose load completed more than the TTL plus
   * the tolerance before its call began, and that the TTL passed during the run (the loader ran
   * again after the first loads).
   */
  private static void assertServedWithinTtl(Getter cache, Function<Integer, IntUnaryOperator> walk)
      throws InterruptedException {
    var loads = new AtomicInteger();
    var oldest = new AtomicLong();
    var oldestKey = new AtomicInteger(-1);
    var failure = new AtomicReference<Throwable>();
    // The coarse clock's thread is a platform thread the OS may not schedule on time on a loaded
    // machine (tens of ms were measured, more during a full build); a hit cannot see time the
    // clock has not published, so its observed lag is added to the allowance.
    CoarseClock clock = CoarseClock.acquire();
    var maxLag = new AtomicLong();
    var sampling = new AtomicBoolean(true);
    Thread sampler =
        Thread.ofPlatform()
            .daemon()
            .start(() -> {
              while (sampling.get()) {
                maxLag.accumulateAndGet(System.nanoTime() - clock.read(), Math::max);
                LockSupport.parkNanos(200_000);
              }
            });
    long end = System.nanoTime() + RUN.toNanos();
    List<Thread> callers = new ArrayList<>(THREADS);
    for (int t = 0; t < THREADS; t++) {
      int caller = t;
      IntUnaryOperator next = walk.apply(caller);
      callers.add(
          Thread.ofVirtual()
              .start(() -> {
                try {
                  for (int key = caller % KEYS;
                      System.nanoTime() - end < 0;
                      key = next.applyAsInt(key)) {
                    int k = key;
                    long start = System.nanoTime();
                    Stamped value =
                        cache.get(
                            k,
                            () -> {
                              loads.incrementAndGet();
                              LockSupport.parkNanos(LOAD.toNanos());
                              return new Stamped(k, System.nanoTime());
                            });
                    assertThat(value.key()).isEqualTo(k);
                    long age = start - value.loadedAt();
                    if (oldest.accumulateAndGet(age, Math::max) == age) {
                      oldestKey.set(k);
                    }
                    LockSupport.parkNanos(100_000); // as a service doing I/O between calls
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              }));
    }
    try {
      for (Thread caller : callers) {
        caller.join();
      }
    } finally {
      sampling.set(false);
      sampler.join();
      CoarseClock.release();
    }
    assertThat(failure.get()).isNull();
    assertThat(loads.get()).as("the TTL passed during the run").isGreaterThan(KEYS);
    assertThat(Duration.ofNanos(oldest.get()))
        .as(
            "oldest value served (key %d), TTL %s, coarse clock lag up to %s",
            oldestKey.get(), TTL, Duration.ofNanos(maxLag.get()))
        .isLessThan(TTL.plus(TOLERANCE).plusNanos(maxLag.get()));
  }

  /** Storing over an entry that expired but was not yet evicted gives the new value a full TTL. */
  @Test
  void get_afterAnExpiredEntryNotYetEvicted_storesWithAFullTtl() {
    var ticker = new FakeTicker();
    assertFullTtlOverExpired(
        Loomcache.newBuilder().ticker(ticker::read).defaultTtl(TTL).build(), ticker, null);
    var plain = new FakeTicker();
    assertFullTtlOverExpired(Loomcache.newBuilder().ticker(plain::read).build(), plain, TTL);
    var idle = new FakeTicker();
    assertFullTtlOverExpired(
        Loomcache.newBuilder()
            .ticker(idle::read)
            .defaultTtl(TTL)
            .expireAfterAccess(Duration.ofHours(1))
            .build(),
        idle,
        null);
  }

  private static void assertFullTtlOverExpired(
      Cache<String, String> cache, FakeTicker ticker, @Nullable Duration perCall) {
    try (cache) {
      var calls = new AtomicInteger();
      Callable<String> loader = () -> "v" + calls.incrementAndGet();
      Function<String, String> get =
          key -> perCall == null ? cache.get(key, loader) : cache.get(key, loader, perCall);
      assertThat(get.apply("k")).isEqualTo("v1");
      ticker.advance(TTL.multipliedBy(3)); // long expired; nothing has cleaned it up
      assertThat(get.apply("k")).isEqualTo("v2");
      ticker.advance(TTL.minusNanos(1));
      assertThat(get.apply("k")).isEqualTo("v2");
      ticker.advance(Duration.ofNanos(1));
      assertThat(get.apply("k")).isEqualTo("v3");
    }
  }

  /** The TTL runs from the store, after the load: a slow loader's value gets its whole TTL. */
  @Test
  void get_slowLoader_ttlRunsFromTheStore() {
    var ticker = new FakeTicker();
    try (Cache<String, String> cache =
        Loomcache.newBuilder().ticker(ticker::read).defaultTtl(TTL).build()) {
      var calls = new AtomicInteger();
      Callable<String> slow =
          () -> {
            ticker.advance(TTL.multipliedBy(2)); // the load takes longer than the TTL
            return "v" + calls.incrementAndGet();
          };
      assertThat(cache.get("k", slow)).isEqualTo("v1");
      ticker.advance(TTL.minusNanos(1));
      assertThat(cache.getIfPresent("k")).isEqualTo("v1");
      ticker.advance(Duration.ofNanos(1));
      assertThat(cache.getIfPresent("k")).isNull();
    }
  }
}
