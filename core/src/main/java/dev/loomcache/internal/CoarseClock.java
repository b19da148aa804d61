package dev.loomcache.internal;

import dev.loomcache.Ticker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A clock read with one volatile load instead of {@link System#nanoTime()} (27 ns on the project's
 * machine, and read on every hit by any Caffeine cache with expiry).
 *
 * <p>Design note. One JVM-wide daemon platform thread ({@code loomcache-clock}) stores {@code
 * System.nanoTime()} in a volatile field every {@link #TICK_NANOS} (1 ms). It starts when the first
 * cache on the system ticker is built (any cache may store a per-call TTL) and stops when the last
 * one is closed (a reference count under a short lock). A platform thread, not a virtual one: a
 * clock must keep ticking when every carrier is busy. The reading lags real time by at most one
 * tick while the thread runs on schedule (more if the OS does not schedule it), so an entry expires
 * up to one tick early or late; a fake {@link Ticker} given to the builder is used directly
 * instead, and is exact. {@link #advance} is the thread's step, callable by tests with a fake
 * source.
 */
public final class CoarseClock implements Ticker {
  /** How often the JVM-wide clock advances. */
  public static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private static final ReentrantLock lifecycle = new ReentrantLock();
  private static @Nullable CoarseClock shared; // guarded by lifecycle
  private static int users; // guarded by lifecycle

  private final Ticker source;
  private volatile long now;
  private volatile boolean stopped;
  private @Nullable Thread thread;

  /** A clock over {@code source} that advances only when {@link #advance} is called (for tests). */
  public CoarseClock(Ticker source) {
    this.source = source;
    this.now = source.read();
  }

  /**
   * Returns the JVM-wide clock, starting its thread if no cache uses it yet; every call must be
   * matched by one {@link #release()}.
   */
  public static CoarseClock acquire() {
    lifecycle.lock();
    try {
      if (shared == null) {
        var clock = new CoarseClock(Ticker.systemTicker());
        clock.start();
        shared = clock;
      }
      users++;
      return shared;
    } finally {
      lifecycle.unlock();
    }
  }

  /** Gives back a clock taken with {@link #acquire()}; the last release stops its thread. */
  public static void release() {
    lifecycle.lock();
    try {
      if (users > 0 && --users == 0 && shared != null) {
        shared.stop();
        shared = null;
      }
    } finally {
      lifecycle.unlock();
    }
  }

  /** Whether the JVM-wide clock's thread is running; for tests. */
  public static boolean isRunning() {
    lifecycle.lock();
    try {
      return shared != null;
    } finally {
      lifecycle.unlock();
    }
  }

  /** The time of the last tick, in the source's nanoseconds; one volatile read, never blocks. */
  @Override
  public long read() {
    return now;
  }

  /** Reads the source and publishes it: one tick. */
  public void advance() {
    now = source.read();
  }

  private void start() {
    Thread t =
        Thread.ofPlatform()
            .daemon()
            .name("loomcache-clock")
            .unstarted(() -> {
              while (!stopped) {
                advance();
                LockSupport.parkNanos(this, TICK_NANOS);
              }
            });
    thread = t;
    t.start();
  }

  private void stop() {
    stopped = true;
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }
}
