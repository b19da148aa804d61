package dev.loomcache.jcache.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in the order they were added, on an executor's threads: an asynchronous
 * listener sees its events in the order the cache published them.
 *
 * <p>At most one drain runs at a time. A drain that finds the queue empty gives up its turn and
 * then looks again, so a task added meanwhile is never stranded; it never resubmits itself, so a
 * drain that is running when the executor shuts down still finishes the queue.
 */
final class SerialQueue {
  private static final System.Logger LOG = System.getLogger(SerialQueue.class.getName());

  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final Executor executor;

  SerialQueue(Executor executor) {
    this.executor = executor;
  }

  /** Queues {@code task}; never blocks. A task queued after the executor shut down is dropped. */
  void add(Runnable task) {
    tasks.add(task);
    if (draining.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        draining.set(false);
        tasks.clear();
        LOG.log(System.Logger.Level.DEBUG, "Dropped an event of a closed cache", e);
      }
    }
  }

  private void drain() {
    do {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "An asynchronous cache entry listener failed", e);
        }
      }
      draining.set(false);
    } while (!tasks.isEmpty() && draining.compareAndSet(false, true));
  }
}
