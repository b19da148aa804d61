package dev.loomcache.internal;

import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * Runs tasks concurrently on virtual threads and returns when every one has finished: the
 * structured-concurrency contract that {@code getAll} and {@code warmup} need.
 *
 * <p>Two implementations share this contract: {@link ExecutorFanOut} (always available) and {@code
 * StructuredFanOut} on {@code StructuredTaskScope}, a preview API in Java 25, compiled with {@code
 * --enable-preview} into {@code META-INF/versions/25} of the multi-release jar and used only when a
 * Java 25 JVM runs with preview enabled (Java 21 to 24 never see the class). {@link #get()} picks
 * one once per JVM.
 */
public interface FanOut {

  /**
   * Runs {@code tasks}, at most {@code parallelism} at a time, each on its own virtual thread, and
   * returns their outcomes in task order once all have finished. With {@code failFast}, the first
   * failure cancels (interrupts) the tasks still running or waiting to run; they finish before this
   * returns, and report {@link Outcome#cancelled()}. No task outlives the call.
   *
   * @throws InterruptedException if the calling thread is interrupted while waiting: every task is
   *     cancelled and has finished before this throws
   */
  <T> List<Outcome<T>> runAll(
      List<? extends Callable<? extends T>> tasks, int parallelism, boolean failFast)
      throws InterruptedException;

  /** A short name for logs and tests. */
  String name();

  /** What one task did: returned {@code value}, threw {@code failure}, or was cancelled. */
  record Outcome<T>(@Nullable T value, @Nullable Throwable failure, boolean cancelled) {
    static <T> Outcome<T> success(@Nullable T value) {
      return new Outcome<>(value, null, false);
    }

    static <T> Outcome<T> failure(Throwable failure) {
      return new Outcome<>(null, failure, false);
    }

    static <T> Outcome<T> cancellation() {
      return new Outcome<>(null, null, true);
    }

    public boolean succeeded() {
      return failure == null && !cancelled;
    }
  }

  /** Returns the fan-out this JVM uses: structured when preview is enabled, else the executor. */
  static FanOut get() {
    return FanOuts.SELECTED;
  }
}
