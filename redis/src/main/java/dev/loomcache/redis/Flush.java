package dev.loomcache.redis;

import static java.util.Objects.requireNonNull;

import dev.loomcache.redis.internal.Acknowledgements;
import java.time.Duration;

/**
 * An {@link RedisTier#invalidateAll()} that was sent: how many other instances it reached, and a
 * way to wait for them to confirm that they dropped their L1 (a deploy-time flush). Each confirming
 * instance has cleared its L1 and superseded its loads in flight before it confirmed.
 */
public final class Flush {
  private final Acknowledgements.Request request;
  private final long reached;

  Flush(Acknowledgements.Request request, long reached) {
    this.request = request;
    this.reached = reached;
  }

  /**
   * How many other subscribers the message reached, as Redis counted them when it was published (on
   * a cluster with classic pub/sub, only those connected to the node that ran it).
   */
  public long reachedCount() {
    return reached;
  }

  /** How many other instances have confirmed so far; never blocks. */
  public int acknowledgedCount() {
    return request.count();
  }

  /**
   * Parks the calling thread until every instance the message reached has confirmed, or {@code
   * timeout} passes, and returns how many confirmed. If interrupted, returns at once with the
   * interrupt status set.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public int awaitAcknowledgement(Duration timeout) {
    requireNonNull(timeout, "timeout must not be null");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, but was " + timeout);
    }
    return request.await(reached, timeout);
  }

  @Override
  public String toString() {
    return "Flush{reached=" + reached + ", acknowledged=" + acknowledgedCount() + '}';
  }
}
