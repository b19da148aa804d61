package dev.loomcache.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/** Starts many virtual threads at once and collects what each returned or threw. */
public final class Concurrently {
  private Concurrently() {}

  /**
   * The outcome of one task: its value or what it threw.
   *
   * @param value what the task returned; null if it failed (or returned null)
   * @param failure what the task threw; null if it returned
   * @param <T> the task's result type
   */
  public record Result<T>(@Nullable T value, @Nullable Throwable failure) {
    /** Whether the task threw. */
    public boolean failed() {
      return failure != null;
    }
  }

  /**
   * Runs {@code n} tasks on virtual threads released together by one latch, and returns their
   * outcomes in task order; fails the test if they do not all finish within {@code timeout}.
   *
   * @throws InterruptedException if the calling thread is interrupted while it waits
   */
  public static <T> List<Result<T>> run(int n, Duration timeout, IntFunction<Callable<T>> tasks)
      throws InterruptedException {
    var start = new CountDownLatch(1);
    var futures = new ArrayList<Future<T>>(n);
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        Callable<T> task = tasks.apply(i);
        futures.add(
            executor.submit(() -> {
              start.await();
              return task.call();
            }));
      }
      start.countDown();
      long deadline = System.nanoTime() + timeout.toNanos();
      var results = new ArrayList<Result<T>>(n);
      for (Future<T> future : futures) {
        try {
          long left = Math.max(0, deadline - System.nanoTime());
          results.add(new Result<>(future.get(left, TimeUnit.NANOSECONDS), null));
        } catch (ExecutionException e) {
          results.add(new Result<>(null, e.getCause()));
        } catch (TimeoutException e) {
          executor.shutdownNow();
          throw new AssertionError(
              "tasks did not finish within " + timeout + " (a caller hangs)", e);
        }
      }
      return results;
    }
  }

  /**
   * Waits until {@code condition} holds, failing the test after {@code timeout}; see {@link
   * Polling}.
   */
  public static void awaitUntil(Duration timeout, String what, Polling.Condition condition) {
    Polling.awaitUntil(timeout, what, condition);
  }

  /** Waits until {@code thread} is parked (WAITING or TIMED_WAITING); see {@link Polling}. */
  public static void awaitParked(Thread thread) {
    Polling.awaitParked(thread);
  }
}
