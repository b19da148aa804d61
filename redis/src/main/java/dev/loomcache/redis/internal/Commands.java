package dev.loomcache.redis.internal;

import dev.loomcache.redis.RedisTierException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Runs Redis commands with a deadline and through the circuit breaker.
 *
 * <p>Design note: Jedis bounds a command only by the client's socket timeout, and the client belongs
 * to the user (it may be shared with code that wants long timeouts). So each command runs on a fresh
 * virtual thread owned by the tier, and the caller waits at most the command timeout. A command past
 * its deadline is cancelled by interrupting its thread, which closes its socket (socket I/O on a
 * virtual thread is interruptible), so a stalled Redis does not keep pool connections either. The
 * hand-off costs a few microseconds per command; the README gives the measured ratio.
 */
public final class Commands implements AutoCloseable {
  private final UnifiedJedis client;
  private final Duration timeout;
  private final long timeoutNanos;
  private final CircuitBreaker breaker;
  private final TierCounters counters;
  private final ExecutorService workers =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("loomcache-redis-command-", 0).factory());

  public Commands(UnifiedJedis client, Duration timeout, CircuitBreaker breaker, TierCounters counters) {
    this.client = client;
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
    this.breaker = breaker;
    this.counters = counters;
  }

  /**
   * Runs {@code command} unless the breaker is open; parks the calling thread at most the command
   * timeout.
   *
   * @throws RedisTierException if the breaker is open, or the command failed, timed out or was
   *     interrupted (then the interrupt status is restored)
   */
  public <T> T call(String operation, Function<UnifiedJedis, T> command) {
    if (breaker.isOpen()) {
      counters.skippedCommands.increment();
      throw RedisTierException.circuitOpen(operation);
    }
    return run(operation, command);
  }

  /** Runs {@code command} even while the breaker is open; for probes. */
  <T> T probe(String operation, Function<UnifiedJedis, T> command) {
    return run(operation, command);
  }

  private <T> T run(String operation, Function<UnifiedJedis, T> command) {
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
      counters.commandTimeouts.increment();
      breaker.recordFailure();
      throw new RedisTierException("Redis did not answer " + operation + " within " + timeout, null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error error) {
        throw error;
      }
      if (cause instanceof JedisDataException && !(cause instanceof JedisBusyException)) {
        breaker.recordSuccess(); // Redis answered, with an error reply: it is up
      } else {
        counters.commandFailures.increment();
        breaker.recordFailure();
      }
      throw new RedisTierException("Redis " + operation + " failed: " + cause, cause);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new RedisTierException("Interrupted while waiting for Redis " + operation, e);
    }
  }

  /** Interrupts commands still running (closing their sockets) and refuses new ones. */
  @Override
  public void close() {
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(timeoutNanos + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS)) {
        LoggerFactory.getLogger(Commands.class)
            .warn("Redis commands did not stop within {} of being interrupted", timeout.plusSeconds(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
