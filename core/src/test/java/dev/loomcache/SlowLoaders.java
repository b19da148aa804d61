package dev.loomcache;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/** Test support: loaders that stand in for a slow database call, and count their calls. */
public final class SlowLoaders {
  private SlowLoaders() {}

  /**
   * A loader that blocks for {@code latency} (like a remote call) before returning {@code value}.
   */
  public static <V> Callable<V> slow(Duration latency, AtomicInteger calls, V value) {
    return () -> {
      calls.incrementAndGet();
      Thread.sleep(latency); // simulated remote-call latency, not a wait for another thread
      return value;
    };
  }
}
