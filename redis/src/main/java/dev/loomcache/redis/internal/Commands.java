package dev.loomcache.redis.internal;

import dev.loomcache.redis.RedisTierException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.Pool;

/**
 * Runs Redis commands with a deadline and through the circuit breaker.
 *
 * <p>Design note: Jedis bounds a command only by the socket timeout of the client, which belongs to
 * the user (and may be shared with code that wants long timeouts). Two ways to hold the deadline:
 *
 * <ul>
 *   <li><b>Direct</b> (the hot path: single-key commands while Redis is healthy): borrow a pooled
 *       connection of the client, set its socket timeout to the command timeout, run the command on
 *       the caller's thread, restore the timeout. As fast as a plain Jedis call. Used only when a
 *       connection is known to exist (an idle one in a standalone pool, or the slot's node in a
 *       cluster) and no command failed since the last success, because opening a connection runs
 *       its handshake under the client's own timeouts.
 *   <li><b>Hand-off</b> (everything else): the command runs on a fresh virtual thread of the tier
 *       and the caller waits at most the command timeout. A command past its deadline is cancelled
 *       by interrupting its thread, which closes its socket (socket I/O on a virtual thread is
 *       interruptible), so a stalled Redis does not keep pool connections either. Costs two thread
 *       wake-ups per command.
 * </ul>
 *
 * Cluster redirections (MOVED, ASK) on the direct path are retried by hand-off, where the client
 * follows them and refreshes its slot map.
 *
 * <p>Pool waits: a pool whose max wait is not positive (commons-pool's default, "wait forever") is
 * given the command timeout as its max wait. With an infinite max wait, a borrower that finds the
 * pool full while another borrower is still opening a connection busy-spins in {@code
 * GenericObjectPool.create} (it never parks, and ignores interrupts). On virtual threads a few such
 * spinners hold every carrier, so the thread opening the connection, and every caller waiting for
 * its command timeout, never runs again: a hang of the whole JVM's virtual threads, seen after a
 * SIGKILL of Redis under load. With a bounded max wait the borrower parks instead, and the
 * cancellation of a command past its deadline (an interrupt) ends its wait.
 */
public final class Commands implements AutoCloseable {
  private final UnifiedJedis client;
  private final Duration timeout;
  private final long timeoutNanos;
  private final int timeoutMillis;
  private final CircuitBreaker breaker;
  private final TierCounters counters;
  private final ExecutorService workers =
      Executors.newThreadPerTaskExecutor(
          Thread.ofVirtual().name("loomcache-redis-command-", 0).factory());

  /** Runs commands on {@code client}, each bounded by {@code timeout}, through {@code breaker}. */
  public Commands(
      UnifiedJedis client, Duration timeout, CircuitBreaker breaker, TierCounters counters) {
    this.client = client;
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
    this.timeoutMillis = Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE);
    this.breaker = breaker;
    this.counters = counters;
    boundPoolWaits();
  }

  /**
   * Runs a command on {@code key} unless the breaker is open; parks the calling thread at most
   * about the command timeout.
   *
   * @param direct the command, for the direct path
   * @param viaClient the same command through the client, for the hand-off path
   * @throws RedisTierException if the breaker is open, or the command failed, timed out or was
   *     interrupted (then the interrupt status is set)
   */
  public <T> T call(
      String operation, byte[] key, CommandObject<T> direct, Function<UnifiedJedis, T> viaClient) {
    checkBreaker(operation);
    Connection connection = breaker.hasFailures() ? null : directConnection(key);
    if (connection == null) {
      return handOff(operation, viaClient);
    }
    return runDirect(operation, connection, direct, viaClient);
  }

  /**
   * Runs a command that is not about one key (SCAN, PUBLISH, multi-key UNLINK) by hand-off, unless
   * the breaker is open.
   *
   * @throws RedisTierException as {@link #call(String, byte[], CommandObject, Function)}
   */
  public <T> T call(String operation, Function<UnifiedJedis, T> command) {
    checkBreaker(operation);
    return handOff(operation, command);
  }

  /** Whether the client is a Redis Cluster client (scripts may then touch one hash slot only). */
  public boolean isCluster() {
    return client instanceof RedisClusterClient;
  }

  /** Runs {@code command} even while the breaker is open; for probes. */
  <T> T probe(String operation, Function<UnifiedJedis, T> command) {
    return handOff(operation, command);
  }

  /**
   * Closes the client's idle pooled connections: after an outage they may be dead (a restarted
   * Redis), and each would fail one command before the pool noticed. Connections in use are left
   * alone. Called by recovery, before the breaker closes; may block on closing sockets.
   */
  void dropIdleConnections() {
    boundPoolWaits(); // a cluster may have new nodes, with new pools
    try {
      switch (client) {
        case RedisClient standalone -> standalone.getPool().clear();
        case RedisClusterClient cluster -> cluster.getClusterNodes().values().forEach(Pool::clear);
        default -> {}
      }
    } catch (RuntimeException e) {
      LoggerFactory.getLogger("dev.loomcache.redis").debug("Could not drop idle connections", e);
    }
  }

  /**
   * Gives each pool of the client that would wait forever for a connection the command timeout as
   * its max wait (see the class comment); pools with a positive max wait are left alone. Cheap, no
   * I/O; called at construction, after timeouts and by recovery (a cluster's new nodes get new
   * pools, made from the client's pool configuration).
   */
  private void boundPoolWaits() {
    try {
      switch (client) {
        case RedisClient standalone -> boundWait(standalone.getPool(), "standalone");
        case RedisClusterClient cluster ->
            cluster.getClusterNodes().forEach((node, pool) -> boundWait(pool, node));
        default -> {}
      }
    } catch (RuntimeException e) {
      LoggerFactory.getLogger("dev.loomcache.redis")
          .debug("Could not bound the pool's max wait", e);
    }
  }

  private void boundWait(Pool<?> pool, String node) {
    if (!pool.getMaxWaitDuration().isPositive()) {
      pool.setMaxWait(timeout);
      LoggerFactory.getLogger("dev.loomcache.redis")
          .info(
              "The Redis client's connection pool ({}) waited forever for a connection; its max wait is"
                  + " now the tier's command timeout, {} (set the pool's maxWait to choose another)",
              node,
              timeout);
    }
  }

  private void checkBreaker(String operation) {
    if (breaker.isOpen()) {
      counters.skippedCommands.increment();
      throw RedisTierException.circuitOpen(operation);
    }
  }

  private @Nullable Connection directConnection(byte[] key) {
    try {
      return switch (client) {
        case RedisClient standalone ->
            standalone.getPool().getNumIdle() > 0 ? standalone.getPool().getResource() : null;
        case RedisClusterClient cluster ->
            cluster.getConnectionFromSlot(JedisClusterCRC16.getSlot(key));
        default -> null;
      };
    } catch (RuntimeException e) {
      return null; // no connection at hand: the hand-off path opens one under the deadline
    }
  }

  private <T> T runDirect(
      String operation,
      Connection connection,
      CommandObject<T> command,
      Function<UnifiedJedis, T> viaClient) {
    try {
      int previous = connection.getSoTimeout();
      connection.setSoTimeout(timeoutMillis);
      T result;
      try {
        result = connection.executeCommand(command);
      } finally {
        if (!connection.isBroken()) {
          connection.setSoTimeout(previous);
        }
      }
      breaker.recordSuccess();
      return result;
    } catch (JedisMovedDataException | JedisAskDataException e) {
      // The slot moved: fall through to the client, which follows the redirection.
    } catch (RuntimeException e) {
      throw failed(operation, e);
    } finally {
      if (connection.isBroken()) {
        // Destroying it may open a replacement (commons-pool does, for waiting borrowers), whose
        // handshake runs under the client's timeouts: not on the caller's thread.
        releaseLater(connection);
      } else {
        release(connection);
      }
    }
    return handOff(operation, viaClient);
  }

  /** Returns {@code connection} to its pool (a broken one is destroyed); never throws. */
  private static void release(Connection connection) {
    try {
      connection.close();
    } catch (RuntimeException e) {
      LoggerFactory.getLogger("dev.loomcache.redis")
          .debug("Could not return a connection to its pool", e);
    }
  }

  private void releaseLater(Connection connection) {
    try {
      workers.execute(() -> release(connection));
    } catch (RejectedExecutionException e) {
      release(connection); // closing: nobody waits for a replacement any more
    }
  }

  private <T> T handOff(String operation, Function<UnifiedJedis, T> command) {
    Future<T> future;
    try {
      future = workers.submit(() -> command.apply(client));
    } catch (RejectedExecutionException e) {
      throw new RedisTierException("The Redis tier is closed; skipped " + operation, e);
    }
    try {
      T result = future.get(timeoutNanos, TimeUnit.NANOSECONDS);
      breaker.recordSuccess();
      return result;
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timedOut(operation);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw failed(operation, Objects.requireNonNullElse(e.getCause(), e));
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new RedisTierException("Interrupted while waiting for Redis " + operation, e);
    }
  }

  private RedisTierException timedOut(String operation) {
    boundPoolWaits();
    counters.commandTimeouts.increment();
    breaker.recordFailure();
    return new RedisTierException("Redis did not answer " + operation + " within " + timeout, null);
  }

  /** Classifies a command's failure for the breaker and wraps it. */
  private RedisTierException failed(String operation, Throwable cause) {
    if (cause instanceof JedisDataException && !(cause instanceof JedisBusyException)) {
      breaker.recordSuccess(); // Redis answered, with an error reply: it is up
    } else if (cause instanceof JedisConnectionException
        && cause.getCause() instanceof SocketTimeoutException) {
      return timedOut(operation);
    } else if (Thread.currentThread().isInterrupted()) {
      return new RedisTierException(
          "Interrupted during Redis " + operation, cause); // not Redis's fault
    } else {
      counters.commandFailures.increment();
      breaker.recordFailure();
    }
    return new RedisTierException("Redis " + operation + " failed: " + cause, cause);
  }

  /** Interrupts commands still running (closing their sockets) and refuses new ones. */
  @Override
  public void close() {
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(
          timeoutNanos + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS)) {
        LoggerFactory.getLogger("dev.loomcache.redis")
            .warn(
                "Redis commands did not stop within {} of being interrupted",
                timeout.plusSeconds(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
