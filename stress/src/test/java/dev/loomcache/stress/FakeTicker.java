package dev.loomcache.stress;

import dev.loomcache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker that moves only when told to; safe to read and advance from any thread. */
public final class FakeTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Override
  public long read() {
    return nanos.get();
  }

  /** Moves the clock forward by {@code duration}. */
  public void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }
}
