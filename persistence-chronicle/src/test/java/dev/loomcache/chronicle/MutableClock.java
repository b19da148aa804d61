package dev.loomcache.chronicle;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** Test support: a wall clock that moves only when told to. */
final class MutableClock implements InstantSource {
  private final AtomicLong millis;

  MutableClock() {
    this(System.currentTimeMillis());
  }

  MutableClock(long epochMillis) {
    this.millis = new AtomicLong(epochMillis);
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  @Override
  public long millis() {
    return millis.get();
  }

  MutableClock advance(Duration duration) {
    millis.addAndGet(duration.toMillis());
    return this;
  }
}
