package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The removal listener: every cause, each removal reported exactly once, on a virtual thread of the
 * cache outside every lock, failures counted and never propagated.
 */
class CacheRemovalListenerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SENTINEL = "sentinel";

  record Removal(String key, String value, RemovalCause cause, Thread thread) {
    @Override
    public String toString() {
      return cause + "(" + key + "=" + value + ")";
    }
  }

  private final FakeTicker ticker = new FakeTicker();
  private final BlockingQueue<Removal> removals = new LinkedBlockingQueue<>();

  /** Whether the size bound evicted the sentinel itself (then counted in evictionCount). */
  private boolean sentinelEvicted;

  private Loomcache<String, String> builder() {
    return Loomcache.newBuilder()
        .ticker(ticker::read)
        .executor(Runnable::run) // Caffeine's maintenance (evictions) on the caller: deterministic
        .removalListener((String key, String value, RemovalCause cause) ->
            removals.add(new Removal(key, value, cause, Thread.currentThread())));
  }

  /**
   * Returns every notification up to the sentinel's: the listener runs in queue order, so all
   * notifications queued before the sentinel's removal have arrived by then.
   */
  private List<Removal> drain(Cache<String, String> cache) throws InterruptedException {
    cache.put(SENTINEL, SENTINEL);
    cache.invalidate(SENTINEL);
    var seen = new ArrayList<Removal>();
    for (; ; ) {
      Removal next = removals.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(next).as("a notification within %s (seen: %s)", WAIT, seen).isNotNull();
      if (next.key().equals(SENTINEL)) {
        sentinelEvicted = next.cause() == RemovalCause.SIZE;
        return seen;
      }
      seen.add(next);
    }
  }

  private static void cleanUp(Cache<String, String> cache) {
    ((LocalCache<String, String>) cache).cleanUp();
  }

  @Test
  void invalidate_reportsExplicit_once() throws InterruptedException {
    try (Cache<String, String> cache = builder().build()) {
      cache.put("k", "v");
      cache.invalidate("k");
      cache.invalidate("k"); // absent: nothing to report

      assertThat(drain(cache)).extracting(Removal::toString).containsExactly("EXPLICIT(k=v)");
    }
  }

  @Test
  void put_overAValue_reportsReplaced_once() throws InterruptedException {
    try (Cache<String, String> cache = builder().build()) {
      cache.put("k", "v1");
      cache.put("k", "v2");

      assertThat(drain(cache)).extracting(Removal::toString).containsExactly("REPLACED(k=v1)");
    }
  }

  @Test
  void invalidateAll_reportsEachEntryExplicit() throws InterruptedException {
    try (Cache<String, String> cache = builder().build()) {
      cache.put("a", "1");
      cache.put("b", "2");
      cache.invalidateAll();

      assertThat(drain(cache))
          .extracting(Removal::toString)
          .containsExactlyInAnyOrder("EXPLICIT(a=1)", "EXPLICIT(b=2)");
    }
  }

  @Test
  void defaultTtl_reportsExpired_once() throws InterruptedException {
    try (Cache<String, String> cache = builder().defaultTtl(Duration.ofMinutes(1)).build()) {
      cache.put("k", "v");
      ticker.advance(Duration.ofMinutes(2));
      assertThat(cache.getIfPresent("k")).isNull();
      cleanUp(cache);

      assertThat(drain(cache)).extracting(Removal::toString).containsExactly("EXPIRED(k=v)");
      assertThat(cache.stats().evictionCount()).isEqualTo(1);
    }
  }

  @Test
  void perCallTtl_inThePlainLayout_reportsExpired_once() throws InterruptedException {
    try (Cache<String, String> cache = builder().build()) {
      cache.put("k", "v", Duration.ofMinutes(1)); // a deadline wrapper, removed by the read
      ticker.advance(Duration.ofMinutes(2));
      assertThat(cache.getIfPresent("k")).isNull();
      assertThat(cache.getIfPresent("k")).isNull();

      assertThat(drain(cache)).extracting(Removal::toString).containsExactly("EXPIRED(k=v)");
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void put_overAnExpiredValue_reportsExpired_notReplaced(Layout layout)
      throws InterruptedException {
    try (Cache<String, String> cache = layout.configure.apply(builder()).build()) {
      cache.put("k", "v1", Duration.ofMinutes(1));
      ticker.advance(Duration.ofMinutes(2));
      cache.put("k", "v2");
      cleanUp(cache);

      assertThat(drain(cache)).extracting(Removal::toString).containsExactly("EXPIRED(k=v1)");
    }
  }

  @Test
  void maximumSize_reportsSize_forEachEviction() throws InterruptedException {
    try (Cache<String, String> cache = builder().maximumSize(2).build()) {
      for (int i = 0; i < 5; i++) {
        cache.put("k" + i, "v" + i);
      }
      cleanUp(cache);

      List<Removal> seen = drain(cache); // the sentinel's put may evict one more
      assertThat(seen).hasSizeBetween(3, 4).allMatch(r -> r.cause() == RemovalCause.SIZE);
      assertThat(cache.stats().evictionCount() - (sentinelEvicted ? 1 : 0)).isEqualTo(seen.size());
    }
  }

  /** The three L1 layouts a listener must see the same way. */
  enum Layout {
    PLAIN(b -> b.maximumSize(40)),
    DEFAULT_TTL(b -> b.maximumSize(40).defaultTtl(Duration.ofMinutes(10))),
    ACCESS(b -> b.maximumSize(40).expireAfterAccess(Duration.ofMinutes(10)));

    final UnaryOperator<Loomcache<String, String>> configure;

    Layout(UnaryOperator<Loomcache<String, String>> configure) {
      this.configure = configure;
    }
  }

  /**
   * Every value that leaves L1, whatever the reason (replaced, invalidated, expired, evicted, or
   * the final invalidateAll), is reported exactly once: counted per distinct value.
   */
  @ParameterizedTest
  @EnumSource(Layout.class)
  void everyCause_eachRemovalReportedExactlyOnce(Layout layout) throws InterruptedException {
    var stored = new ArrayList<String>();
    try (Cache<String, String> cache = layout.configure.apply(builder()).build()) {
      int n = 0;
      for (int round = 0; round < 5; round++) {
        for (int k = 0; k < 60; k++) { // more keys than maximumSize: some are evicted
          String value = "v" + n++;
          stored.add(value);
          switch (k % 4) {
            case 0 -> cache.put("k" + k, value);
            case 1 -> cache.put("k" + k, value, Duration.ofMinutes(1)); // expires below
            case 2 -> cache.get("load-" + value, () -> value); // a load of a new key
            default -> {
              cache.put("k" + k, value);
              cache.invalidate("k" + k);
            }
          }
        }
        ticker.advance(Duration.ofSeconds(61)); // the per-call TTLs of this round pass
        cleanUp(cache);
      }
      cache.invalidateAll();
      cleanUp(cache);

      List<Removal> seen = drain(cache);
      Map<String, Integer> timesReported = new HashMap<>();
      for (Removal removal : seen) {
        timesReported.merge(removal.value(), 1, Integer::sum);
      }
      assertThat(timesReported.values())
          .as("times each value was reported: %s", seen)
          .allMatch(times -> times == 1);
      assertThat(timesReported.keySet()).containsExactlyInAnyOrderElementsOf(stored);
      assertThat(cache.estimatedSize()).isZero();
      var causes = seen.stream().map(Removal::cause).distinct().toList();
      assertThat(causes).containsExactlyInAnyOrder(RemovalCause.values());
      assertThat(seen.stream().filter(r -> r.cause().wasEvicted()).count())
          .isEqualTo(cache.stats().evictionCount() - (sentinelEvicted ? 1 : 0));
    }
  }

  @Test
  void listener_runsOnAVirtualThread_outsideEveryLock_andMayWriteTheSameKey()
      throws InterruptedException {
    var rewritten = new CountDownLatch(1);
    var holder =
        new Object() {
          @Nullable Cache<String, String> cache;
          @Nullable Thread listenerThread;
        };
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .removalListener((String key, String value, RemovalCause cause) -> {
              holder.listenerThread = Thread.currentThread();
              if (cause == RemovalCause.EXPLICIT && key.equals("k")) {
                // Would deadlock (or fail as a recursive update) if run under the key's bin lock.
                holder.cache.put("k", "written by the listener");
                rewritten.countDown();
              }
            })
            .build()) {
      holder.cache = cache;
      cache.put("k", "v");
      cache.invalidate("k");

      assertThat(rewritten.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(cache.getIfPresent("k")).isEqualTo("written by the listener");
      assertThat(holder.listenerThread).isNotSameAs(Thread.currentThread());
      assertThat(holder.listenerThread.isVirtual()).isTrue();
      assertThat(holder.listenerThread.getName()).isEqualTo("loomcache-removals-default");
    }
  }

  @Test
  void listener_thatThrows_isCountedAndNeverPropagated() throws InterruptedException {
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .removalListener((String key, String value, RemovalCause cause) -> {
              removals.add(new Removal(key, value, cause, Thread.currentThread()));
              if (key.equals("bad")) {
                throw new IllegalStateException("listener failure (expected by the test)");
              }
            })
            .build()) {
      cache.put("bad", "v");
      cache.invalidate("bad"); // does not throw
      cache.put("good", "v");
      cache.invalidate("good");

      assertThat(drain(cache))
          .extracting(Removal::toString)
          .containsExactly("EXPLICIT(bad=v)", "EXPLICIT(good=v)");
      assertThat(cache.stats().removalListenerFailureCount()).isEqualTo(1);
    }
  }

  @Test
  void close_deliversWhatWasQueued_andDoesNotReportItsOwnClear() {
    var release = new CountDownLatch(1);
    Cache<String, String> cache =
        Loomcache.newBuilder()
            .removalListener((String key, String value, RemovalCause cause) -> {
              try {
                release.await(); // holds the queue back until close has begun
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              removals.add(new Removal(key, value, cause, Thread.currentThread()));
            })
            .build();
    for (int i = 0; i < 100; i++) {
      cache.put("k" + i, "v");
      cache.invalidate("k" + i);
    }
    cache.put("kept", "v"); // still present at close: not reported
    var closer = Thread.ofVirtual().start(cache::close);
    Concurrently.awaitParked(closer);
    release.countDown();

    Concurrently.awaitUntil(WAIT, "close returns", () -> !closer.isAlive());
    assertThat(removals)
        .hasSize(100)
        .allMatch(r -> r.cause() == RemovalCause.EXPLICIT)
        .noneMatch(r -> r.key().equals("kept"));
  }

  @Test
  void stats_withoutAListener_countNoListenerFailures() {
    try (Cache<String, String> cache = Loomcache.newBuilder().build()) {
      cache.put("k", "v");
      cache.invalidate("k");
      assertThat(cache.stats().removalListenerFailureCount()).isZero();
    }
  }
}
