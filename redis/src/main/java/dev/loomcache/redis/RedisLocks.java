package dev.loomcache.redis;

import static java.util.Objects.requireNonNull;

import dev.loomcache.redis.internal.CommandPermits;
import dev.loomcache.redis.internal.LuaScript;
import dev.loomcache.redis.internal.RateLimitedLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Lease locks on Redis with owner tokens, a renewing watchdog and fencing tokens; see {@link
 * RedisLock} for the protocol and for what it does and does not guarantee.
 *
 * <pre>{@code
 * RedisLocks locks = RedisLocks.newBuilder(client).keyPrefix("locks:").build();
 * try (RedisLock.Held held = locks.lock("nightly-report", Duration.ofSeconds(30), Duration.ofSeconds(5))) {
 *   reports.build(held.fencingToken());
 * }
 * }</pre>
 *
 * <p>Thread-safe. Each method talks to Redis with the client given to the builder (a {@code
 * RedisClient} or a {@code RedisClusterClient}), which it never closes; how long a call can wait
 * for a Redis that does not answer is that client's socket timeout. At most {@code
 * maxConcurrentCommands} commands (default 8) are in flight at once; more callers queue in order
 * before borrowing a connection.
 */
public final class RedisLocks implements AutoCloseable {
  private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private static final LuaScript ACQUIRE =
      new LuaScript(
          """
          if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
            return {1, redis.call('INCR', KEYS[2])}
          end
          return {0, redis.call('PTTL', KEYS[1])}\
          """);
  private static final LuaScript RELEASE =
      new LuaScript(
          """
          if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('DEL', KEYS[1])
          end
          return 0\
          """);
  private static final LuaScript RENEW =
      new LuaScript(
          """
          if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('PEXPIRE', KEYS[1], ARGV[2])
          end
          return 0\
          """);

  private final UnifiedJedis client;
  private final CommandPermits permits;
  private final String keyPrefix;
  private final String tokenPrefix = UUID.randomUUID() + ":";
  private final AtomicLong tokens = new AtomicLong();
  private final ConcurrentHashMap<String, Gate> gates = new ConcurrentHashMap<>();
  private final Set<RedisLock.Held> held = ConcurrentHashMap.newKeySet();
  private final Set<Thread> watchdogs = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final RateLimitedLog log =
      new RateLimitedLog(LoggerFactory.getLogger(RedisLocks.class), 10_000);
  private final @Nullable Counter acquired;
  private final @Nullable Counter timedOut;
  private final @Nullable Counter busy;
  private final @Nullable Counter failed;
  private final @Nullable Timer heldTimer;

  /** The local queue of one name: a fair one-permit semaphore, and how many callers use it. */
  private static final class Gate {
    final Semaphore permit = new Semaphore(1, true);
    int users; // changed only inside gates.compute
  }

  private record Attempt(boolean acquired, long value) {}

  private RedisLocks(
      UnifiedJedis client,
      String keyPrefix,
      @Nullable MeterRegistry registry,
      int maxConcurrentCommands) {
    this.client = client;
    this.permits = new CommandPermits(maxConcurrentCommands);
    this.keyPrefix = keyPrefix;
    this.acquired = counter(registry, "acquired");
    this.timedOut = counter(registry, "timeout");
    this.busy = counter(registry, "busy");
    this.failed = counter(registry, "failed");
    this.heldTimer =
        registry == null
            ? null
            : Timer.builder("lock.held")
                .description("How long locks were held, from acquisition to release")
                .register(registry);
  }

  /** Returns a builder of locks on {@code client}, which the locks use but never close. */
  public static Builder newBuilder(UnifiedJedis client) {
    requireNonNull(client, "client must not be null");
    return new Builder(client);
  }

  /**
   * Acquires the lock {@code name}, waiting at most {@code maxWait}, and keeps it (renewing {@code
   * lease}) until the returned holder is closed. May park the calling thread up to about {@code
   * maxWait}, plus a round trip.
   *
   * @param lease how long the lock outlives a holder that stops renewing it (whole milliseconds)
   * @throws LockTimeoutException if the lock was not acquired within {@code maxWait}
   * @throws RedisLockException if Redis cannot be reached (at once, not after {@code maxWait}), or
   *     the thread is interrupted while waiting (its interrupt status is then set)
   * @throws IllegalArgumentException if {@code name} is empty, {@code lease} is shorter than a
   *     millisecond or {@code maxWait} is negative
   * @throws IllegalStateException if these locks are closed
   */
  public RedisLock.Held lock(String name, Duration lease, Duration maxWait) {
    checkArguments(name, lease);
    requireNonNull(maxWait, "maxWait must not be null");
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative: " + maxWait);
    }
    long waitNanos = saturatedNanos(maxWait);
    long deadline = System.nanoTime() + waitNanos;
    RedisLock.Held result = null;
    Gate gate = enter(name);
    boolean permitted = false;
    try {
      permitted = gate.permit.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
      if (!permitted) {
        throw timeout(name, maxWait);
      }
      String token = newToken();
      long backoff = MIN_BACKOFF_NANOS;
      while (true) {
        Attempt attempt = attempt(name, token, lease);
        if (attempt.acquired()) {
          result = hold(name, token, attempt.value(), lease, gate);
          return result;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw timeout(name, maxWait);
        }
        long jittered = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        long leaseLeft = TimeUnit.MILLISECONDS.toNanos(Math.max(1, attempt.value()));
        Thread.sleep(Duration.ofNanos(Math.min(Math.min(jittered, leaseLeft), left)));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      increment(failed);
      throw new RedisLockException("Interrupted while waiting for lock '" + name + "'", e);
    } finally {
      if (result == null) {
        if (permitted) {
          gate.permit.release();
        }
        leave(name, gate);
      }
    }
  }

  /**
   * Acquires the lock {@code name} if it is free now, in one round trip; never waits for it.
   * Returns empty if another holder has it, or if another caller of these locks is holding or
   * acquiring it.
   *
   * @throws RedisLockException if Redis cannot be reached
   * @throws IllegalArgumentException if {@code name} is empty or {@code lease} is shorter than a
   *     millisecond
   * @throws IllegalStateException if these locks are closed
   */
  public Optional<RedisLock.Held> tryLock(String name, Duration lease) {
    checkArguments(name, lease);
    Gate gate = enter(name);
    RedisLock.Held result = null;
    boolean permitted = gate.permit.tryAcquire();
    try {
      if (permitted) {
        String token = newToken();
        Attempt attempt = attempt(name, token, lease);
        if (attempt.acquired()) {
          result = hold(name, token, attempt.value(), lease, gate);
        }
      }
      if (result == null) {
        increment(busy);
      }
      return Optional.ofNullable(result);
    } finally {
      if (result == null) {
        if (permitted) {
          gate.permit.release();
        }
        leave(name, gate);
      }
    }
  }

  /**
   * Whether some holder (of any instance) holds the lock {@code name} now; one round trip. The
   * answer may be out of date as soon as it is returned.
   *
   * @throws RedisLockException if Redis cannot be reached
   */
  public boolean isLocked(String name) {
    requireNonNull(name, "name must not be null");
    try {
      return permits.call(() -> client.exists(lockKey(name)));
    } catch (JedisException e) {
      throw new RedisLockException("Could not ask Redis whether lock '" + name + "' is held", e);
    }
  }

  private Attempt attempt(String name, String token, Duration lease) {
    List<String> keys = keys(name);
    try {
      List<?> reply =
          (List<?>)
              ACQUIRE.run(client, permits, keys, List.of(token, Long.toString(lease.toMillis())));
      return new Attempt((Long) reply.get(0) == 1L, (Long) reply.get(1));
    } catch (JedisException e) {
      increment(failed);
      // The SET may have happened and only its reply been lost: do not leave it for a whole lease.
      try {
        RELEASE.run(client, permits, keys, List.of(token));
      } catch (JedisException ignored) {
        // Redis is down: the lease, if it was set, expires by itself.
      }
      if (Thread.currentThread().isInterrupted()) {
        // An interrupt closes a virtual thread's socket mid-command: report the interrupt.
        var interrupted = new InterruptedException("interrupted during a Redis command");
        interrupted.initCause(e);
        throw new RedisLockException(
            "Interrupted while acquiring lock '" + name + "'", interrupted);
      }
      throw new RedisLockException("Could not acquire lock '" + name + "': Redis failed", e);
    }
  }

  private RedisLock.Held hold(String name, String token, long fence, Duration lease, Gate gate) {
    var lock = new RedisLock.Held(this, name, token, fence, lease, System.nanoTime());
    held.add(lock);
    increment(acquired);
    Thread watchdog =
        Thread.ofVirtual()
            .name("loomcache-lock-watchdog-" + name)
            .unstarted(() -> {
              try {
                watch(lock);
              } finally {
                watchdogs.remove(Thread.currentThread());
              }
            });
    watchdogs.add(watchdog); // before it starts, so that it is never removed before it is added
    lock.watchdog = watchdog;
    watchdog.start();
    return lock;
  }

  /** The watchdog of {@code lock}: renews every third of the lease until stopped or lost. */
  private void watch(RedisLock.Held lock) {
    long leaseNanos = lock.lease().toNanos();
    long every = Math.max(1, leaseNanos / 3);
    List<String> keys = keys(lock.name());
    List<String> args = List.of(lock.token(), Long.toString(lock.lease().toMillis()));
    long next = lock.acquiredAtNanos + every;
    while (!lock.stopping) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(lock, wait);
        continue; // woken early (stop, or spuriously): look again
      }
      long sentAt = System.nanoTime();
      try {
        if ((Long) RENEW.run(client, permits, keys, args) != 1L) {
          lock.lost = true; // expired and perhaps taken by another holder: stop renewing
          return;
        }
        lock.validUntilNanos = sentAt + leaseNanos;
        next = sentAt + every;
      } catch (JedisException e) {
        log.warn("lock", "Could not renew lock '" + lock.name() + "'; retrying", e);
        if (lock.validUntilNanos - System.nanoTime() <= 0) {
          lock.lost = true;
          return;
        }
        next = System.nanoTime() + Math.max(1, every / 4);
      }
    }
  }

  /** {@link RedisLock.Held#release()}. */
  boolean release(RedisLock.Held lock) {
    if (!lock.released.compareAndSet(false, true)) {
      return false;
    }
    try {
      stopWatchdog(lock);
      try {
        return (Long) RELEASE.run(client, permits, keys(lock.name()), List.of(lock.token())) == 1L;
      } catch (JedisException e) {
        throw new RedisLockException(
            "Could not release lock '"
                + lock.name()
                + "': Redis failed;"
                + " the lease expires by itself within "
                + lock.lease(),
            e);
      }
    } finally {
      held.remove(lock);
      if (heldTimer != null) {
        heldTimer.record(System.nanoTime() - lock.acquiredAtNanos, TimeUnit.NANOSECONDS);
      }
      Gate gate = gates.get(lock.name());
      if (gate != null) {
        gate.permit.release();
        leave(lock.name(), gate);
      }
    }
  }

  /**
   * Tells the watchdog of {@code lock} to stop, without waiting for it: a renewal already in flight
   * is owner-checked, so once the lock is released it finds another token (or none) and changes
   * nothing. {@link #close()} waits for every watchdog.
   */
  private static void stopWatchdog(RedisLock.Held lock) {
    lock.stopping = true;
    Thread watchdog = lock.watchdog;
    if (watchdog != null) {
      LockSupport.unpark(watchdog);
    }
  }

  private Gate enter(String name) {
    if (closed.get()) {
      throw new IllegalStateException("These RedisLocks are closed");
    }
    return gates.compute(
        name,
        (k, gate) -> {
          Gate g = gate == null ? new Gate() : gate;
          g.users++;
          return g;
        });
  }

  private void leave(String name, Gate gate) {
    gates.computeIfPresent(name, (k, g) -> g != gate || --g.users > 0 ? g : null);
  }

  private void checkArguments(String name, Duration lease) {
    requireNonNull(name, "name must not be null");
    requireNonNull(lease, "lease must not be null");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    if (lease.toMillis() <= 0) {
      throw new IllegalArgumentException("lease must be at least one millisecond: " + lease);
    }
    if (closed.get()) {
      throw new IllegalStateException("These RedisLocks are closed");
    }
  }

  private String newToken() {
    return tokenPrefix + tokens.incrementAndGet();
  }

  private String lockKey(String name) {
    return keyPrefix + "{" + name + "}";
  }

  private List<String> keys(String name) {
    String lockKey = lockKey(name);
    return List.of(lockKey, lockKey + ":fence");
  }

  private LockTimeoutException timeout(String name, Duration maxWait) {
    increment(timedOut);
    return new LockTimeoutException("Lock '" + name + "' was not acquired within " + maxWait);
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2;
    }
  }

  /** The locks held through this instance now. */
  public int heldCount() {
    return held.size();
  }

  /**
   * Releases every lock still held through this instance and waits for every watchdog to end; later
   * acquisitions throw {@link IllegalStateException}. Idempotent. A lock that cannot be released
   * because Redis is down is logged and left to expire. The client stays open.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (RedisLock.Held lock : List.copyOf(held)) {
      try {
        lock.release();
      } catch (RedisLockException e) {
        log.warn("lock", String.valueOf(e.getMessage()), e);
      }
    }
    boolean interrupted = false;
    for (Thread watchdog : List.copyOf(watchdogs)) {
      while (true) {
        try {
          watchdog
              .join(); // stopped: ends after at most one renewal, bounded by the client's timeout
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void increment(@Nullable Counter counter) {
    if (counter != null) {
      counter.increment();
    }
  }

  private static @Nullable Counter counter(@Nullable MeterRegistry registry, String result) {
    return registry == null
        ? null
        : Counter.builder("lock.acquisitions")
            .tag("result", result)
            .description("Lock acquisitions, by result")
            .register(registry);
  }

  /**
   * Builds {@link RedisLocks}. Each setter may be called once (a second call throws {@link
   * IllegalStateException} naming the value already set). Not thread-safe.
   */
  public static final class Builder {
    private final UnifiedJedis client;
    private @Nullable String keyPrefix;
    private @Nullable MeterRegistry meterRegistry;
    private int maxConcurrentCommands;

    private Builder(UnifiedJedis client) {
      this.client = client;
    }

    /**
     * The prefix of the locks' Redis keys; default {@code "locks:"}. A prefix containing a <code>
     * '&#123;'</code> would put every lock in one hash slot of a Cluster.
     */
    public Builder keyPrefix(String keyPrefix) {
      requireNonNull(keyPrefix, "keyPrefix must not be null");
      if (this.keyPrefix != null) {
        throw new IllegalStateException("keyPrefix was already set to " + this.keyPrefix);
      }
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * Counts acquisitions as {@code lock.acquisitions} (tag {@code result}: {@code acquired},
     * {@code timeout}, {@code busy} for a failed {@code tryLock}, {@code failed} for a Redis
     * failure) and times holds as {@code lock.held}; default: no meters.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      requireNonNull(registry, "registry must not be null");
      if (this.meterRegistry != null) {
        throw new IllegalStateException("meterRegistry was already set to " + this.meterRegistry);
      }
      this.meterRegistry = registry;
      return this;
    }

    /**
     * How many commands may be in flight on the client at once (default 8); set it to the client's
     * pool size. More callers queue in order before borrowing a connection: many virtual threads
     * waiting inside the connection pool itself can hang it.
     *
     * @throws IllegalArgumentException if {@code maxConcurrentCommands} is not positive
     */
    public Builder maxConcurrentCommands(int maxConcurrentCommands) {
      if (maxConcurrentCommands <= 0) {
        throw new IllegalArgumentException(
            "maxConcurrentCommands must be positive: " + maxConcurrentCommands);
      }
      if (this.maxConcurrentCommands > 0) {
        throw new IllegalStateException(
            "maxConcurrentCommands was already set to " + this.maxConcurrentCommands);
      }
      this.maxConcurrentCommands = maxConcurrentCommands;
      return this;
    }

    /** Builds the locks; talks to Redis only when they are used. */
    public RedisLocks build() {
      return new RedisLocks(
          client,
          keyPrefix == null ? "locks:" : keyPrefix,
          meterRegistry,
          maxConcurrentCommands == 0 ? 8 : maxConcurrentCommands);
    }
  }
}
