package dev.loomcache.jcache.internal;

import org.jspecify.annotations.Nullable;

/**
 * Collects the failures of user code that must not stop an operation half-way (a synchronous
 * listener, one key of a bulk write), to be thrown when the operation is done: the first one, with
 * the later ones suppressed.
 */
final class Failures {
  private @Nullable RuntimeException first;

  void add(RuntimeException failure) {
    if (first == null) {
      first = failure;
    } else if (first != failure) {
      first.addSuppressed(failure);
    }
  }

  boolean isEmpty() {
    return first == null;
  }

  /** Throws the first failure collected, if any; otherwise returns. */
  void throwIfAny() {
    if (first != null) {
      throw first;
    }
  }
}
