package dev.loomcache.spi;

/**
 * The freshness deadlines of a stored value, kept by a tier with the value's bytes so that the
 * instance that promotes the value to its L1 — after an eviction, after a restart, or another
 * instance sharing the tier — keeps the writer's refresh point, stale window and hit budget instead
 * of starting new ones. All deadlines are absolute epoch milliseconds, read on the writer's wall
 * clock: instances whose clocks disagree by {@code s} see each deadline {@code s} early or late.
 *
 * <p>A tier that keeps this (see {@link CacheTier#keepsFreshness()}) stores every field and returns
 * an equal object from {@link CacheTier#read}; it keeps the value until {@link
 * StoredValue#retainUntilEpochMillis()}, which may be later than its expiry. A tier that ignores it
 * loses only the freshness options of its values: they are read back as plain values expiring at
 * {@link StoredValue#expiresAtEpochMillis()}.
 */
public final class StoredFreshness {
  /** A deadline that never comes. */
  public static final long NEVER = Long.MAX_VALUE;

  private final long refreshAtEpochMillis;
  private final long staleUntilEpochMillis;
  private final long loadNanos;
  private final double earlyRefreshBeta;
  private final long hitBudget;
  private final boolean absent;

  private StoredFreshness(
      long refreshAtEpochMillis,
      long staleUntilEpochMillis,
      long loadNanos,
      double earlyRefreshBeta,
      long hitBudget,
      boolean absent) {
    this.refreshAtEpochMillis = refreshAtEpochMillis;
    this.staleUntilEpochMillis = staleUntilEpochMillis;
    this.loadNanos = loadNanos;
    this.earlyRefreshBeta = earlyRefreshBeta;
    this.hitBudget = hitBudget;
    this.absent = absent;
  }

  /**
   * Returns the freshness of a stored value.
   *
   * @param refreshAtEpochMillis from then on, a hit reloads the value in the background ({@code
   *     refreshAfter}); {@link #NEVER} for none
   * @param staleUntilEpochMillis until then, past its expiry, the value stands in for a failed
   *     reload ({@code staleIfError}); 0 for no stale window
   * @param loadNanos the measured duration of the load that produced the value (XFetch's Δ); 0 if
   *     unknown
   * @param earlyRefreshBeta XFetch's beta ({@code earlyRefresh}); 0 for off
   * @param hitBudget the hits the value may serve in one instance ({@code expireAfterHits}); -1 for
   *     no budget
   * @param absent whether the value is a remembered absence ({@code negativeTtl}): its bytes are
   *     then empty and mean nothing
   * @throws IllegalArgumentException if {@code loadNanos} is negative, {@code earlyRefreshBeta} is
   *     negative or not finite, or {@code hitBudget} is below -1
   */
  public static StoredFreshness of(
      long refreshAtEpochMillis,
      long staleUntilEpochMillis,
      long loadNanos,
      double earlyRefreshBeta,
      long hitBudget,
      boolean absent) {
    if (loadNanos < 0) {
      throw new IllegalArgumentException("loadNanos must not be negative, but was " + loadNanos);
    }
    if (!(earlyRefreshBeta >= 0) || Double.isInfinite(earlyRefreshBeta)) {
      throw new IllegalArgumentException(
          "earlyRefreshBeta must be finite and not negative, but was " + earlyRefreshBeta);
    }
    if (hitBudget < -1) {
      throw new IllegalArgumentException(
          "hitBudget must be -1 (no budget) or more, but was " + hitBudget);
    }
    return new StoredFreshness(
        refreshAtEpochMillis,
        staleUntilEpochMillis,
        loadNanos,
        earlyRefreshBeta,
        hitBudget,
        absent);
  }

  /** From this epoch millisecond on, a hit reloads the value; {@link #NEVER} for none. */
  public long refreshAtEpochMillis() {
    return refreshAtEpochMillis;
  }

  /** Until this epoch millisecond the value may stand in for a failed reload; 0 for no window. */
  public long staleUntilEpochMillis() {
    return staleUntilEpochMillis;
  }

  /** Whether the value has a stale-if-error window. */
  public boolean hasStaleWindow() {
    return staleUntilEpochMillis != 0;
  }

  /** The measured load duration in nanoseconds (XFetch's Δ); 0 if unknown. */
  public long loadNanos() {
    return loadNanos;
  }

  /** XFetch's beta; 0 for off. */
  public double earlyRefreshBeta() {
    return earlyRefreshBeta;
  }

  /** The hits the value may serve in one instance; -1 for no budget. */
  public long hitBudget() {
    return hitBudget;
  }

  /** Whether the value is a remembered absence (its bytes are empty and mean nothing). */
  public boolean absent() {
    return absent;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredFreshness other
        && refreshAtEpochMillis == other.refreshAtEpochMillis
        && staleUntilEpochMillis == other.staleUntilEpochMillis
        && loadNanos == other.loadNanos
        && Double.compare(earlyRefreshBeta, other.earlyRefreshBeta) == 0
        && hitBudget == other.hitBudget
        && absent == other.absent;
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(refreshAtEpochMillis);
    h = 31 * h + Long.hashCode(staleUntilEpochMillis);
    h = 31 * h + Long.hashCode(loadNanos);
    h = 31 * h + Double.hashCode(earlyRefreshBeta);
    h = 31 * h + Long.hashCode(hitBudget);
    return 31 * h + Boolean.hashCode(absent);
  }

  @Override
  public String toString() {
    return "StoredFreshness{"
        + (absent ? "absent, " : "")
        + "refreshAt="
        + (refreshAtEpochMillis == NEVER ? "never" : refreshAtEpochMillis)
        + (hasStaleWindow() ? ", staleUntil=" + staleUntilEpochMillis : "")
        + ", loadNanos="
        + loadNanos
        + (earlyRefreshBeta > 0 ? ", beta=" + earlyRefreshBeta : "")
        + (hitBudget >= 0 ? ", hitBudget=" + hitBudget : "")
        + '}';
  }
}
