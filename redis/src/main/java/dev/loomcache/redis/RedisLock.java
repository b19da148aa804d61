package dev.loomcache.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Lease locks on Redis, taken through {@link RedisLocks}: what they guarantee and what they do not.
 *
 * <p><b>Protocol.</b> A lock {@code name} is the Redis key {@code keyPrefix + "{" + name + "}"},
 * set with {@code SET NX PX lease} to a token unique to the acquisition; in the same Lua script the
 * key {@code ...}:fence} is incremented, and its new value is the acquisition's {@linkplain
 * Held#fencingToken() fencing token}. Both keys share a hash slot, so this works on Redis Cluster.
 * Release and renewal are Lua scripts that act only if the key still holds the holder's token, so a
 * holder whose lease expired can neither free nor extend the next holder's lock. Uncontended,
 * acquiring and releasing take one round trip each. While held, a watchdog (a virtual thread per
 * held lock) renews the lease every third of it; it stops when the lock is released, or when a
 * renewal finds the lock gone or Redis unreachable for a whole lease.
 *
 * <p><b>Waiting.</b> Callers of one {@code RedisLocks} waiting for one name queue locally (a fair
 * semaphore), so only one of them polls Redis; it retries with a doubling, jittered backoff of 1 to
 * 50 ms, never longer than the lock's remaining lease or the caller's {@code maxWait}. There is no
 * fairness between instances.
 *
 * <p><b>Guaranteed:</b> at any instant at most one holder's token is in Redis, so while the single
 * Redis (or the master of the slot) stays up and keeps its data, and no holder is paused for longer
 * than its lease, holders are mutually exclusive; each acquisition of a name gets a larger fencing
 * token than every earlier acquisition of that name; release and renewal are owner-checked.
 *
 * <p><b>Not guaranteed.</b> This is not Redlock: one Redis (or one Cluster master per lock)
 * decides, and a failover to a replica that had not received the lock, or a restart of a Redis
 * without persistence, can grant a second holder (and would restart fencing tokens). A holder
 * paused longer than its lease (GC, {@code SIGSTOP}, a stalled VM) loses the lock without knowing
 * it until it runs again: a second holder may then be running. That is what the fencing token is
 * for: pass it to the resource you protect and have the resource reject a token smaller than the
 * largest it has seen. {@link Held#isHeld()} is a local belief (the last renewal's lease has not
 * run out), never a proof.
 */
public final class RedisLock {
  private RedisLock() {}

  /**
   * One acquisition of a lock, released by {@link #close()} or {@link #release()}. Thread-safe; it
   * may be released from another thread than the one that acquired it.
   */
  public static final class Held implements AutoCloseable {
    private final RedisLocks locks;
    private final String name;
    private final String token;
    private final long fencingToken;
    private final Duration lease;
    final long acquiredAtNanos;
    final AtomicBoolean released = new AtomicBoolean();
    volatile boolean lost;
    volatile long validUntilNanos;
    volatile boolean stopping;
    volatile @Nullable Thread watchdog; // set once the lock is taken

    Held(
        RedisLocks locks,
        String name,
        String token,
        long fencingToken,
        Duration lease,
        long acquiredAtNanos) {
      this.locks = locks;
      this.name = name;
      this.token = token;
      this.fencingToken = fencingToken;
      this.lease = lease;
      this.acquiredAtNanos = acquiredAtNanos;
      this.validUntilNanos = acquiredAtNanos + lease.toNanos();
    }

    /** The lock's name. */
    public String name() {
      return name;
    }

    /**
     * This acquisition's fencing token: larger than that of every earlier acquisition of the same
     * name (through any instance), so a protected resource can reject the writes of a holder that
     * lost its lock without knowing it.
     */
    public long fencingToken() {
      return fencingToken;
    }

    /** The lease the watchdog keeps renewing. */
    public Duration lease() {
      return lease;
    }

    /**
     * Whether this holder still believes it holds the lock: not released, no renewal found it gone,
     * and the last successful renewal's lease has not run out on this machine's clock. Never
     * blocks.
     */
    public boolean isHeld() {
      return !released.get() && !lost && validUntilNanos - System.nanoTime() > 0;
    }

    /**
     * Stops the watchdog and releases the lock if this holder still owns it in Redis. Returns
     * {@code true} if it did, {@code false} if the lease had expired (the lock may have been taken
     * by another holder meanwhile, and is left alone) or if it was already released. Parks the
     * calling thread for one round trip to Redis; the watchdog is told to stop and ends on its own
     * (a renewal it has in flight is owner-checked and cannot extend a released lock).
     *
     * @throws RedisLockException if Redis cannot be reached (the lease then expires by itself)
     */
    public boolean release() {
      return locks.release(this);
    }

    /**
     * Releases the lock as {@link #release()} does; idempotent.
     *
     * @throws RedisLockException if Redis cannot be reached (the lease then expires by itself)
     */
    @Override
    public void close() {
      release();
    }

    String token() {
      return token;
    }

    @Override
    public String toString() {
      return "RedisLock.Held["
          + name
          + ", fencingToken="
          + fencingToken
          + (isHeld() ? "" : ", not held")
          + "]";
    }
  }
}
