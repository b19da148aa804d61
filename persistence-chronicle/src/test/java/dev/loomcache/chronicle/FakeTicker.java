package dev.loomcache.chronicle;

import dev.loomcache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Test support: a ticker that moves only when told to (copied from core's tests). */
final class FakeTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Override
  public long read() {
    return nanos.get();
  }

  FakeTicker advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
    return this;
  }
}
