package dev.loomcache.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;

/**
 * {@link FanOut} on {@link StructuredTaskScope} (a preview API in Java 25). This class is compiled
 * with {@code --enable-preview} and so loads only on a JVM running with preview enabled;
 * {@link FanOuts} falls back to {@link ExecutorFanOut} otherwise.
 */
public final class StructuredFanOut implements FanOut {

  public StructuredFanOut() {}

  @Override
  public <T> List<Outcome<T>> runAll(List<? extends Callable<? extends T>> tasks, int parallelism,
      boolean failFast) throws InterruptedException {
    var permits = new Semaphore(parallelism);
    var subtasks = new ArrayList<Subtask<T>>(tasks.size());
    Joiner<T, Void> joiner = failFast ? Joiner.awaitAllSuccessfulOrThrow() : Joiner.awaitAll();
    try (var scope = StructuredTaskScope.open(joiner)) {
      for (Callable<? extends T> task : tasks) {
        subtasks.add(scope.fork(FanOuts.bounded(permits, task)));
      }
      try {
        scope.join();
      } catch (StructuredTaskScope.FailedException e) {
        // fail-fast: the scope is cancelled; the outcomes below say which task failed
      }
      // close() waits for every forked thread, cancelled ones included.
    }
    var outcomes = new ArrayList<Outcome<T>>(subtasks.size());
    for (Subtask<T> subtask : subtasks) {
      outcomes.add(switch (subtask.state()) {
        case SUCCESS -> Outcome.success(subtask.get());
        case FAILED -> Outcome.failure(subtask.exception());
        case UNAVAILABLE -> Outcome.cancellation();
      });
    }
    return outcomes;
  }

  @Override
  public String name() {
    return "structured";
  }
}
