package dev.loomcache;

import java.io.Serial;

/**
 * Thrown by a cache read when the load it ran or waited for failed with a checked exception, or
 * when the calling thread was interrupted while waiting for another caller's load.
 *
 * <p>The original failure is always the {@linkplain #getCause() cause}. Unchecked exceptions and
 * errors thrown by a loader are never wrapped: callers receive them as they are.
 */
public class CacheLoadException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** Creates an exception with a message and the failure it reports. */
  public CacheLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
