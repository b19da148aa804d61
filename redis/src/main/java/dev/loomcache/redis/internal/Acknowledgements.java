package dev.loomcache.redis.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The acknowledgements of this instance's {@code invalidateAll} requests: which other instances
 * confirmed each request id. Written by the subscriber thread, awaited by the requester.
 */
public final class Acknowledgements {
  private static final int MAX_OPEN = 64;
  private final ConcurrentHashMap<String, Request> open = new ConcurrentHashMap<>();

  /** One request's confirmations; its own lock, so waiters of one request wake only for it. */
  public static final class Request {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<String> confirmedBy = new HashSet<>(); // guarded by lock

    void add(String sender) {
      lock.lock();
      try {
        if (confirmedBy.add(sender)) {
          changed.signalAll();
        }
      } finally {
        lock.unlock();
      }
    }

    /** How many distinct instances confirmed so far. */
    public int count() {
      lock.lock();
      try {
        return confirmedBy.size();
      } finally {
        lock.unlock();
      }
    }

    /**
     * Parks until {@code wanted} instances confirmed or {@code timeout} passed; returns how many
     * did. If interrupted, returns at once with the interrupt status set.
     */
    public int await(long wanted, Duration timeout) {
      long left = timeout.toNanos();
      lock.lock();
      try {
        while (confirmedBy.size() < wanted && left > 0) {
          left = changed.awaitNanos(left);
        }
        return confirmedBy.size();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return confirmedBy.size();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Opens {@code requestId} before its message is sent, so no acknowledgement is missed. */
  public Request open(String requestId) {
    if (open.size() >= MAX_OPEN) { // requests nobody waits for any more: forget the oldest few
      open.keySet().stream().limit(MAX_OPEN / 2).toList().forEach(open::remove);
    }
    var request = new Request();
    open.put(requestId, request);
    return request;
  }

  /** {@code sender} acknowledged {@code requestId} (ignored if it is not open here). */
  void received(String requestId, String sender) {
    Request request = open.get(requestId);
    if (request != null) {
      request.add(sender);
    }
  }
}
