package dev.loomcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Ticker;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The coarse clock's expiry error: an entry never lives more than one tick past its TTL, whichever
 * L1 layout holds it, and never expires more than one tick early. Real time is a fake source; the
 * clock's thread is simulated by calling {@link CoarseClock#advance} at every tick boundary.
 */
class CoarseClockTest {
  private static final long TICK = CoarseClock.TICK_NANOS;

  /** Real time, and a clock that lags it the way the JVM-wide thread does. */
  private static final class Simulation {
    final AtomicLong real = new AtomicLong(1_000_000_007L);
    final CoarseClock clock = new CoarseClock(real::get);

    /** Moves real time forward; the clock ticks at each multiple of {@link #TICK} it passes. */
    void elapse(long nanos) {
      long before = real.get();
      long after = before + nanos;
      if (after / TICK != before / TICK) {
        real.set(after - after % TICK); // the tick happens on the boundary
        clock.advance();
      }
      real.set(after);
    }
  }

  @ParameterizedTest(name = "variable expiry layout: {0}")
  @ValueSource(booleans = {true, false})
  void entry_neverOutlivesItsTtlByMoreThanOneTick_norExpiresMoreThanOneTickEarly(boolean variable) {
    var random = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      var sim = new Simulation();
      var l1 =
          new L1Store<String, String>(100, variable, sim.clock, Runnable::run, new StatsCounter());
      sim.elapse(random.nextLong(3 * TICK)); // store at any phase of a tick
      long ttl = 1 + random.nextLong(20 * TICK);
      long storedAt = sim.real.get();
      l1.put("k", "v", Ttl.ofNanos(ttl));
      while (sim.real.get() - storedAt < ttl + 2 * TICK) {
        sim.elapse(1 + random.nextLong(TICK / 3));
        long age = sim.real.get() - storedAt;
        String seen = l1.getIfPresent("k");
        if (age >= ttl + TICK) {
          assertThat(seen).as("trial %d: age %d ns, ttl %d ns", trial, age, ttl).isNull();
        } else if (age < ttl - TICK) {
          assertThat(seen).as("trial %d: age %d ns, ttl %d ns", trial, age, ttl).isEqualTo("v");
        }
      }
    }
  }

  @ParameterizedTest(name = "variable expiry layout: {0}")
  @ValueSource(booleans = {true, false})
  void fakeTicker_isExact(boolean variable) {
    var now = new AtomicLong();
    Ticker fake = now::get;
    var l1 = new L1Store<String, String>(100, variable, fake, Runnable::run, new StatsCounter());
    l1.put("k", "v", Ttl.ofNanos(10_000));

    now.set(9_999);
    assertThat(l1.getIfPresent("k")).isEqualTo("v");
    now.set(10_000);
    assertThat(l1.getIfPresent("k")).isNull();
  }

  @Test
  void plainLayout_neverStoredWithATtl_readsRawValues_andExpiredWrappersAreRemoved() {
    var now = new AtomicLong();
    var l1 = new L1Store<String, String>(100, false, now::get, Runnable::run, new StatsCounter());
    l1.put("forever", "a", Ttl.NEVER);
    l1.put("brief", "b", Ttl.ofNanos(5));

    now.set(5);
    assertThat(l1.getIfPresent("forever")).isEqualTo("a");
    assertThat(l1.getIfPresent("brief")).isNull();
    assertThat(l1.estimatedSize()).isEqualTo(1); // the expired wrapper left on the read
  }

  @Test
  void sharedClock_runsWhileACacheUsesIt_andAdvances() throws Exception {
    CoarseClock clock = CoarseClock.acquire();
    try {
      assertThat(CoarseClock.isRunning()).isTrue();
      long first = clock.read();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (clock.read() == first && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(clock.read()).isGreaterThan(first);
      assertThat(Math.abs(System.nanoTime() - clock.read())).isLessThan(1_000_000_000L);
    } finally {
      CoarseClock.release();
    }
  }
}
