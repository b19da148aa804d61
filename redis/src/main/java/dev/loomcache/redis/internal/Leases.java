package dev.loomcache.redis.internal;

import dev.loomcache.redis.RedisTierException;
import dev.loomcache.spi.StoredValue;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Distributed single-flight: on a Redis miss, one instance takes the key's lease and loads; the
 * others wait for its value instead of loading too.
 *
 * <p>The lease is a Redis key set with {@code SET NX PX lease}, holding a token unique to this
 * attempt; the value is read once more after the lease is taken, since another instance may have
 * stored it and left in between. The holder's next write or delete of the key releases it with an
 * owner-checked compare-and-delete (a Lua script), so a lease that expired and was taken over by
 * another instance is never deleted by the old holder. If the holder stores nothing (its load
 * failed or returned null, or it died) the lease simply expires and one waiter takes it over.
 * Waiters poll the value with a backoff (1 ms doubling to 50 ms) and are woken early by the
 * holder's invalidation message; they wait about the lease time at most, then load themselves.
 */
public final class Leases {
  private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final int SWEEP_THRESHOLD = 1_024;

  private final RedisOps ops;
  private final long leaseMillis;
  private final long leaseNanos;
  private final String tokenPrefix;
  private final AtomicLong tokens = new AtomicLong();
  private final TierCounters counters;
  private final RateLimitedLog log;
  private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CountDownLatch> wakeUps = new ConcurrentHashMap<>();

  private record Held(String token, long expiresAtNanos) {}

  /** Leases of {@code leaseTime}, with tokens made unique by {@code instanceId}. */
  public Leases(
      RedisOps ops,
      Duration leaseTime,
      String instanceId,
      TierCounters counters,
      RateLimitedLog log) {
    this.ops = ops;
    this.leaseMillis = leaseTime.toMillis();
    this.leaseNanos = leaseTime.toNanos();
    this.tokenPrefix = instanceId + ":";
    this.counters = counters;
    this.log = log;
  }

  /**
   * After a Redis miss of {@code key}: takes its lease and returns null (the caller loads), or
   * waits for the holder's value and returns it. Returns null without a lease if the wait lasts
   * longer than the lease time. May park the calling thread up to about the lease time.
   *
   * @param reread reads the key's current value from Redis
   * @throws RedisTierException if Redis fails, or the thread is interrupted while waiting (the
   *     interrupt status is then restored)
   */
  public @Nullable StoredValue acquireOrAwait(String key, Supplier<@Nullable StoredValue> reread) {
    String token = tokenPrefix + tokens.incrementAndGet();
    long deadline = System.nanoTime() + leaseNanos + MAX_BACKOFF_NANOS;
    long backoff = MIN_BACKOFF_NANOS;
    boolean waited = false;
    while (true) {
      if (ops.tryLease(key, token, leaseMillis)) {
        // Another instance may have stored the value and released its lease between our last read
        // and our SET NX: read once more, or both instances would load.
        StoredValue found = reread.get();
        if (found == null) {
          remember(key, token);
          return null;
        }
        release(key, token);
        if (waited) {
          counters.leaseWaitsServed.increment();
        }
        return found;
      }
      if (!waited) {
        waited = true;
        counters.leaseWaits.increment();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null; // waited as long as a lease lasts: load here rather than wait on
      }
      park(key, Math.min(backoff, left));
      backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
      StoredValue found = reread.get();
      if (found != null) {
        counters.leaseWaitsServed.increment();
        return found;
      }
    }
  }

  private void remember(String key, String token) {
    counters.leasesAcquired.increment();
    long now = System.nanoTime();
    if (held.size() >= SWEEP_THRESHOLD) {
      held.values().removeIf(h -> h.expiresAtNanos - now <= 0); // loads that stored nothing
    }
    held.put(key, new Held(token, now + leaseNanos));
  }

  /**
   * Releases this instance's lease of {@code key}, if it holds one that has not expired; called
   * after this instance wrote or deleted the key. A failure is logged: the lease then expires.
   */
  public void release(String key) {
    Held lease = held.remove(key);
    if (lease != null && lease.expiresAtNanos - System.nanoTime() > 0) {
      release(key, lease.token);
    }
  }

  private void release(String key, String token) {
    try {
      ops.releaseLease(key, token);
    } catch (RedisTierException e) {
      log.warn("lease", "Could not release the lease of key '" + key + "'; it will expire", e);
    }
  }

  /** Wakes a waiter of {@code key}: another instance changed it. Never blocks. */
  public void changed(String key) {
    CountDownLatch latch = wakeUps.remove(key);
    if (latch != null) {
      latch.countDown();
    }
  }

  private void park(String key, long nanos) {
    CountDownLatch latch = wakeUps.computeIfAbsent(key, k -> new CountDownLatch(1));
    try {
      latch.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RedisTierException("Interrupted while waiting for another instance's load", e);
    } finally {
      wakeUps.remove(key, latch);
    }
  }
}
