package dev.loomcache.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * What L1 holds for a key when a freshness option applies: the value (or {@code null} for a
 * remembered absence) with its deadlines, all on the L1 clock. Only caches (or calls) with a
 * freshness option store these; the others keep raw values, so their hit path is unchanged.
 *
 * <p>Design note. Every deadline is fixed when the entry is made, from the options in effect for
 * that store, so per-call options need no lookup on a hit. Past {@link #expireAt} the entry is
 * stale: it is kept in L1 only for the stale-if-error grace (L1's own TTL is {@code expireAt} plus
 * the grace) and reads as a miss. The refresh flag is set once per entry with a compare-and-set, so
 * that of many concurrent stale hits exactly one starts a reload; a failed reload clears it, so a
 * later hit may try again. The hit budget is counted down atomically; the hit that takes the last
 * one removes the entry.
 */
public final class FreshEntry extends FreshEntryHead {
  /** Entries whose XFetch probability is below e^-30 skip the random draw. */
  static final double XFETCH_CUTOFF = 30.0;

  private static final VarHandle REFRESHING;
  private static final VarHandle HITS_LEFT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      REFRESHING = lookup.findVarHandle(FreshEntry.class, "refreshing", boolean.class);
      HITS_LEFT = lookup.findVarHandle(FreshEntry.class, "hitsLeft", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** From this clock reading on, a hit starts a reload; {@code Long.MAX_VALUE}: never. */
  final long refreshAt;

  /**
   * From this clock reading on, the value is stale (past its TTL); {@code Long.MAX_VALUE}: never.
   */
  final long expireAt;

  /** Whether a stale value may stand in for a failed load (stale-if-error). */
  final boolean staleIfError;

  /** The measured load duration times XFetch's beta, in nanoseconds; 0 when XFetch is off. */
  final double xfetchScale;

  /** The clock reading from which XFetch may draw (its probability is negligible before). */
  final long xfetchFrom;

  /** The load's measured duration (Δ), in nanoseconds. */
  final long loadNanos;

  private volatile boolean refreshing;
  private volatile long hitsLeft; // -1: no hit budget

  FreshEntry(
      @Nullable Object value,
      long refreshAt,
      long expireAt,
      boolean staleIfError,
      double xfetchScale,
      long loadNanos,
      long hitBudget) {
    this(
        value,
        refreshAt,
        expireAt,
        staleIfError,
        xfetchScale,
        xfetchFrom(xfetchScale, expireAt),
        loadNanos,
        hitBudget);
  }

  private FreshEntry(
      @Nullable Object value,
      long refreshAt,
      long expireAt,
      boolean staleIfError,
      double xfetchScale,
      long xfetchFrom,
      long loadNanos,
      long hitBudget) {
    super(value, earliest(earliest(refreshAt, xfetchFrom), expireAt), hitBudget >= 0);
    this.refreshAt = refreshAt;
    this.expireAt = expireAt;
    this.staleIfError = staleIfError;
    this.xfetchScale = xfetchScale;
    this.loadNanos = loadNanos;
    this.xfetchFrom = xfetchFrom;
    this.hitsLeft = hitBudget;
  }

  /** The clock reading from which XFetch may draw; {@code Long.MAX_VALUE} when it is off. */
  private static long xfetchFrom(double xfetchScale, long expireAt) {
    return xfetchScale > 0 && expireAt != Long.MAX_VALUE
        ? expireAt - (long) Math.min((double) Long.MAX_VALUE / 4, xfetchScale * XFETCH_CUTOFF)
        : Long.MAX_VALUE;
  }

  /** The earlier of two clock readings, {@code Long.MAX_VALUE} standing for "never". */
  private static long earliest(long a, long b) {
    if (a == Long.MAX_VALUE) {
      return b;
    }
    if (b == Long.MAX_VALUE) {
      return a;
    }
    return a - b <= 0 ? a : b;
  }

  /**
   * Whether a hit at {@code now} is a plain read: no deadline reached and no hit budget. The hit
   * path tests this first, so a fresh entry costs one comparison more than a raw value.
   */
  public boolean isQuiet(long now) {
    return !budgeted && (firstDeadline == Long.MAX_VALUE || now - firstDeadline < 0);
  }

  /** The value, or {@code null} for a remembered absence. */
  public @Nullable Object value() {
    return value;
  }

  /** Whether the entry is past its TTL at clock reading {@code now}. */
  public boolean isStale(long now) {
    return expireAt != Long.MAX_VALUE && now - expireAt >= 0;
  }

  /** Whether this entry remembers an absence. */
  public boolean isNegative() {
    return value == null;
  }

  /**
   * Whether a hit at {@code now} should reload: past the refresh point, or chosen by XFetch ({@code
   * now − Δ·beta·ln(U) ≥ expiry}, Vattani et al.) with {@code u} drawn from (0, 1] only when the
   * entry is near its expiry.
   */
  public boolean wantsRefresh(long now, RandomSource random) {
    if (now - refreshAt >= 0 && refreshAt != Long.MAX_VALUE) {
      return true;
    }
    if (now - xfetchFrom >= 0 && xfetchFrom != Long.MAX_VALUE) {
      return now - xfetchScale * Math.log(random.nextUnit()) >= expireAt;
    }
    return false;
  }

  /** Claims this entry's one reload; true for exactly one caller until {@link #refreshEnded}. */
  public boolean tryStartRefresh() {
    return !refreshing && REFRESHING.compareAndSet(this, false, true);
  }

  /** Lets a later hit try again (the reload failed or did not run). */
  public void refreshEnded() {
    refreshing = false;
  }

  /** Whether this entry has a hit budget. */
  public boolean hasHitBudget() {
    return budgeted;
  }

  /**
   * The hits left in this entry's budget, -1 if it has none; its whole budget until its first hit.
   */
  long hitBudget() {
    return budgeted ? hitsLeft : -1;
  }

  /** Whether this entry's hit budget is spent (it is being removed, and reads as a miss). */
  boolean budgetSpent() {
    return budgeted && hitsLeft == 0;
  }

  /**
   * Takes one hit from the budget.
   *
   * @return 0 for a hit that leaves hits remaining, 1 for the hit that spent the budget (it returns
   *     the value and removes the entry), -1 if the budget was already spent (a miss)
   */
  public int takeHit() {
    for (; ; ) {
      long left = hitsLeft;
      if (left <= 0) {
        return -1;
      }
      if (HITS_LEFT.compareAndSet(this, left, left - 1)) {
        return left == 1 ? 1 : 0;
      }
    }
  }

  @Override
  public String toString() {
    return "FreshEntry{"
        + (value == null ? "absent" : "value")
        + ", refreshAt="
        + refreshAt
        + ", expireAt="
        + expireAt
        + '}';
  }
}
