package dev.loomcache.limit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The outcome of one {@link RateLimiter#acquire} call: whether the call may go ahead, how many more
 * the key may make now, and when a denied caller should try again. An immutable value.
 */
public final class RateLimitDecision {
  private final boolean allowed;
  private final long remaining;
  private final Duration retryAfter;

  private RateLimitDecision(boolean allowed, long remaining, Duration retryAfter) {
    this.allowed = allowed;
    this.remaining = remaining;
    this.retryAfter = retryAfter;
  }

  /**
   * An allowed decision with {@code remaining} calls left in the key's current allowance.
   *
   * @throws IllegalArgumentException if {@code remaining} is negative
   */
  public static RateLimitDecision allowed(long remaining) {
    if (remaining < 0) {
      throw new IllegalArgumentException("remaining must not be negative: " + remaining);
    }
    return new RateLimitDecision(true, remaining, Duration.ZERO);
  }

  /**
   * A denied decision: the key may try again after {@code retryAfter} (zero: at once).
   *
   * @throws NullPointerException if {@code retryAfter} is null
   * @throws IllegalArgumentException if {@code retryAfter} is negative
   */
  public static RateLimitDecision denied(Duration retryAfter) {
    requireNonNull(retryAfter, "retryAfter must not be null");
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
    }
    return new RateLimitDecision(false, 0, retryAfter);
  }

  /** Whether the call may go ahead; an allowed decision has used one unit of the key's limit. */
  public boolean allowed() {
    return allowed;
  }

  /** How many more calls the key may make now; 0 when denied. */
  public long remaining() {
    return remaining;
  }

  /**
   * How long a denied caller should wait before the next call can be allowed: the rest of the
   * window or of the ban; {@link Duration#ZERO} when allowed. A lower bound, not a reservation:
   * other callers may use the allowance first.
   */
  public Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RateLimitDecision d
        && allowed == d.allowed
        && remaining == d.remaining
        && retryAfter.equals(d.retryAfter);
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(allowed) * 31 * 31
        + Long.hashCode(remaining) * 31
        + retryAfter.hashCode();
  }

  @Override
  public String toString() {
    return allowed
        ? "RateLimitDecision[allowed, remaining=" + remaining + "]"
        : "RateLimitDecision[denied, retryAfter=" + retryAfter + "]";
  }
}
