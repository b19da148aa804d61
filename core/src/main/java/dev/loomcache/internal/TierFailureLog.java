package dev.loomcache.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of tier failures, under the stable logger name {@value #LOGGER_NAME} (not a class name:
 * users configure it, and classes move).
 *
 * <p>A tier failure never reaches the caller, so this log is how an operator hears of it. It must
 * neither flood nor alarm: a plain timeout on a slow machine used to print a 20–60-line stack trace
 * at WARN. So each failure kind (tier, operation, exception type) gets at most one WARN line every
 * 10 seconds, with the exception's message (and its root cause's), and the number of similar
 * failures it stands for; the stack trace goes to DEBUG with it.
 */
public final class TierFailureLog {
  /** The logger of every tier failure. */
  public static final String LOGGER_NAME = "dev.loomcache.tier";

  static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final int MAX_CAUSE_DEPTH = 16;

  private final Logger logger;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<Kind, Budget> budgets = new ConcurrentHashMap<>();

  private record Kind(String tier, String operation, Class<?> type) {}

  private static final class Budget {
    final AtomicLong lastWarning;
    final LongAdder suppressed = new LongAdder();

    Budget(long now) {
      this.lastWarning = new AtomicLong(now - INTERVAL_NANOS); // the first failure is logged
    }
  }

  /** Logs to {@value #LOGGER_NAME}. */
  public TierFailureLog() {
    this(LoggerFactory.getLogger(LOGGER_NAME), System::nanoTime);
  }

  TierFailureLog(Logger logger, LongSupplier nanoClock) {
    this.logger = logger;
    this.nanoClock = nanoClock;
  }

  /**
   * Records that {@code tier} failed to do {@code operation} on {@code key}: one WARN line unless
   * this kind of failure was logged in the last 10 seconds. Never blocks, never throws.
   */
  public void failed(String tier, String operation, String key, Throwable failure) {
    Budget budget =
        budgets.computeIfAbsent(
            new Kind(tier, operation, failure.getClass()),
            kind -> new Budget(nanoClock.getAsLong()));
    long now = nanoClock.getAsLong();
    long last = budget.lastWarning.get();
    if (now - last < INTERVAL_NANOS || !budget.lastWarning.compareAndSet(last, now)) {
      budget.suppressed.increment();
      return;
    }
    long similar = budget.suppressed.sumThenReset();
    logger.warn(
        "Tier '{}' failed to {} key '{}'; carrying on without it: {}{}",
        tier,
        operation,
        key,
        describe(failure),
        similar == 0 ? "" : " (" + similar + " similar failures since the last warning)");
    logger.debug("Details of the last warning about tier '{}'", tier, failure);
  }

  /** The failure's class and message, and its root cause's when it has one. */
  static String describe(Throwable failure) {
    Throwable root = failure;
    for (int depth = 0; root.getCause() != null && depth < MAX_CAUSE_DEPTH; depth++) {
      root = root.getCause();
    }
    return root == failure ? failure.toString() : failure + " (caused by " + root + ")";
  }
}
