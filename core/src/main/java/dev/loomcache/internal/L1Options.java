package dev.loomcache.internal;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.loomcache.RemovalCause;
import dev.loomcache.Weigher;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The L1 options a Caffeine user expects, beyond the entry-count bound: a weight bound with its
 * weigher, sliding idle expiry, and where removals are reported. Kept apart from {@link L1Store}'s
 * layouts so that each option is configured in one place.
 *
 * <p>Design note. The weigher and the eviction listener see what L1 stores, which may be a deadline
 * wrapper around the user's value; both unwrap it ({@link L1Store#unwrap}). Caffeine's eviction
 * listener runs inside Caffeine's lock on the entry, so it only hands the notification to the
 * {@link RemovalDispatcher}'s queue. It is installed only when the user set a removal listener: a
 * cache without one is built exactly as before.
 *
 * @param maximumSize the entry-count bound; ignored when {@code weigher} is set
 * @param maximumWeight the weight bound, with {@code weigher}
 * @param accessNanos the idle time after which an unread entry expires; 0 for none
 */
public record L1Options<K, V>(
    long maximumSize,
    long maximumWeight,
    @Nullable Weigher<? super K, ? super V> weigher,
    long accessNanos,
    @Nullable RemovalDispatcher<K, V> removals) {

  /** Bounded by {@code maximumSize} entries, nothing else. */
  public static <K, V> L1Options<K, V> bySize(long maximumSize) {
    return new L1Options<>(maximumSize, -1, null, 0, null);
  }

  /** Whether L1 uses Caffeine's fixed access expiry (the access layout). */
  boolean expiresAfterAccess() {
    return accessNanos > 0;
  }

  /** The configured bound, in entries or in weight; zero stores nothing. */
  long bound() {
    return weigher == null ? maximumSize : maximumWeight;
  }

  /** Sets the bound (and weigher) and the eviction listener on {@code builder}. */
  @SuppressWarnings("unchecked")
  void configure(Caffeine<Object, Object> builder, StatsCounter stats) {
    Weigher<? super K, ? super V> userWeigher = weigher;
    if (userWeigher == null) {
      builder.maximumSize(maximumSize);
    } else {
      builder
          .maximumWeight(maximumWeight)
          .weigher((Object key, Object stored) -> {
            Object value = L1Store.unwrap(stored);
            // A remembered absence (negativeTtl) has no user value to weigh: it weighs 1.
            int weight = value == null ? 1 : userWeigher.weigh((K) key, (V) value);
            if (weight < 0) {
              throw new IllegalArgumentException(
                  "The weigher returned "
                      + weight
                      + " for key '"
                      + key
                      + "'; weights must be zero or more");
            }
            return weight;
          });
    }
    // Evictions are counted by a listener, not through Caffeine's statistics: with recordStats
    // every L1 read also runs Caffeine's guarded hit counter, which made the compiled read too big
    // for the JIT to inline into the hit path (see L1Store.reads()).
    RemovalDispatcher<K, V> sink = removals;
    builder.evictionListener(
        (@Nullable Object key,
            @Nullable Object stored,
            com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
          stats.recordEviction();
          Object value = stored == null ? null : L1Store.unwrap(stored);
          // null only for collected entries (never here) and remembered absences (not user
          // values)
          if (sink != null && key != null && value != null) {
            sink.removed(
                (K) key,
                (V) value,
                cause == com.github.benmanes.caffeine.cache.RemovalCause.EXPIRED
                    ? RemovalCause.EXPIRED
                    : RemovalCause.SIZE);
          }
        });
    if (accessNanos > 0) {
      builder.expireAfterAccess(Duration.ofNanos(accessNanos));
    }
  }
}
