package dev.loomcache.internal;

import dev.loomcache.CacheLoadException;
import org.jspecify.annotations.Nullable;

/** How a load's failure reaches its callers. */
final class Failures {
  private Failures() {}

  /**
   * Whether a loader's failure belongs to its own thread's interrupt: the thread is still
   * interrupted, or an {@link InterruptedException} (or an interrupted I/O) is in the cause chain,
   * as when a loader wraps the exception it got ({@code throw new RuntimeException(e)}).
   */
  static boolean isOwnInterrupt(Throwable failure) {
    if (Thread.currentThread().isInterrupted()) {
      return true;
    }
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      if (t instanceof InterruptedException
          || t instanceof java.io.InterruptedIOException
          || t instanceof java.nio.channels.ClosedByInterruptException) {
        return true;
      }
    }
    return false;
  }

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
