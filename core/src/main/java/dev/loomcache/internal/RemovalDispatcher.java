package dev.loomcache.internal;

import dev.loomcache.RemovalCause;
import dev.loomcache.RemovalListener;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers removal notifications to the user's {@link RemovalListener}, outside every lock.
 *
 * <p>Design note. Removals are noticed where they happen: L1 writes report replaced and removed
 * values under the flight table's bin lock, and Caffeine reports evictions inside its own lock on
 * the entry. Neither place may run user code, so {@link #removed} only appends to a lock-free queue
 * and unparks one virtual thread, which calls the listener in queue order. The single source of
 * each cause: {@code EXPLICIT} and {@code REPLACED} come from our own L1 writes (Caffeine's removal
 * listener is never installed, so Caffeine does not report them again); {@code SIZE} and {@code
 * EXPIRED} come from Caffeine's eviction listener, plus {@code EXPIRED} for the deadline wrappers
 * that {@link L1Store} itself removes. {@link #close} stops accepting (the cache's own clear on
 * close is not reported), delivers what was queued, and joins the thread.
 */
public final class RemovalDispatcher<K, V> {
  private static final Logger logger = LoggerFactory.getLogger(RemovalDispatcher.class);

  private final RemovalListener<? super K, ? super V> listener;
  private final String cacheName;
  private final ConcurrentLinkedQueue<Notification<K, V>> queue = new ConcurrentLinkedQueue<>();
  private final LongAdder failures = new LongAdder();
  private final Thread drainer;
  private volatile boolean closed;

  public RemovalDispatcher(RemovalListener<? super K, ? super V> listener, String cacheName) {
    this.listener = listener;
    this.cacheName = cacheName;
    this.drainer = Thread.ofVirtual().name("loomcache-removals-" + cacheName).start(this::drain);
  }

  /** Queues one notification; never blocks and never calls user code (safe under any lock). */
  void removed(K key, V value, RemovalCause cause) {
    if (closed) {
      return;
    }
    queue.add(new Notification<>(key, value, cause));
    LockSupport.unpark(drainer);
  }

  private void drain() {
    for (; ; ) {
      Notification<K, V> next = queue.poll();
      if (next == null) {
        if (closed && queue.isEmpty()) {
          return;
        }
        LockSupport.park(this);
        continue;
      }
      deliver(next);
    }
  }

  private void deliver(Notification<K, V> notification) {
    try {
      listener.onRemoval(notification.key, notification.value, notification.cause);
    } catch (Throwable t) {
      failures.increment();
      logger.warn(
          "The removal listener of cache '{}' threw for key '{}' ({}); ignored",
          cacheName,
          notification.key,
          notification.cause,
          t);
    }
  }

  /** Listener calls that threw. */
  public long failureCount() {
    return failures.sum();
  }

  /**
   * Stops accepting notifications, then parks until those already queued have been delivered.
   * Called from the listener itself, it does not wait. If interrupted while waiting, stops waiting
   * and restores the interrupt status.
   */
  public void close() {
    closed = true;
    LockSupport.unpark(drainer);
    if (Thread.currentThread() == drainer) {
      return;
    }
    try {
      drainer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Notification<K, V>(K key, V value, RemovalCause cause) {}
}
