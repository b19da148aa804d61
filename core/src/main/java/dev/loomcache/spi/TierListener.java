package dev.loomcache.spi;

/**
 * Receives invalidations that other instances made through a shared tier (for example over Redis
 * pub/sub), so that this instance drops its L1 copies. Called from the tier's own threads; must not
 * block for long. The cache never writes back to the tier in response.
 */
public interface TierListener {

  /** Another instance changed or removed {@code key}: drop the local copy. */
  void invalidated(String key);

  /**
   * Another instance cleared the cache, or messages may have been missed: drop every local copy.
   */
  void invalidatedAll();

  /**
   * Another instance invalidated every entry tagged {@code tag}: drop the local copies carrying it.
   * The default drops every local copy.
   */
  default void invalidatedTag(String tag) {
    invalidatedAll();
  }

  /**
   * Another instance invalidated every entry whose encoded key matches {@code glob}: drop the
   * matching local copies. The default drops every local copy.
   */
  default void invalidatedMatching(KeyGlob glob) {
    invalidatedAll();
  }
}
