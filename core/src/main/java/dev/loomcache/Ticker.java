package dev.loomcache;

/**
 * A time source returning nanoseconds from an arbitrary origin, used for expiry and load timing.
 *
 * <p>Production code uses {@link #systemTicker()}; tests pass a fake ticker to the builder so that
 * expiry can be driven without sleeping. Implementations must be thread-safe and must never block.
 */
@FunctionalInterface
public interface Ticker {

  /**
   * Returns the current time in nanoseconds; only differences between two readings mean anything.
   */
  long read();

  /** Returns the ticker backed by {@link System#nanoTime()}. */
  static Ticker systemTicker() {
    return SystemTicker.INSTANCE;
  }
}

enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long read() {
    return System.nanoTime();
  }
}
