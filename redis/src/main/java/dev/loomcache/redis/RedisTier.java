package dev.loomcache.redis;

import static java.util.Objects.requireNonNull;

import dev.loomcache.redis.internal.Acknowledgements;
import dev.loomcache.redis.internal.CircuitBreaker;
import dev.loomcache.redis.internal.Commands;
import dev.loomcache.redis.internal.InvalidationSubscriber;
import dev.loomcache.redis.internal.Leases;
import dev.loomcache.redis.internal.Messages;
import dev.loomcache.redis.internal.RateLimitedLog;
import dev.loomcache.redis.internal.Recovery;
import dev.loomcache.redis.internal.RedisOps;
import dev.loomcache.redis.internal.RedisUri;
import dev.loomcache.redis.internal.TierCounters;
import dev.loomcache.redis.internal.ValueFormat;
import dev.loomcache.redis.internal.WriteBehindQueue;
import dev.loomcache.spi.CacheTier;
import dev.loomcache.spi.KeyGlob;
import dev.loomcache.spi.StoredValue;
import dev.loomcache.spi.TierListener;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A shared L2 tier on Redis: read on an L1 miss, written on every store, invalidated with the
 * cache. The client may be a {@code RedisClient} (standalone) or a {@code RedisClusterClient}; the
 * tier does not close a client it was given, and closes one it opened from a URI.
 *
 * <pre>{@code
 * RedisTier tier = RedisTier.newBuilder(client).keyPrefix("users:").build();
 * Cache<String, String> users = Loomcache.newBuilder()
 *     .keyCodec(KeyCodec.string()).valueCodec(ValueCodec.string())
 *     .tier(tier)
 *     .build();
 * }</pre>
 *
 * <p>Failures: every method may throw {@link RedisTierException} when Redis fails, does not answer
 * within the command timeout, or is skipped because the circuit breaker is open; the cache counts
 * it and carries on with L1 and the loader, so it never reaches the cache's callers. Writes that
 * fail are repaired once Redis answers (their keys deleted there). See {@code README.md} for the
 * consistency guarantees.
 *
 * <p>Threads: commands run on short-lived virtual threads (for the deadline); recovery,
 * write-behind flushers and the invalidation subscriber run on virtual threads owned by the tier,
 * all stopped by {@link #close()}.
 */
public final class RedisTier implements CacheTier {
  private final String name;
  private final String keyPrefix;
  private final String instanceId = UUID.randomUUID().toString();
  private final UnifiedJedis client;
  private final boolean ownsClient;
  private final Duration heartbeat;
  private final TierCounters counters = new TierCounters();
  private final RateLimitedLog log =
      new RateLimitedLog(LoggerFactory.getLogger("dev.loomcache.redis"), 10_000);
  private final CircuitBreaker breaker;
  private final Commands commands;
  private final RedisOps ops;
  private final @Nullable Messages messages;
  private final Recovery recovery;
  private final @Nullable WriteBehindQueue writeBehind;
  private final @Nullable Leases leases;
  private final Duration maxLocalStaleness;
  private final Acknowledgements acknowledgements = new Acknowledgements();
  private @Nullable TierListener listener; // guarded by lifecycle
  private final ReentrantLock lifecycle = new ReentrantLock();
  private @Nullable InvalidationSubscriber subscriber; // guarded by lifecycle
  private volatile boolean closed;

  RedisTier(RedisTierBuilder builder) {
    this.name = builder.name();
    this.keyPrefix = requireNonNull(builder.keyPrefix);
    this.client = builder.openClient();
    this.ownsClient = builder.ownsClient();
    this.heartbeat = builder.heartbeatInterval();
    this.breaker = new CircuitBreaker(builder.failureThreshold());
    this.commands = new Commands(client, builder.commandTimeout(), breaker, counters);
    this.messages =
        builder.crossInstanceInvalidation()
            ? new Messages(builder.channelFor(keyPrefix), instanceId, System.currentTimeMillis())
            : null;
    this.maxLocalStaleness = builder.maxLocalStaleness();
    this.ops = new RedisOps(commands, keyPrefix, messages, counters);
    this.recovery =
        new Recovery(
            ops, breaker, builder.probeInterval(), builder.repairCapacity(), counters, log);
    this.leases =
        builder.leaseTime == null
            ? null
            : new Leases(ops, builder.leaseTime, instanceId, counters, log);
    this.writeBehind =
        builder.writeMode() == WriteMode.WRITE_BEHIND
            ? new WriteBehindQueue(
                builder.writeBehindQueueCapacity(),
                builder.writeBehindThreads(),
                this::apply,
                recovery,
                counters,
                log)
            : null;
    if (builder.meterRegistry != null) {
      new RedisTierMetrics(this, counters, breaker, writeBehind, recovery)
          .bindTo(builder.meterRegistry);
    }
  }

  /**
   * Returns a builder for a tier on {@code client}.
   *
   * @throws NullPointerException if {@code client} is null
   */
  public static RedisTierBuilder newBuilder(UnifiedJedis client) {
    return new RedisTierBuilder(client);
  }

  /**
   * Returns a builder for a tier on a client this tier opens from {@code uri} and closes with
   * itself; the query options set the tier's options:
   *
   * <pre>{@code
   * RedisTier tier = RedisTier.fromUri(
   *     "redis://app:secret@127.0.0.1:6379/0?keyPrefix=users:&commandTimeout=50ms").build();
   * }</pre>
   *
   * <p>Schemes: {@code redis://[user:password@]host[:port][/db]}, {@code rediss://} (TLS, the JVM's
   * trust store), {@code redis-cluster://h1:p1,h2:p2} and {@code rediss-cluster://}. The port
   * defaults to 6379, the database to 0. The user info, keys and values may be percent-encoded
   * ({@code %40} for {@code @}); a colon-less user info is a password. Query keys: {@code
   * keyPrefix}, {@code name}, {@code commandTimeout}, {@code writeMode} ({@code WRITE_THROUGH} or
   * {@code WRITE_BEHIND}), {@code writeBehindQueueCapacity}, {@code writeBehindThreads}, {@code
   * invalidation} (cross-instance invalidation, true or false), {@code invalidationChannel}, {@code
   * singleFlight} ({@code true} for a 5 s lease, a lease time such as {@code 2s}, or {@code
   * false}), {@code failureThreshold}, {@code probeInterval}, {@code repairCapacity}, {@code
   * heartbeatInterval}, and {@code poolSize} (the client's most connections). Durations read as
   * {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601. Options the URI
   * sets count as set: calling their setter again throws {@link IllegalStateException}. The
   * password never appears in a message, a log line or {@code toString()}. Does no I/O: the client
   * is opened by {@link RedisTierBuilder#build()}.
   *
   * @throws NullPointerException if {@code uri} is null
   * @throws IllegalArgumentException if the URI is malformed, its scheme unknown, or a query key
   *     unknown, repeated or given a bad value; the message names the part and lists valid keys
   */
  public static RedisTierBuilder fromUri(String uri) {
    return new RedisTierBuilder(RedisUri.parse(uri));
  }

  @Override
  public String name() {
    return name;
  }

  /** The prefix of every Redis key of this tier. */
  public String keyPrefix() {
    return keyPrefix;
  }

  /** This tier's id in invalidation messages (random per tier), so it can ignore its own. */
  public String instanceId() {
    return instanceId;
  }

  /**
   * Reads {@code key}: a write still queued here (write-behind) first, then Redis. Never takes a
   * lease (that is {@link #readForLoad}). Parks the calling thread for one command timeout at most.
   *
   * @throws RedisTierException if Redis fails, times out, or the circuit is open
   * @throws dev.loomcache.spi.CorruptValueException if the key holds bytes this tier did not write
   */
  @Override
  public @Nullable StoredValue read(String key) {
    requireNonNull(key, "key must not be null");
    checkOpen();
    if (writeBehind != null) {
      WriteBehindQueue.Op pending = writeBehind.pending(key);
      if (pending != null) {
        return pending.value();
      }
    }
    return fetch(key);
  }

  /**
   * Reads {@code key} for the owner of a load, as {@link #read}; with distributed single-flight, a
   * miss then takes the key's lease (returns null: this instance loads, and the lease is released
   * by its write or by {@link #loadFinished}) or waits for the instance holding it and returns its
   * value. Parks the calling thread for about the lease time at most while waiting.
   *
   * @throws RedisTierException if Redis fails, times out, or the circuit is open
   */
  @Override
  public @Nullable StoredValue readForLoad(String key) {
    StoredValue found = read(key);
    if (found != null || leases == null) {
      return found;
    }
    return leases.acquireOrAwait(key, () -> fetch(key));
  }

  /**
   * Releases the lease {@link #readForLoad} took, if the load stored nothing (a write releases it
   * itself); never throws for Redis's failure (the lease then expires).
   */
  @Override
  public void loadFinished(String key) {
    if (leases == null || closed) {
      return;
    }
    if (writeBehind != null && writeBehind.pending(key) != null) {
      return; // the queued write releases it once Redis has the value
    }
    leases.release(key);
  }

  private @Nullable StoredValue fetch(String key) {
    byte[] raw = ops.get(key);
    return raw == null ? null : ValueFormat.decode(raw);
  }

  /**
   * Keeps every value's freshness deadlines with it (value format 2), so that another instance, or
   * this one after an L1 eviction, promotes it with the writer's refresh point and stale window;
   * one GET reads both.
   */
  @Override
  public boolean keepsFreshness() {
    return true;
  }

  /**
   * Stores {@code value} with a PX expiry taken from its absolute expiry (or the end of its
   * stale-if-error window), and tells other instances. Write-through: parks for one command at
   * most; write-behind: queues and returns.
   *
   * @throws RedisTierException if the write failed (write-through; the key is then repaired later)
   */
  @Override
  public void write(String key, StoredValue value) {
    requireNonNull(key, "key must not be null");
    requireNonNull(value, "value must not be null");
    checkOpen();
    if (writeBehind != null) {
      writeBehind.enqueue(key, value);
    } else {
      apply(key, value);
    }
  }

  /**
   * Deletes {@code key} and tells other instances; like {@link #write} for blocking and failure.
   *
   * @throws RedisTierException if the delete failed (write-through; it is retried later)
   */
  @Override
  public void delete(String key) {
    requireNonNull(key, "key must not be null");
    checkOpen();
    if (writeBehind != null) {
      writeBehind.enqueue(key, null);
    } else {
      apply(key, null);
    }
  }

  /**
   * Deletes every key under the prefix (SCAN + UNLINK in batches, every node of a cluster; never
   * FLUSHDB) and tells other instances to drop their L1. Discards queued writes first. Parks the
   * calling thread until done: one command timeout per batch of 1,000 keys at most.
   *
   * @throws RedisTierException if it failed (the clear is retried when Redis answers again)
   */
  @Override
  public void clear() {
    checkOpen();
    if (writeBehind != null) {
      writeBehind.discardPending();
    }
    try {
      ops.clearNamespace();
    } catch (RedisTierException e) {
      recovery.namespaceMayBeStale();
      throw e;
    }
  }

  /**
   * Deletes every key tagged {@code tag} (its tag set, kept by every tagged write in the same
   * script as the value, so no SCAN) and tells other instances to drop their L1 copies of them.
   * Discards queued writes carrying the tag first. Parks the calling thread until done: one command
   * timeout per batch of 1,000 keys at most.
   *
   * @throws RedisTierException if it failed (this cache's keys are then cleared when Redis answers
   *     again, since which of them carry the tag is not known here)
   */
  @Override
  public void invalidateTag(String tag) {
    requireNonNull(tag, "tag must not be null");
    checkOpen();
    if (writeBehind != null) {
      writeBehind.discardPendingIf(
          (key, op) -> op.value() != null && op.value().tags().contains(tag));
    }
    try {
      ops.invalidateTag(tag);
    } catch (RedisTierException e) {
      recovery.namespaceMayBeStale();
      throw e;
    }
  }

  /**
   * Deletes every key of this cache matching {@code glob} ({@code SCAN MATCH} within the prefix,
   * {@code UNLINK} in batches of 1,000, never {@code KEYS}) and tells other instances to drop their
   * matching L1 copies. Discards matching queued writes first. Costs a pass over every key under
   * the prefix (SCAN visits the whole keyspace of each node, matching as it goes); parks the
   * calling thread until done, one command timeout per batch at most.
   *
   * @throws RedisTierException if it failed (this cache's keys are then cleared when Redis answers
   *     again)
   */
  @Override
  public void invalidateMatching(KeyGlob glob) {
    requireNonNull(glob, "glob must not be null");
    checkOpen();
    if (writeBehind != null) {
      writeBehind.discardPendingIf((key, op) -> glob.matches(key));
    }
    try {
      ops.invalidateMatching(glob.glob());
    } catch (RedisTierException e) {
      recovery.namespaceMayBeStale();
      throw e;
    }
  }

  /** Applies a write (or a delete, for a null value) to Redis now; then releases a held lease. */
  private void apply(String key, @Nullable StoredValue value) {
    try {
      long px = value == null ? -1 : pxMillis(value);
      if (value == null || px < 0) {
        ops.delete(key);
      } else {
        // Kept (PX, tag-set scores) until its retention: through a stale-if-error window.
        ops.set(key, ValueFormat.encode(value), px, value.retainUntilEpochMillis(), value.tags());
      }
    } catch (RedisTierException e) {
      recovery.keyMayBeStale(key); // Redis may keep the old value, and others were not told
      throw e;
    }
    if (leases != null) {
      leases.release(key);
    }
  }

  /**
   * The PX argument for {@code value}: 0 for "never expires", -1 if already past its retention (its
   * expiry, or the end of its stale-if-error window).
   */
  static long pxMillis(StoredValue value) {
    long until = value.retainUntilEpochMillis();
    if (until == StoredValue.NEVER_EXPIRES) {
      return 0;
    }
    long left = until - System.currentTimeMillis();
    return left > 0 ? left : -1;
  }

  /**
   * Starts listening to other instances' invalidations on this cache's channel (on a virtual thread
   * of the tier's); a no-op with cross-instance invalidation off. Called once, by the cache, while
   * it is being built. Parks the calling thread until the subscription is confirmed, Redis refuses
   * the connection, or the heartbeat interval (default 1 s) passes, so that the first loads after
   * {@code build()} are cached; a subscription confirmed only later clears L1, since messages
   * published before it were not heard. On a cluster client, first publishes one heartbeat with
   * {@code SPUBLISH} to learn whether the nodes have sharded pub/sub (one command timeout at most).
   *
   * @throws IllegalStateException if called twice, or after close
   */
  @Override
  public void subscribe(TierListener listener) {
    requireNonNull(listener, "listener must not be null");
    if (messages == null) {
      return;
    }
    InvalidationSubscriber started;
    checkOpen();
    if (subscriberOrNull() != null) {
      throw new IllegalStateException("Redis tier '" + name + "' already has a listener");
    }
    boolean sharded = chooseShardedPubSub(); // I/O: before the lock
    lifecycle.lock();
    try {
      checkOpen();
      if (subscriber != null) {
        throw new IllegalStateException("Redis tier '" + name + "' already has a listener");
      }
      long heartbeatMillis = Math.max(1, heartbeat.toMillis());
      started =
          new InvalidationSubscriber(
              client,
              messages,
              listener,
              leases == null ? key -> {} : leases::changed,
              () -> ops.publishHeartbeat(heartbeatMillis),
              heartbeat,
              acknowledgements,
              ops::publishAcknowledgement,
              sharded,
              counters,
              log);
      subscriber = started;
      this.listener = listener;
    } finally {
      lifecycle.unlock();
    }
    started.awaitFirstSubscription(heartbeat); // outside the lock: close() must not wait for it
  }

  /**
   * Sharded pub/sub on a cluster client whose nodes know SPUBLISH (Redis 7+), classic pub/sub
   * otherwise; decided by publishing a first heartbeat (a Redis that does not answer counts as 7+:
   * the publishes fall back when they find out).
   */
  private boolean chooseShardedPubSub() {
    if (!(client instanceof RedisClusterClient)) {
      return false;
    }
    ops.useShardedPubSub(true);
    try {
      ops.publishHeartbeat(Math.max(1, heartbeat.toMillis()));
    } catch (RedisTierException e) {
      if (e.getCause() instanceof JedisDataException) { // "unknown command": Redis before 7
        ops.useShardedPubSub(false);
      }
    }
    return ops.shardedPubSub();
  }

  /**
   * Whether invalidations travel by sharded pub/sub (SSUBSCRIBE/SPUBLISH on a Redis 7+ Cluster).
   */
  public boolean usesShardedPubSub() {
    return ops.shardedPubSub();
  }

  /**
   * The longest an entry backed by this tier stays in a cache's L1 before it is read from Redis
   * again ({@link RedisTierBuilder#maxLocalStaleness}): the bound on staleness if invalidation
   * messages are lost.
   */
  @Override
  public Duration maxLocalLifetime() {
    return maxLocalStaleness;
  }

  /**
   * Removes every key of this cache from Redis, drops this instance's L1, and asks every other
   * instance on the channel to drop theirs and confirm; the returned {@link Flush} waits for the
   * confirmations ({@link Flush#awaitAcknowledgement}). Parks the calling thread like {@link
   * #clear()}. Needs cross-instance invalidation and a subscribed cache.
   *
   * <pre>{@code
   * int confirmed = tier.invalidateAll().awaitAcknowledgement(Duration.ofSeconds(5));
   * }</pre>
   *
   * @throws IllegalStateException if cross-instance invalidation is off, no cache uses this tier,
   *     or the tier is closed
   * @throws RedisTierException if Redis failed (the clear is retried when Redis answers again)
   */
  public Flush invalidateAll() {
    checkOpen();
    TierListener local;
    lifecycle.lock();
    try {
      local = listener;
    } finally {
      lifecycle.unlock();
    }
    if (messages == null || local == null) {
      throw new IllegalStateException(
          "invalidateAll() needs crossInstanceInvalidation(true) and a"
              + " cache built on Redis tier '"
              + name
              + "' (it clears that cache's L1 too)");
    }
    if (writeBehind != null) {
      writeBehind.discardPending();
    }
    local.invalidatedAll();
    String requestId = UUID.randomUUID().toString();
    Acknowledgements.Request request = acknowledgements.open(requestId);
    long reached;
    try {
      reached = ops.clearNamespace(requestId);
    } catch (RedisTierException e) {
      recovery.namespaceMayBeStale();
      throw e;
    }
    local.invalidatedAll(); // loads that began before the clear may have promoted old values
    return new Flush(request, Math.max(0, reached - (isSubscribed() ? 1 : 0)));
  }

  /** Whether the invalidation subscription is confirmed right now (false when it is off). */
  public boolean isSubscribed() {
    InvalidationSubscriber current = subscriberOrNull();
    return current != null && current.isSubscribed();
  }

  /** A snapshot of the tier's own counters; never blocks. */
  public RedisTierStats stats() {
    return new RedisTierStats(
        breaker.isOpen(),
        breaker.openCount(),
        isSubscribed(),
        writeBehind == null ? 0 : writeBehind.size(),
        recovery.pendingCount(),
        counters);
  }

  /**
   * Flushes queued writes, stops the subscriber and background threads, and abandons commands still
   * running; closes the client only if the tier opened it ({@link #fromUri(String)}). Parks the
   * calling thread until the threads have stopped (with Redis down, the circuit breaker keeps that
   * short). Idempotent.
   */
  @Override
  public void close() {
    InvalidationSubscriber current;
    lifecycle.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      current = subscriber;
    } finally {
      lifecycle.unlock();
    }
    if (writeBehind != null) {
      writeBehind.close();
    }
    if (current != null) {
      try {
        ops.publishGoodbye(); // so that others do not take our silence for lost messages
      } catch (RuntimeException e) {
        LoggerFactory.getLogger("dev.loomcache.redis").debug("Could not publish a goodbye", e);
      }
      current.close();
    }
    recovery.close();
    commands.close();
    if (ownsClient) {
      client.close();
    }
  }

  private @Nullable InvalidationSubscriber subscriberOrNull() {
    lifecycle.lock();
    try {
      return subscriber;
    } finally {
      lifecycle.unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Redis tier '" + name + "' is closed");
    }
  }

  @Override
  public String toString() {
    return "RedisTier{name="
        + name
        + ", keyPrefix="
        + keyPrefix
        + ", breakerOpen="
        + breaker.isOpen()
        + ", closed="
        + closed
        + '}';
  }
}
