package dev.loomcache.jcache.internal;

import org.jspecify.annotations.Nullable;

/**
 * Closes the user objects a cache created from factories (loaders, writers, listeners, policies).
 */
final class Closing {
  private static final System.Logger LOG = System.getLogger(Closing.class.getName());

  private Closing() {}

  /**
   * Closes {@code resource} if it is {@link AutoCloseable}, logging a failure instead of throwing
   * it; an interrupt during the close is logged and the interrupt status restored.
   */
  static void closeQuietly(@Nullable Object resource, String what) {
    if (resource instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.log(System.Logger.Level.WARNING, "Interrupted while closing " + what, e);
      } catch (Exception e) {
        LOG.log(System.Logger.Level.WARNING, "Failed to close " + what, e);
      }
    }
  }
}
