package dev.loomcache.spi;

import org.jspecify.annotations.Nullable;

/**
 * A lower cache tier below L1, read on an L1 miss before the loader runs, in the order the tiers
 * were configured. Implementations must be thread-safe. Each call may block on I/O: the cache calls
 * tiers only outside its locks, from the caller's (or its own) virtual threads.
 *
 * <p>Failures: a tier may throw any runtime exception; the cache counts it, logs it (rate-limited)
 * and carries on without the tier for that call. A failing tier never fails a cache read.
 */
public interface CacheTier extends AutoCloseable {

  /** A short name for statistics, meters and logs, e.g. {@code "chronicle"} or {@code "redis"}. */
  String name();

  /** Returns the value stored under {@code key}, or null; may return an expired value. */
  @Nullable StoredValue read(String key);

  /**
   * Reads {@code key} for the owner of a load: the cache missed L1, no other caller in this process
   * is loading the key, and if this returns null the caller runs its loader and then calls {@link
   * #loadFinished}. Only the owner of a load calls it, so a tier that coordinates loads across
   * instances (a distributed lease, say) does it here, and may wait for another instance's load.
   * {@code getIfPresent} calls {@link #read} instead, which must never take part in such a
   * protocol. The default reads.
   */
  default @Nullable StoredValue readForLoad(String key) {
    return read(key);
  }

  /**
   * Called once after a load that began with a {@link #readForLoad} returning null has ended,
   * whatever its outcome, after its value (if any) was written. A tier releases here what {@code
   * readForLoad} took. The default does nothing.
   */
  default void loadFinished(String key) {}

  /**
   * Whether this tier keeps {@link StoredValue#freshness()} with the value and returns it from
   * {@link #read}, and keeps the value until {@link StoredValue#retainUntilEpochMillis()}. Only
   * such a tier is sent remembered absences ({@link StoredFreshness#absent()}), whose bytes mean
   * nothing to a tier that drops the freshness. Read once, when the cache is built. The default is
   * false: the tier's values are promoted with their remaining TTL only.
   */
  default boolean keepsFreshness() {
    return false;
  }

  /** Stores {@code value} under {@code key}, replacing any value. */
  void write(String key, StoredValue value);

  /** Removes {@code key}; a no-op if absent. */
  void delete(String key);

  /** Removes every key of this cache (never keys that belong to anything else). */
  void clear();

  /**
   * Removes every entry written with {@code tag} among its {@linkplain StoredValue#tags() tags},
   * and tells other instances sharing this tier to drop their local copies of them. Called by
   * {@code Cache.invalidateTag}, after the cache dropped its own L1 copies. A tier that keeps no
   * tag index must still remove at least those entries: the default clears the tier, which is
   * correct but removes more.
   */
  default void invalidateTag(String tag) {
    clear();
  }

  /**
   * Removes every entry whose key matches {@code glob}, and tells other instances sharing this tier
   * to drop their matching local copies. Called by {@code Cache.invalidateMatching}. May cost a
   * pass over all of this cache's keys. The default clears the tier, which is correct but removes
   * more.
   */
  default void invalidateMatching(KeyGlob glob) {
    clear();
  }

  /**
   * Registers the cache to hear of invalidations made by other instances sharing this tier; called
   * once, when the cache is built. Tiers that are not shared ignore it.
   */
  default void subscribe(TierListener listener) {}

  /**
   * The longest an entry this tier backs may stay in the cache's L1 before it is read from the tier
   * again, or null for no limit (the default). A tier shared by several instances returns a bound
   * here so that a lost invalidation cannot keep a stale copy in L1 for longer; the cache caps the
   * L1 lifetime of every entry at the smallest bound of its tiers (its TTL in the tiers is
   * unchanged). Read once, when the cache is built.
   */
  default java.time.@Nullable Duration maxLocalLifetime() {
    return null;
  }

  /** Flushes pending writes and releases resources. Called once, by the cache's close. */
  @Override
  void close();
}
