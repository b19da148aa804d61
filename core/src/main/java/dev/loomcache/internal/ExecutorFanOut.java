package dev.loomcache.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * {@link FanOut} on a virtual-thread-per-task executor, for JVMs without preview features: the same
 * semantics as the structured implementation (join all, cancel the rest on a fail-fast failure, no
 * task outlives the call), built from {@link ExecutorService#close()}, which waits for every task.
 */
public final class ExecutorFanOut implements FanOut {

  @Override
  public <T> List<Outcome<T>> runAll(
      List<? extends Callable<? extends T>> tasks, int parallelism, boolean failFast)
      throws InterruptedException {
    var permits = new Semaphore(parallelism);
    var futures = new ArrayList<Future<T>>(tasks.size());
    boolean interrupted = false;
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      var completion = new ExecutorCompletionService<T>(executor);
      for (Callable<? extends T> task : tasks) {
        futures.add(completion.submit(FanOuts.bounded(permits, task)));
      }
      try {
        for (int done = 0; done < futures.size(); done++) {
          Future<T> finished = completion.take();
          if (failFast && failed(finished)) {
            cancelAll(futures);
            break;
          }
        }
      } catch (InterruptedException e) {
        interrupted = true;
        cancelAll(futures);
      }
      // close() waits for every task, cancelled ones included, to finish.
    }
    if (interrupted) {
      throw new InterruptedException("interrupted while waiting for fanned-out tasks");
    }
    var outcomes = new ArrayList<Outcome<T>>(futures.size());
    for (Future<T> future : futures) {
      outcomes.add(outcomeOf(future));
    }
    return outcomes;
  }

  @Override
  public String name() {
    return "executor";
  }

  private static boolean failed(Future<?> future) {
    return future.state() == Future.State.FAILED;
  }

  private static void cancelAll(List<? extends Future<?>> futures) {
    for (Future<?> future : futures) {
      future.cancel(true);
    }
  }

  private static <T> Outcome<T> outcomeOf(Future<T> future) {
    try {
      return Outcome.success(future.get());
    } catch (CancellationException e) {
      return Outcome.cancellation();
    } catch (ExecutionException e) {
      return Outcome.failure(Objects.requireNonNullElse(e.getCause(), e));
    } catch (InterruptedException e) {
      // Every future is done here, so get() does not wait; keep the status for the caller anyway.
      Thread.currentThread().interrupt();
      return Outcome.cancellation();
    }
  }
}
