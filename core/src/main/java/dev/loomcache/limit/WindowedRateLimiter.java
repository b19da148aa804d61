package dev.loomcache.limit;

import static java.util.Objects.requireNonNull;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The in-process {@link RateLimiter}: fixed or sliding windows counted in a Loomcache {@link Cache}
 * whose entries expire, so that idle keys are forgotten.
 *
 * <p>Design note. The cache holds one small counter object per live window, never a long-lived
 * per-key object, because a {@code Cache} has no conditional remove: if a key's state could
 * expire while in use, a thread still holding the old object and a thread given a fresh one would
 * both allow calls, and the limit would be exceeded. Instead each entry <em>is</em> a window, and
 * its cache expiry is set so that nothing can be counted in it after a successor could exist:
 * <ul>
 *   <li>Fixed window: the entry is keyed by the key and stored with TTL = the period, from its first
 *       call. While it is in the cache every call counts in it (one counter, one CAS); once the
 *       cache has expired it, the next call's load creates the next window. Windows are thus
 *       disjoint and each allows at most {@code limit}; a window lasts the period plus the
 *       (sub-microsecond) time between its first call reading the clock and the cache storing it.
 *   <li>Sliding window: windows are aligned to multiples of the period on the ticker, keyed by
 *       (key, window number), and kept until two periods after their end, since the next window
 *       reads them as its "previous". A loader that finds its window already past that point
 *       (the calling thread was descheduled for that long) marks the new entry stale, so that a
 *       late call can never be counted in a second copy of a window.
 * </ul>
 * Counting is a CAS loop on one {@code int}: lock-free, never parks. Single-flight loads of the
 * cache guarantee one counter per window even when 10,000 threads see a new window at once.
 * Bans are entries of their own, stored with the ban as TTL.
 */
final class WindowedRateLimiter implements RateLimiter {
  private static final VarHandle COUNT;

  static {
    try {
      COUNT = MethodHandles.lookup().findVarHandle(Window.class, "count", int.class);
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
  private final Ticker ticker;
  private final Cache<Object, Object> windows;
  private final DecisionMeters meters;

  /** One window's counter; {@code stale} windows are never counted in. */
  static final class Window {
    final long start;
    final boolean stale;
    volatile int count;

    Window(long start, boolean stale) {
      this.start = start;
      this.stale = stale;
    }
  }

  /** A sliding window's key in the cache. */
  private record SlidingKey(String key, long window) {}

  /** A ban's key in the cache. */
  private record BanKey(String key) {}

  /** A ban in force until {@code until} (ticker nanos). */
  private record Ban(long until) {}

  WindowedRateLimiter(boolean sliding, int limit, Duration period, @Nullable Duration ban,
      Ticker ticker, long maximumKeys, String name, @Nullable MeterRegistry registry) {
    this.sliding = sliding;
    this.limit = limit;
    this.period = period;
    this.periodNanos = period.toNanos();
    this.ban = ban;
    this.banNanos = ban == null ? 0 : ban.toNanos();
    this.ticker = ticker;
    // No meters and no read counters for the key store itself (a hit counter is a quarter of a
    // decision's cost): the limiter's own meters say what matters.
    this.windows = Loomcache.newBuilder().name("ratelimit-" + name).maximumSize(maximumKeys)
        .ticker(ticker).recordStats(false).build();
    this.meters = new DecisionMeters(name, registry);
  }

  @Override
  public boolean tryAcquire(String key) {
    requireNonNull(key, "key must not be null");
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

  /** After a denial: starts the ban if there is one, and counts; returns whether it banned. */
  private boolean deny(String key) {
    if (banNanos > 0) {
      windows.put(new BanKey(key), new Ban(ticker.read() + banNanos), requireNonNull(ban));
      meters.banned();
      return true;
    }
    meters.denied();
    return false;
  }

  /** The nanoseconds left of the key's ban, or 0 (or less) if it is not banned. */
  private long banLeft(String key) {
    return windows.getIfPresent(new BanKey(key)) instanceof Ban b ? b.until() - ticker.read() : 0;
  }

  /**
   * Counts a fixed-window call: returns the allowance left (≥ 0) if allowed, otherwise
   * {@code -(retryAfterNanos + 1)}.
   */
  private long decideFixed(String key) {
    Window window = (Window) windows.getIfPresent(key);
    if (window == null) {
      // The loader never returns null, so neither does get.
      window = (Window) requireNonNull(windows.get(key, () -> new Window(ticker.read(), false), period));
    }
    while (true) {
      int count = window.count;
      if (count >= limit) {
        long left = window.start + periodNanos - ticker.read();
        return -(Math.max(0, left) + 1);
      }
      if (COUNT.compareAndSet(window, count, count + 1)) {
        return limit - count - 1;
      }
    }
  }

  /** Counts a sliding-window call; the result is encoded as for {@link #decideFixed}. */
  private long decideSliding(String key) {
    while (true) {
      long now = ticker.read();
      long number = Math.floorDiv(now, periodNanos);
      Window current = slidingWindow(key, number, now);
      if (current.stale) {
        continue; // this thread's reading of the clock is older than the window's life
      }
      Window previous = (Window) windows.getIfPresent(new SlidingKey(key, number - 1));
      int previousCount = previous == null ? 0 : previous.count;
      long elapsed = now - current.start;
      double weight = (double) (periodNanos - elapsed) / periodNanos;
      double carried = previousCount * weight;
      while (true) {
        int count = current.count;
        if (carried + count + 1 > limit) {
          return -(retryAfterNanos(previousCount, count, elapsed) + 1);
        }
        if (COUNT.compareAndSet(current, count, count + 1)) {
          return (long) Math.floor(limit - carried - count - 1);
        }
      }
    }
  }

  private Window slidingWindow(String key, long number, long now) {
    var windowKey = new SlidingKey(key, number);
    Window window = (Window) windows.getIfPresent(windowKey);
    if (window != null) {
      return window;
    }
    long start = number * periodNanos;
    long keepUntil = start + 3 * periodNanos; // its end, then one period as "previous", then a guard
    return (Window) requireNonNull(windows.get(windowKey,
        () -> new Window(start, keepUntil - ticker.read() <= periodNanos),
        Duration.ofNanos(Math.max(1, keepUntil - now))));
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
    windows.close();
  }

  @Override
  public String toString() {
    return (sliding ? "slidingWindow(" : "fixedWindow(") + limit + ", " + period + ")"
        + (ban == null ? "" : ".banFor(" + ban + ")");
  }
}
