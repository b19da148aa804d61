package dev.loomcache.internal;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How long a value is stored: {@link #NOT_STORED} (returned and shared with waiters, never stored),
 * a finite number of nanoseconds, or {@link #NEVER} (no expiry). One value type instead of a {@code
 * long} with two magic numbers. A TTL may carry the {@link FreshPolicy} of its store ({@link
 * #withFreshness}), so that every path that stores builds the same freshness entry.
 */
public final class Ttl {
  /** Do not store: what {@code Duration.ZERO} means. */
  public static final Ttl NOT_STORED = new Ttl(0);

  /** Store without expiry: what {@code Loomcache.NO_EXPIRY} (or any longer duration) means. */
  public static final Ttl NEVER = new Ttl(Long.MAX_VALUE);

  private static final Duration LONGEST_FINITE = Duration.ofNanos(Long.MAX_VALUE - 1);

  private final long nanos;
  private final @Nullable FreshPolicy freshness;

  private Ttl(long nanos) {
    this(nanos, null);
  }

  private Ttl(long nanos, @Nullable FreshPolicy freshness) {
    this.nanos = nanos;
    this.freshness = freshness;
  }

  /** This TTL, storing under {@code policy}'s freshness options. */
  public Ttl withFreshness(FreshPolicy policy) {
    return new Ttl(nanos, Objects.requireNonNull(policy, "policy"));
  }

  /** The freshness options of stores with this TTL, or null for a plain store. */
  public @Nullable FreshPolicy freshness() {
    return freshness;
  }

  /**
   * Converts a caller's duration: zero is {@link #NOT_STORED}, anything too long to count in
   * nanoseconds is {@link #NEVER}.
   *
   * @throws NullPointerException naming {@code parameter} if {@code ttl} is null
   * @throws IllegalArgumentException naming {@code parameter} if {@code ttl} is negative
   */
  public static Ttl of(Duration ttl, String parameter) {
    Objects.requireNonNull(ttl, () -> parameter + " must not be null");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException(parameter + " must not be negative, but was " + ttl);
    }
    if (ttl.isZero()) {
      return NOT_STORED;
    }
    return ttl.compareTo(LONGEST_FINITE) > 0 ? NEVER : new Ttl(ttl.toNanos());
  }

  /** A finite TTL of {@code nanos} (at least 1), or {@link #NEVER} for {@code Long.MAX_VALUE}. */
  public static Ttl ofNanos(long nanos) {
    if (nanos <= 0) {
      return NOT_STORED;
    }
    return nanos == Long.MAX_VALUE ? NEVER : new Ttl(nanos);
  }

  /** Whether a value with this TTL is stored at all. */
  public boolean stores() {
    return nanos > 0;
  }

  /** Whether it never expires. */
  public boolean isNever() {
    return nanos == Long.MAX_VALUE;
  }

  /**
   * The TTL in nanoseconds: 0 for {@link #NOT_STORED}, {@code Long.MAX_VALUE} for {@link #NEVER}.
   */
  public long nanos() {
    return nanos;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ttl other && other.nanos == nanos && other.freshness == freshness;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(nanos);
  }

  @Override
  public String toString() {
    return isNever()
        ? "Ttl[never]"
        : nanos == 0 ? "Ttl[not stored]" : "Ttl[" + Duration.ofNanos(nanos) + "]";
  }
}
