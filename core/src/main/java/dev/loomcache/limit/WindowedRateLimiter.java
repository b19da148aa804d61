package dev.loomcache.limit;

import static java.util.Objects.requireNonNull;

import dev.loomcache.Ticker;
import dev.loomcache.internal.CoarseClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The in-process {@link RateLimiter}: fixed or sliding windows counted in a {@link
 * ConcurrentHashMap} of its own, one small window object per key, with idle keys forgotten by a
 * sweep.
 *
 * <p>Design note. A decision is a map read, a clock read and a CAS on the window's counter:
 * lock-free, never parks, no allocation while the key's window lasts. The rules that keep every
 * window at most {@code limit}, whatever the interleaving:
 *
 * <ol>
 *   <li>A call counts in the window it found in the map if its clock reading, taken <em>after</em>
 *       the map read, falls inside that window. A thread that is then descheduled still counts in
 *       that window (never in a second copy of it): its decision belongs to that window's time.
 *   <li>A successor is installed only by a conditional {@code replace(key, old, new)} (or a {@code
 *       putIfAbsent} when there is none), by a call whose reading is past the old window's end, and
 *       it starts at that reading. So windows of a key never overlap in time.
 *   <li>The sweep forgets a key only by {@code remove(key, window)} of a window whose time is over
 *       by the sweep's own clock reading, taken before it removes. A call that then finds no window
 *       reads the clock after seeing the removal, hence later than the sweep's reading: the new
 *       window cannot overlap the forgotten one.
 * </ol>
 *
 * Fixed window: a window starts at a key's first call after the previous one ended and lasts the
 * period. Sliding window: windows are aligned to multiples of the period; each holds its own
 * counter and the previous window's counter (not the previous window, so that no chain of windows
 * stays reachable), read live so that late counts in the previous window are seen. A sliding window
 * is forgotten two periods after it began, when it can no longer be anyone's "previous".
 *
 * <p>The sweep runs on the calling thread of an insertion (a new key, a roll-over or a ban) once
 * the insertions since the last sweep reach the number of keys the last sweep left (at least {@link
 * #SWEEP_EVERY_MIN}): linear in the map, so constant per insertion, and the map never holds more
 * than about twice the keys active in the last one or two periods, plus that minimum. One sweep at
 * a time; the others do not wait for it. Past {@code maximumKeys} a new key sweeps at once and, if
 * that is not enough, forgets live keys in no particular order (they start afresh) down to 7/8 of
 * the bound, so that forced sweeps too are amortised.
 *
 * <p>Time: a fake {@link Ticker} given to the builder is read directly and is exact. Without one,
 * periods of at least {@link #COARSE_CLOCK_MIN_PERIOD_NANOS} read the JVM-wide {@link CoarseClock}
 * (one volatile load instead of a 27 ns {@code System.nanoTime()}; a window may begin and end up to
 * about a millisecond late, at most 1% of such a period); shorter periods read {@code
 * System.nanoTime()}. Bans are entries of a second map, read only by limiters with a ban.
 */
final class WindowedRateLimiter implements RateLimiter {
  /** The fewest insertions between two sweeps. */
  static final int SWEEP_EVERY_MIN = 1_024;

  /** Periods this long or longer use the coarse clock when no ticker is given. */
  static final long COARSE_CLOCK_MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private static final VarHandle FIXED_COUNT;
  private static final VarHandle COUNT;

  static {
    try {
      var lookup = MethodHandles.lookup();
      FIXED_COUNT = lookup.findVarHandle(FixedWindow.class, "count", int.class);
      COUNT = lookup.findVarHandle(Count.class, "value", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final boolean sliding;
  private final int limit;
  private final Duration period;
  private final long periodNanos;
  private final @Nullable Duration ban;
  private final long banNanos;
  private final Ticker clock;
  private final boolean sharedClock;
  private final long maximumKeys;
  private final ConcurrentHashMap<String, Object> windows = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Ban> bans = new ConcurrentHashMap<>();
  private final AtomicInteger insertionsSinceSweep = new AtomicInteger();
  private volatile int sweepEvery = SWEEP_EVERY_MIN;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final DecisionMeters meters;

  /** A fixed window: its start (clock nanos) and its counter. */
  static final class FixedWindow {
    final long start;
    volatile int count;

    FixedWindow(long start, int count) {
      this.start = start;
      this.count = count;
    }
  }

  /** A counter of one sliding window, shared with its successor as its "previous". */
  static final class Count {
    volatile int value;
  }

  /**
   * A sliding window: its number (start / period), its start, its counter and its predecessor's, if
   * any.
   */
  static final class SlidingWindow {
    final long number;
    final long start;
    final Count current = new Count();
    final @Nullable Count previous;

    SlidingWindow(long number, long start, @Nullable Count previous) {
      this.number = number;
      this.start = start;
      this.previous = previous;
    }
  }

  /** A ban in force until {@code until} (clock nanos). */
  private record Ban(long until) {}

  WindowedRateLimiter(
      boolean sliding,
      int limit,
      Duration period,
      @Nullable Duration ban,
      @Nullable Ticker ticker,
      long maximumKeys,
      String name,
      @Nullable MeterRegistry registry) {
    this.sliding = sliding;
    this.limit = limit;
    this.period = period;
    this.periodNanos = period.toNanos();
    this.ban = ban;
    this.banNanos = ban == null ? 0 : ban.toNanos();
    this.maximumKeys = maximumKeys;
    this.meters = new DecisionMeters(name, registry);
    if (ticker != null) {
      this.clock = ticker;
      this.sharedClock = false;
    } else if (periodNanos >= COARSE_CLOCK_MIN_PERIOD_NANOS) {
      this.clock = CoarseClock.acquire();
      this.sharedClock = true;
    } else {
      this.clock = Ticker.systemTicker();
      this.sharedClock = false;
    }
  }

  @Override
  public boolean tryAcquire(String key) {
    requireNonNull(key, "key must not be null");
    checkOpen();
    if (banNanos > 0 && banLeft(key) > 0) {
      meters.banned();
      return false;
    }
    long allowedRemaining = sliding ? decideSliding(key) : decideFixed(key);
    if (allowedRemaining >= 0) {
      meters.allowed();
      return true;
    }
    deny(key);
    return false;
  }

  @Override
  public RateLimitDecision acquire(String key) {
    requireNonNull(key, "key must not be null");
    checkOpen();
    if (banNanos > 0) {
      long left = banLeft(key);
      if (left > 0) {
        meters.banned();
        return RateLimitDecision.denied(Duration.ofNanos(left));
      }
    }
    long result = sliding ? decideSliding(key) : decideFixed(key);
    if (result >= 0) {
      meters.allowed();
      return RateLimitDecision.allowed(result);
    }
    if (deny(key)) {
      return RateLimitDecision.denied(requireNonNull(ban));
    }
    return RateLimitDecision.denied(Duration.ofNanos(-result - 1));
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("This rate limiter is closed");
    }
  }

  /** After a denial: starts the ban if there is one, and counts; returns whether it banned. */
  private boolean deny(String key) {
    if (banNanos > 0) {
      bans.put(key, new Ban(clock.read() + banNanos));
      inserted();
      meters.banned();
      return true;
    }
    meters.denied();
    return false;
  }

  /** The nanoseconds left of the key's ban, or 0 (or less) if it is not banned. */
  private long banLeft(String key) {
    Ban b = bans.get(key);
    if (b == null) {
      return 0;
    }
    long left = b.until() - clock.read();
    if (left <= 0) {
      bans.remove(key, b); // over: forget it now rather than at the next sweep
    }
    return left;
  }

  /**
   * Counts a fixed-window call: returns the allowance left (≥ 0) if allowed, otherwise {@code
   * -(retryAfterNanos + 1)}.
   */
  private long decideFixed(String key) {
    Object found = windows.get(key);
    while (true) {
      long now = clock.read(); // after the map read: rules 1 to 3 of the design note
      FixedWindow window = (FixedWindow) found;
      if (window == null || now - window.start >= periodNanos) {
        var fresh = new FixedWindow(now, 1); // this call is the new window's first
        boolean installed =
            window == null
                ? (found = windows.putIfAbsent(key, fresh)) == null
                : windows.replace(key, window, fresh);
        if (installed) {
          inserted();
          return limit - 1;
        }
        if (window != null) {
          found = windows.get(key);
        }
        continue;
      }
      int count;
      while ((count = window.count) < limit) {
        if (FIXED_COUNT.compareAndSet(window, count, count + 1)) {
          return limit - count - 1;
        }
      }
      return -(Math.max(0, window.start + periodNanos - now) + 1);
    }
  }

  /** Counts a sliding-window call; the result is encoded as for {@link #decideFixed}. */
  private long decideSliding(String key) {
    Object found = windows.get(key);
    while (true) {
      long now = clock.read(); // after the map read: rules 1 to 3 of the design note
      SlidingWindow window = (SlidingWindow) found;
      // Within the window found, no division: the common case.
      if (window == null || now - window.start >= periodNanos) {
        long number = Math.floorDiv(now, periodNanos);
        if (window == null || window.number < number) {
          var fresh =
              new SlidingWindow(
                  number,
                  number * periodNanos,
                  window != null && window.number == number - 1 ? window.current : null);
          boolean installed =
              window == null
                  ? (found = windows.putIfAbsent(key, fresh)) == null
                  : windows.replace(key, window, fresh);
          if (!installed) {
            if (window != null) {
              found = windows.get(key);
            }
            continue;
          }
          inserted();
          window = fresh;
        }
      }
      // A reading older than the window found (a non-monotonic ticker) counts at its start.
      long elapsed = Math.max(0, now - window.start);
      Count previous = window.previous;
      int previousCount = previous == null ? 0 : previous.value;
      Count current = window.current;
      if (previousCount == 0) { // nothing carried: whole numbers only
        int count;
        while ((count = current.value) < limit) {
          if (COUNT.compareAndSet(current, count, count + 1)) {
            return limit - count - 1;
          }
        }
        return -(retryAfterNanos(0, count, elapsed) + 1);
      }
      double carried = previousCount * ((double) (periodNanos - elapsed) / periodNanos);
      while (true) {
        int count = current.value;
        if (carried + count + 1 > limit) {
          return -(retryAfterNanos(previousCount, count, elapsed) + 1);
        }
        if (COUNT.compareAndSet(current, count, count + 1)) {
          return (long) Math.floor(limit - carried - count - 1);
        }
      }
    }
  }

  /**
   * How long until one more call fits, with {@code previous} calls in the previous window and
   * {@code current} in this one, {@code elapsed} into it, assuming no other calls.
   */
  private long retryAfterNanos(int previous, int current, long elapsed) {
    if (current + 1 > limit) {
      // Only in the next window, once the weight of this one's count drops enough.
      double fraction = 1.0 - (double) (limit - 1) / current;
      return periodNanos - elapsed + (long) Math.ceil(fraction * periodNanos);
    }
    double fraction = 1.0 - (double) (limit - 1 - current) / previous;
    return Math.max(0, (long) Math.ceil(fraction * periodNanos) - elapsed);
  }

  /**
   * Counts one insertion (a new key, a roll-over, a ban) and sweeps when enough have happened, or
   * at once when the map is past {@code maximumKeys}.
   */
  private void inserted() {
    if (insertionsSinceSweep.incrementAndGet() >= sweepEvery
        || windows.size() + bans.size() > maximumKeys) {
      sweep();
    }
  }

  /**
   * Forgets every window and ban whose time is over, then, while the map is still past {@code
   * maximumKeys}, live keys too. Only one thread sweeps at a time; a thread that finds a sweep
   * running goes on without it.
   */
  void sweep() {
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    try {
      insertionsSinceSweep.set(0);
      long now = clock.read(); // before any removal: rule 3 of the design note
      long number = Math.floorDiv(now, periodNanos);
      windows.forEach((key, window) -> {
        boolean over =
            window instanceof SlidingWindow w
                ? w.number <= number - 2
                : now - ((FixedWindow) window).start >= periodNanos;
        if (over) {
          windows.remove(key, window);
        }
      });
      bans.forEach((key, b) -> {
        if (b.until() - now <= 0) {
          bans.remove(key, b);
        }
      });
      if (windows.size() + bans.size() > maximumKeys) {
        // Down to 7/8 of the bound, so that the next forced sweep is maximumKeys / 8 keys away.
        long excess = windows.size() + bans.size() - (maximumKeys - maximumKeys / 8);
        for (var map : List.<ConcurrentHashMap<String, ?>>of(windows, bans)) {
          for (String key : map.keySet()) {
            if (excess-- <= 0) {
              break;
            }
            map.remove(key); // a live key, forgotten early: it starts afresh
          }
        }
      }
      sweepEvery = Math.max(SWEEP_EVERY_MIN, windows.size() + bans.size());
    } finally {
      sweeping.set(false);
    }
  }

  /** The keys (windows and bans) remembered now; for tests. */
  int trackedKeyCount() {
    return windows.size() + bans.size();
  }

  @Override
  public int limit() {
    return limit;
  }

  @Override
  public Duration period() {
    return period;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      windows.clear();
      bans.clear();
      if (sharedClock) {
        CoarseClock.release();
      }
    }
  }

  @Override
  public String toString() {
    return (sliding ? "slidingWindow(" : "fixedWindow(")
        + limit
        + ", "
        + period
        + ")"
        + (ban == null ? "" : ".banFor(" + ban + ")");
  }
}
