package dev.loomcache.internal;

import dev.loomcache.Ticker;
import java.time.Duration;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/**
 * The freshness options in effect for a store, resolved to nanoseconds, with the clock and random
 * source that turn them into an entry's deadlines. It travels with the {@link Ttl} of a store
 * ({@link Ttl#freshness()}), so every path that stores — {@code get}, {@code getAll}, batchers,
 * warmup, {@code put}, refreshes — builds the same entry without knowing about freshness.
 */
public final class FreshPolicy {
  final long refreshAfterNanos; // 0: off
  final double beta; // 0: off
  final long staleIfErrorNanos; // 0: off
  final long negativeTtlNanos; // 0: off
  final double jitter; // 0: off
  final long hitBudget; // -1: off
  final @Nullable BiPredicate<Object, Duration> cacheIf;
  private final Ticker clock;
  private final RandomSource random;
  private final boolean wraps;

  @SuppressWarnings("unchecked")
  public FreshPolicy(
      long refreshAfterNanos,
      double beta,
      long staleIfErrorNanos,
      long negativeTtlNanos,
      double jitter,
      long hitBudget,
      @Nullable BiPredicate<?, Duration> cacheIf,
      Ticker clock,
      RandomSource random) {
    this.refreshAfterNanos = refreshAfterNanos;
    this.beta = beta;
    this.staleIfErrorNanos = staleIfErrorNanos;
    this.negativeTtlNanos = negativeTtlNanos;
    this.jitter = jitter;
    this.hitBudget = hitBudget;
    this.cacheIf = (BiPredicate<Object, Duration>) cacheIf;
    this.clock = clock;
    this.random = random;
    this.wraps =
        refreshAfterNanos > 0
            || beta > 0
            || staleIfErrorNanos > 0
            || negativeTtlNanos > 0
            || hitBudget > 0;
  }

  /** Whether entries stored under this policy are {@link FreshEntry} wrappers. */
  public boolean wraps() {
    return wraps;
  }

  /** The refresh-ahead delay in nanoseconds; 0 when off. */
  public long refreshAfterNanos() {
    return refreshAfterNanos;
  }

  /** The clock the deadlines are read on. */
  public Ticker clock() {
    return clock;
  }

  RandomSource random() {
    return random;
  }

  /** A copy with the given options replaced; each argument null keeps this policy's. */
  @SuppressWarnings("unchecked")
  public FreshPolicy with(
      @Nullable Long refreshAfter,
      @Nullable Double beta,
      @Nullable Long staleIfError,
      @Nullable Long negativeTtl,
      @Nullable Double jitter,
      @Nullable Long hitBudget,
      @Nullable BiPredicate<?, Duration> cacheIf) {
    return new FreshPolicy(
        refreshAfter != null ? refreshAfter : refreshAfterNanos,
        beta != null ? beta : this.beta,
        staleIfError != null ? staleIfError : staleIfErrorNanos,
        negativeTtl != null ? negativeTtl : negativeTtlNanos,
        jitter != null ? jitter : this.jitter,
        hitBudget != null ? hitBudget : this.hitBudget,
        cacheIf != null ? (BiPredicate<Object, Duration>) cacheIf : this.cacheIf,
        clock,
        random);
  }

  /**
   * What to store for a value (or a {@code null}) under this policy with {@code ttl}, or null to
   * store nothing: a {@code null} without {@code negativeTtl}, a load that {@code cacheIf} rejects,
   * or a TTL that stores nothing.
   *
   * @param loadNanos the measured load duration, or -1 for a value that was not loaded (a put, a
   *     promotion from a tier): {@code cacheIf} is then not asked, and XFetch has no Δ
   */
  @Nullable Stored store(@Nullable Object value, long loadNanos, Ttl ttl) {
    if (value == null) {
      if (negativeTtlNanos <= 0 || !ttl.stores()) {
        return null;
      }
      Ttl absent = Ttl.ofNanos(negativeTtlNanos);
      long now = clock.read();
      var entry =
          new FreshEntry(
              null, Long.MAX_VALUE, now + negativeTtlNanos, false, 0, Math.max(0, loadNanos), -1);
      return new Stored(entry, absent, absent);
    }
    if (cacheIf != null && loadNanos >= 0 && !cacheIf.test(value, Duration.ofNanos(loadNanos))) {
      return null;
    }
    Ttl stored = jittered(ttl);
    if (!stored.stores()) {
      return null;
    }
    if (!wraps) {
      return new Stored(value, stored, stored);
    }
    long now = clock.read();
    long expireAt = stored.isNever() ? Long.MAX_VALUE : now + stored.nanos();
    long refreshAt = refreshAfterNanos > 0 ? now + refreshAfterNanos : Long.MAX_VALUE;
    Ttl inL1 = stored;
    if (staleIfErrorNanos > 0 && !stored.isNever()) {
      long total = stored.nanos() + staleIfErrorNanos;
      inL1 = Ttl.ofNanos(total < 0 ? Long.MAX_VALUE : total);
    }
    long delta = Math.max(0, loadNanos);
    var entry =
        new FreshEntry(
            value, refreshAt, expireAt, staleIfErrorNanos > 0, beta * delta, delta, hitBudget);
    return new Stored(entry, inL1, stored);
  }

  /** {@code ttl·(1 − f·U)} for a finite TTL, at least one nanosecond; never-expiring stays so. */
  Ttl jittered(Ttl ttl) {
    if (jitter <= 0 || !ttl.stores() || ttl.isNever()) {
      return ttl;
    }
    long nanos = (long) (ttl.nanos() * (1.0 - jitter * random.nextUnit()));
    return Ttl.ofNanos(Math.max(1, nanos));
  }

  /**
   * What a store puts in L1 ({@code entry} for {@code inL1}) and in the tiers (the raw value for
   * {@code inTiers}, the TTL without the stale grace).
   */
  record Stored(Object entry, Ttl inL1, Ttl inTiers) {}
}
