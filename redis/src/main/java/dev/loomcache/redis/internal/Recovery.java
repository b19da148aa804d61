package dev.loomcache.redis.internal;

import dev.loomcache.redis.RedisTierException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tier's background virtual thread: probes Redis while the circuit breaker is open and closes
 * it when Redis answers, and repairs what failed writes may have left wrong.
 *
 * <p>Why repairs: when a write or delete of a key does not reach Redis, Redis keeps the older value
 * while this instance's L1 has the newer state, and other instances were not told. Deleting the key
 * (with its invalidation message) once Redis answers again makes every instance reload it. Keys are
 * remembered up to a bound; past it, the whole namespace is cleared instead, which is always safe
 * for a cache. A repair may also delete a value written after the failure: that only costs a miss.
 */
public final class Recovery implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger("dev.loomcache.redis");
  private static final long CLOSE_WAIT_SECONDS = 10;

  private final RedisOps ops;
  private final CircuitBreaker breaker;
  private final Duration probeInterval;
  private final int capacity;
  private final TierCounters counters;
  private final RateLimitedLog log;
  private final Set<String> staleKeys = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean namespaceStale = new AtomicBoolean();
  private volatile int
      repairing; // a repair command is running (written by the recovery thread only)
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private boolean signalled; // guarded by lock
  private volatile boolean closed;
  private final Thread thread;

  /** Starts the recovery thread, and has {@code breaker} wake it when it opens. */
  public Recovery(
      RedisOps ops,
      CircuitBreaker breaker,
      Duration probeInterval,
      int capacity,
      TierCounters counters,
      RateLimitedLog log) {
    this.ops = ops;
    this.breaker = breaker;
    this.probeInterval = probeInterval;
    this.capacity = capacity;
    this.counters = counters;
    this.log = log;
    breaker.onOpen(() -> {
      logger.warn(
          "Redis is not answering: circuit opened, calls skip Redis until a probe succeeds");
      signal();
    });
    this.thread = Thread.ofVirtual().name("loomcache-redis-recovery").start(this::run);
  }

  /** Remembers that Redis may hold an outdated value for {@code key}. Never blocks. */
  public void keyMayBeStale(String key) {
    if (!namespaceStale.get()) {
      if (staleKeys.size() >= capacity) {
        namespaceStale.set(true);
        staleKeys.clear();
      } else {
        staleKeys.add(key);
      }
    }
    signal();
  }

  /** Remembers that the namespace must be cleared (a clear failed, or too many keys are stale). */
  public void namespaceMayBeStale() {
    namespaceStale.set(true);
    signal();
  }

  /** The number of keys (and namespace clears) waiting for a repair or being repaired. */
  public int pendingCount() {
    return staleKeys.size() + (namespaceStale.get() ? 1 : 0) + repairing;
  }

  private boolean pending() {
    return namespaceStale.get() || !staleKeys.isEmpty();
  }

  private void signal() {
    lock.lock();
    try {
      signalled = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    try {
      while (!closed) {
        if (breaker.isOpen()) {
          pause(probeInterval);
          if (!closed && probe()) {
            ops.commands().dropIdleConnections();
            breaker.close();
            logger.info("Redis answers again: circuit closed");
          }
        } else if (pending()) {
          if (!repair()) {
            pause(probeInterval);
          }
        } else {
          awaitSignal();
        }
      }
      if (!breaker.isOpen() && pending()) {
        repair(); // a last pass on close, so that other instances are not left with stale values
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // close() gave up waiting: stop now
    }
  }

  private boolean probe() {
    try {
      ops.commands().probe("PING", c -> c.ping());
      return true;
    } catch (RedisTierException e) {
      log.warn("probe", "Redis still does not answer the probe", e);
      return false;
    }
  }

  /** Deletes the stale keys (or clears the namespace); returns false at the first failure. */
  private boolean repair() {
    repairing = 1;
    try {
      if (namespaceStale.getAndSet(false)) {
        try {
          ops.clearNamespace();
          counters.repairedClears.increment();
        } catch (RedisTierException e) {
          namespaceStale.set(true);
          log.warn("repair", "Could not clear the namespace after a failure; will retry", e);
          return false;
        }
      }
      for (String key : staleKeys) {
        if (!staleKeys.remove(key)) {
          continue; // removed first, so that a failure marking it again during the delete counts
        }
        try {
          ops.delete(key);
          counters.repairedKeys.increment();
        } catch (RedisTierException e) {
          staleKeys.add(key);
          log.warn("repair", "Could not repair key '" + key + "' after a failure; will retry", e);
          return false;
        }
      }
      return true;
    } finally {
      repairing = 0;
    }
  }

  private void pause(Duration duration) throws InterruptedException {
    lock.lock();
    try {
      long left = duration.toNanos();
      while (!closed && left > 0) {
        left = wake.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  private void awaitSignal() throws InterruptedException {
    lock.lock();
    try {
      while (!signalled && !closed) {
        wake.await();
      }
      signalled = false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the thread after one last repair pass (if Redis answers); interrupts it if that takes
   * more than 10 seconds. Parks the calling thread until the thread has stopped.
   */
  @Override
  public void close() {
    closed = true;
    signal();
    boolean interrupted = false;
    try {
      if (!thread.join(Duration.ofSeconds(CLOSE_WAIT_SECONDS))) {
        thread.interrupt();
        thread.join();
      }
    } catch (InterruptedException e) {
      interrupted = true;
      thread.interrupt();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
