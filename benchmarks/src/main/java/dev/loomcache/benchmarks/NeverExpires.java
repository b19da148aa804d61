package dev.loomcache.benchmarks;

import com.github.benmanes.caffeine.cache.Expiry;

/**
 * A Caffeine per-entry expiry that keeps entries forever: the configuration of a cache that
 * supports a TTL per entry (as Loomcache always does) when none is set.
 */
final class NeverExpires<K, V> implements Expiry<K, V> {
  @Override
  public long expireAfterCreate(K key, V value, long currentTime) {
    return Long.MAX_VALUE;
  }

  @Override
  public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration) {
    return currentDuration;
  }

  @Override
  public long expireAfterRead(K key, V value, long currentTime, long currentDuration) {
    return currentDuration;
  }
}
