package dev.loomcache.jcache.internal;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import org.jspecify.annotations.Nullable;

/**
 * Turns a cache's {@link ExpiryPolicy} into deadlines on the ticker's nanosecond clock.
 *
 * <p>Times are nanoseconds since the cache was created, plus one (so every time is positive). A
 * deadline is {@link #NEVER} for an eternal entry and {@link #NOW} for an entry that is expired at
 * once (a zero duration). {@link #UNCHANGED} is what an update or an access returns when the policy
 * gives {@code null}: keep the deadline the entry has. A policy that throws is logged and treated
 * as returning {@code null}, as the specification asks for.
 */
final class Expiry {
  static final long NEVER = Long.MAX_VALUE;
  static final long NOW = 0;
  static final long UNCHANGED = -1;

  private static final System.Logger LOG = System.getLogger(Expiry.class.getName());

  private final ExpiryPolicy policy;

  Expiry(ExpiryPolicy policy) {
    this.policy = requireNonNull(policy);
  }

  ExpiryPolicy policy() {
    return policy;
  }

  /** The deadline of an entry created at {@code now}; never {@link #UNCHANGED}. */
  long forCreation(long now) {
    long deadline = deadline(policy::getExpiryForCreation, now);
    return deadline == UNCHANGED ? NEVER : deadline;
  }

  /** The deadline of an entry updated at {@code now}, or {@link #UNCHANGED}. */
  long forUpdate(long now) {
    return deadline(policy::getExpiryForUpdate, now);
  }

  /** The deadline of an entry read at {@code now}, or {@link #UNCHANGED}. */
  long forAccess(long now) {
    return deadline(policy::getExpiryForAccess, now);
  }

  static boolean isExpired(long deadline, long now) {
    return deadline != NEVER && now >= deadline;
  }

  private static long deadline(Supplier<@Nullable Duration> policyCall, long now) {
    Duration duration;
    try {
      duration = policyCall.get();
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING, "The expiry policy failed; keeping the entry's expiry", e);
      return UNCHANGED;
    }
    if (duration == null) {
      return UNCHANGED;
    }
    if (duration.isEternal()) {
      return NEVER;
    }
    if (duration.isZero()) {
      return NOW;
    }
    long nanos = duration.getTimeUnit().toNanos(duration.getDurationAmount());
    long deadline = now + nanos;
    return deadline < 0 || deadline == NEVER ? NEVER - 1 : deadline; // saturate
  }
}
