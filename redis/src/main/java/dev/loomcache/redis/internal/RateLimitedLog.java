package dev.loomcache.redis.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/**
 * Warnings at most once per interval per kind, each saying how many similar ones it stood for: a
 * Redis outage under load must not turn into a log storm.
 */
public final class RateLimitedLog {
  private final Logger logger;
  private final long intervalMillis;
  private final ConcurrentHashMap<String, Budget> budgets = new ConcurrentHashMap<>();

  private static final class Budget {
    final AtomicLong last = new AtomicLong(Long.MIN_VALUE / 2);
    final LongAdder suppressed = new LongAdder();
  }

  /** Logs to {@code logger}, at most one warning of a kind per {@code intervalMillis}. */
  public RateLimitedLog(Logger logger, long intervalMillis) {
    this.logger = logger;
    this.intervalMillis = intervalMillis;
  }

  /** Logs {@code message} at warn level unless a warning of this {@code kind} was logged lately. */
  public void warn(String kind, String message, Throwable failure) {
    Budget budget = budgets.computeIfAbsent(kind, k -> new Budget());
    long now = System.currentTimeMillis();
    long last = budget.last.get();
    if (now - last >= intervalMillis && budget.last.compareAndSet(last, now)) {
      logger.warn(
          "{} ({} similar since the last warning): {}",
          message,
          budget.suppressed.sumThenReset(),
          failure.toString());
      logger.debug("Details of the last warning", failure);
    } else {
      budget.suppressed.increment();
    }
  }
}
