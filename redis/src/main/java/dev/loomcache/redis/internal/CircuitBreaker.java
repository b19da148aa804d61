package dev.loomcache.redis.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Opens after a number of consecutive failed commands, so that callers stop paying timeouts while
 * Redis is down; only {@link Recovery} closes it again, after a probe got an answer. A command that
 * got any answer from Redis (even an error reply) resets the count.
 *
 * <p>Lock-free: the hit path reads one volatile boolean and, on success, writes the failure count
 * only when it is not already zero (no shared-line writes while Redis is healthy).
 */
public final class CircuitBreaker {
  private final int failureThreshold;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final AtomicBoolean open = new AtomicBoolean();
  private final LongAdder openCount = new LongAdder();
  private volatile Runnable onOpen = () -> {};

  /** A closed breaker that opens after {@code failureThreshold} consecutive failures. */
  public CircuitBreaker(int failureThreshold) {
    this.failureThreshold = failureThreshold;
  }

  /** Sets what runs (once, on the failing caller's thread) each time the breaker opens. */
  public void onOpen(Runnable action) {
    this.onOpen = action;
  }

  /** Whether calls skip Redis right now. */
  public boolean isOpen() {
    return open.get();
  }

  /** Whether a command failed since the last success (Redis may be struggling). */
  boolean hasFailures() {
    return consecutiveFailures.get() != 0;
  }

  /** How many times the breaker has opened. */
  public long openCount() {
    return openCount.sum();
  }

  void recordSuccess() {
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
  }

  void recordFailure() {
    if (consecutiveFailures.incrementAndGet() >= failureThreshold
        && open.compareAndSet(false, true)) {
      openCount.increment();
      onOpen.run();
    }
  }

  /** Closes the breaker: Redis answered a probe. */
  void close() {
    consecutiveFailures.set(0);
    open.set(false);
  }
}
