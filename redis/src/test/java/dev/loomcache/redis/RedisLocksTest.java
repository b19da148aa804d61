package dev.loomcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.Polling;
import dev.loomcache.testsupport.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** {@link RedisLocks} against a real redis-server, with two clients standing for two instances. */
class RedisLocksTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.perClass();
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
  }

  private RedisLocks locks() {
    return locks(RedisLocks.newBuilder(client()));
  }

  private RedisLocks locks(RedisLocks.Builder builder) {
    RedisLocks locks = builder.build();
    opened.add(locks);
    return locks;
  }

  private RedisClient client() {
    var client = RedisClient.create("127.0.0.1", redis.server().port());
    opened.add(client);
    return client;
  }

  @Test
  void tryLock_heldElsewhere_emptyUntilReleased() {
    RedisLocks a = locks();
    RedisLocks b = locks();
    RedisLock.Held held = a.tryLock("report", Duration.ofSeconds(10)).orElseThrow();
    assertThat(held.isHeld()).isTrue();
    assertThat(a.isLocked("report")).isTrue();
    assertThat(b.tryLock("report", Duration.ofSeconds(10))).isEmpty();
    assertThat(a.tryLock("report", Duration.ofSeconds(10))).isEmpty(); // not re-entrant
    assertThat(redis.raw().pttl("locks:{report}")).isPositive().isLessThanOrEqualTo(10_000);

    assertThat(held.release()).isTrue();
    assertThat(held.isHeld()).isFalse();
    assertThat(held.release()).isFalse(); // already released
    held.close(); // idempotent
    assertThat(a.isLocked("report")).isFalse();
    try (RedisLock.Held next = b.tryLock("report", Duration.ofSeconds(10)).orElseThrow()) {
      assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
    }
  }

  @Test
  void lockAndRelease_uncontended_twoRoundTrips() {
    RedisLocks a = locks();
    a.lock("warm-up", Duration.ofSeconds(30), Duration.ZERO).close(); // scripts now cached in Redis
    try (var jedis =
        new redis.clients.jedis.Jedis(redis.server().hostAndPort(), RedisServer.quickConfig())) {
      jedis.configResetStat();
    }
    try (RedisLock.Held held = a.lock("trips", Duration.ofSeconds(30), Duration.ZERO)) {
      assertThat(held.isHeld()).isTrue();
    }
    String stats;
    try (var jedis =
        new redis.clients.jedis.Jedis(redis.server().hostAndPort(), RedisServer.quickConfig())) {
      stats = jedis.info("commandstats");
    }
    assertThat(stats).contains("cmdstat_evalsha:calls=2,").doesNotContain("cmdstat_eval:");
  }

  @Test
  void lock_fencingTokensIncreasePerName() {
    RedisLocks a = locks();
    RedisLocks b = locks();
    long previous = 0;
    for (int i = 0; i < 6; i++) {
      RedisLocks locks = i % 2 == 0 ? a : b;
      try (RedisLock.Held held =
          locks.lock("fenced", Duration.ofSeconds(5), Duration.ofSeconds(5))) {
        assertThat(held.fencingToken()).isGreaterThan(previous);
        previous = held.fencingToken();
      }
    }
    try (RedisLock.Held other = a.lock("other-name", Duration.ofSeconds(5), Duration.ZERO)) {
      assertThat(other.fencingToken()).isEqualTo(1); // per name
    }
  }

  @Test
  void lock_1000VirtualThreadsAcrossTwoClients_mutuallyExclusive() throws Exception {
    RedisLocks a = locks();
    RedisLocks b = locks();
    var counter = new int[1]; // updated without atomics: only the lock keeps it exact
    var inside = new AtomicReference<Thread>();
    var overlaps = new ArrayList<String>();
    var start = new CountDownLatch(1);
    var futures = new ArrayList<Future<?>>();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 1_000; i++) {
        RedisLocks locks = i % 2 == 0 ? a : b;
        futures.add(
            executor.submit(() -> {
              start.await();
              try (RedisLock.Held held =
                  locks.lock("counter", Duration.ofSeconds(10), Duration.ofSeconds(120))) {
                if (!inside.compareAndSet(null, Thread.currentThread())) {
                  synchronized (overlaps) {
                    overlaps.add("overlap at fencing token " + held.fencingToken());
                  }
                }
                int read = counter[0];
                Thread.yield(); // invite another holder in, if the lock would let one
                counter[0] = read + 1;
                inside.set(null);
              }
              return null;
            }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    }
    assertThat(overlaps).isEmpty();
    assertThat(counter[0]).isEqualTo(1_000);
    assertThat(a.heldCount() + b.heldCount()).isZero();
    assertThat(redis.raw().exists("locks:{counter}")).isFalse();
  }

  @Test
  void release_afterLeaseTakenOver_doesNotFreeTheNewHolder() {
    RedisLocks a = locks();
    RedisLocks b = locks();
    RedisLock.Held old = a.lock("job", Duration.ofSeconds(30), Duration.ZERO);
    redis.raw().del("locks:{job}"); // the lease "expires" (as if the holder had been paused)
    RedisLock.Held current = b.lock("job", Duration.ofSeconds(30), Duration.ZERO);
    assertThat(current.fencingToken()).isGreaterThan(old.fencingToken());

    assertThat(old.release()).isFalse(); // owner-checked: the new holder's lock stays
    assertThat(b.isLocked("job")).isTrue();
    assertThat(locks().tryLock("job", Duration.ofSeconds(1))).isEmpty();
    assertThat(current.release()).isTrue();
  }

  @Test
  void watchdog_renewsALongCriticalSection_andStopsOnClose() {
    RedisLocks a = locks();
    // Renewed every 500 ms: a renewal may come a second late on a loaded machine and still hold.
    Duration lease = Duration.ofMillis(1_500);
    RedisLock.Held held = a.lock("long", lease, Duration.ZERO);
    long until = System.nanoTime() + lease.multipliedBy(3).toNanos();
    // Three leases long: without renewals the key would be gone after the first.
    Polling.awaitUntil(
        Duration.ofSeconds(20),
        "three leases have passed",
        () -> {
          assertThat(redis.raw().pttl("locks:{long}")).as("the lease is alive").isPositive();
          return System.nanoTime() - until > 0;
        });
    assertThat(held.isHeld()).isTrue();
    assertThat(locks().tryLock("long", lease)).isEmpty();
    held.close();
    assertThat(held.isHeld()).isFalse();
    assertThat(redis.raw().exists("locks:{long}")).isFalse();
    assertThat(held.toString()).contains("not held");
  }

  @Test
  void watchdog_findsLockTakenOver_stopsAndReportsNotHeld() {
    RedisLocks a = locks();
    RedisLock.Held held = a.lock("taken", Duration.ofMillis(300), Duration.ZERO);
    redis.raw().set("locks:{taken}", "someone-else");
    Polling.awaitUntil(Duration.ofSeconds(5), "the watchdog notices", () -> !held.isHeld());
    assertThat(redis.raw().get("locks:{taken}"))
        .isEqualTo("someone-else"); // renewals are owner-checked
    assertThat(held.release()).isFalse();
    assertThat(redis.raw().get("locks:{taken}")).isEqualTo("someone-else");
  }

  @Test
  void lock_maxWait_boundsTheWaitWithLockTimeoutException() {
    var registry = new SimpleMeterRegistry();
    RedisLocks a = locks();
    RedisLocks b = locks(RedisLocks.newBuilder(client()).meterRegistry(registry));
    try (RedisLock.Held held = a.lock("busy", Duration.ofSeconds(30), Duration.ZERO)) {
      long began = System.nanoTime();
      assertThatThrownBy(() -> b.lock("busy", Duration.ofSeconds(30), Duration.ofMillis(200)))
          .isInstanceOf(LockTimeoutException.class)
          .hasMessageContaining("'busy'")
          .hasMessageContaining("PT0.2S");
      Duration waited = Duration.ofNanos(System.nanoTime() - began);
      assertThat(waited)
          .isGreaterThanOrEqualTo(Duration.ofMillis(200))
          .isLessThan(Duration.ofSeconds(5));
      assertThat(held.isHeld()).isTrue();
    }
    try (RedisLock.Held mine = b.lock("busy", Duration.ofSeconds(30), Duration.ofSeconds(1))) {
      assertThat(mine.isHeld()).isTrue();
    }
    assertThat(registry.get("lock.acquisitions").tag("result", "timeout").counter().count())
        .isEqualTo(1.0);
    assertThat(registry.get("lock.acquisitions").tag("result", "acquired").counter().count())
        .isEqualTo(1.0);
    assertThat(registry.get("lock.held").timer().count()).isEqualTo(1);
  }

  @Test
  void lock_waiterInterrupted_throwsWithInterruptStatusSet() throws Exception {
    RedisLocks a = locks();
    RedisLocks b = locks();
    try (RedisLock.Held held = a.lock("held", Duration.ofSeconds(30), Duration.ZERO)) {
      var failure = new AtomicReference<Throwable>();
      var interruptedAfter = new AtomicReference<Boolean>();
      Thread waiter =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  b.lock("held", Duration.ofSeconds(30), Duration.ofMinutes(5));
                } catch (RuntimeException e) {
                  failure.set(e);
                  interruptedAfter.set(Thread.currentThread().isInterrupted());
                }
              });
      Polling.awaitUntil(
          Duration.ofSeconds(10),
          "the waiter waits",
          () -> waiter.getState() == Thread.State.TIMED_WAITING);
      waiter.interrupt();
      waiter.join(Duration.ofSeconds(10));
      assertThat(failure.get())
          .isInstanceOf(RedisLockException.class)
          .hasCauseInstanceOf(InterruptedException.class);
      assertThat(interruptedAfter.get()).isTrue();
      assertThat(held.isHeld()).isTrue();
    }
  }

  @Test
  void close_releasesWhatIsStillHeld_andRejectsNewLocks() {
    RedisLocks a = RedisLocks.newBuilder(client()).keyPrefix("app:").build();
    RedisLock.Held held = a.lock("x", Duration.ofSeconds(30), Duration.ZERO);
    assertThat(redis.raw().exists("app:{x}")).isTrue();
    a.close();
    assertThat(held.isHeld()).isFalse();
    assertThat(redis.raw().exists("app:{x}")).isFalse();
    assertThatThrownBy(() -> a.tryLock("x", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> locks().lock("", Duration.ofSeconds(1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
