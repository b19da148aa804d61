package dev.loomcache.testsupport;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A clock that moves only when a test says so; starts at one second (not 0, so that "never read"
 * and "read at the start" differ).
 *
 * <p>It is a {@link LongSupplier} rather than a {@code dev.loomcache.Ticker}: this module depends
 * on no Loomcache module, so that core's own tests can use it without a dependency cycle. Pass it
 * to a builder as {@code ticker::read} (a {@code Ticker} is a functional interface with the same
 * shape).
 */
public final class FakeTicker implements LongSupplier {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  /** A clock at one second. */
  public FakeTicker() {}

  /** The current reading in nanoseconds. */
  public long read() {
    return nanos.get();
  }

  @Override
  public long getAsLong() {
    return read();
  }

  /** Moves the clock forward by {@code duration}; returns this clock. */
  public FakeTicker advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
    return this;
  }
}
