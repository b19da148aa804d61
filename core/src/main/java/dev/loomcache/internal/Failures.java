package dev.loomcache.internal;

import dev.loomcache.CacheLoadException;
import org.jspecify.annotations.Nullable;

/** How a load's failure reaches its callers. */
final class Failures {
  private Failures() {}

  /** The owner's own failure after an interrupt: its interrupt status is restored. */
  static RuntimeException ownersFailure(Object key, @Nullable Throwable failure) {
    if (failure == null) {
      failure = new InterruptedException("the load was abandoned");
    }
    Thread.currentThread().interrupt();
    if (failure instanceof InterruptedException) {
      return new CacheLoadException(
          "Interrupted while loading key '" + key + "'; a waiting caller takes the load over",
          failure);
    }
    return rethrow(key, failure);
  }

  /** Unchecked exceptions and errors as they are; checked ones wrapped, with the cause kept. */
  static RuntimeException rethrow(Object key, Throwable failure) {
    if (failure instanceof RuntimeException unchecked) {
      throw unchecked;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    return new CacheLoadException("The loader of key '" + key + "' failed: " + failure, failure);
  }
}
