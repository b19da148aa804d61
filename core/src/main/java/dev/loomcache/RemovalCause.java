package dev.loomcache;

/**
 * Why an entry left L1, as reported to a {@link RemovalListener}.
 *
 * <p>There is no {@code COLLECTED}: Loomcache holds keys and values strongly (no weak or soft
 * references), so the garbage collector never removes an entry.
 */
public enum RemovalCause {
  /**
   * Removed by {@code invalidate}, {@code invalidateAll}, a removal through {@link Cache#asMap()},
   * or an invalidation by another instance through a shared tier.
   */
  EXPLICIT,
  /** Its value was replaced by a {@code put} (or a map view's write) of the same key. */
  REPLACED,
  /** Its TTL or its {@code expireAfterAccess} idle time passed. */
  EXPIRED,
  /** Evicted because the cache was over its {@code maximumSize} or {@code maximumWeight}. */
  SIZE;

  /** Whether the cache removed the entry by itself ({@link #EXPIRED} or {@link #SIZE}). */
  public boolean wasEvicted() {
    return this == EXPIRED || this == SIZE;
  }
}
