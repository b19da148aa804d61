package dev.loomcache.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the {@link FanOut} once per JVM, and holds what both implementations share. */
final class FanOuts {
  private static final Logger logger = LoggerFactory.getLogger(FanOuts.class);
  private static final String STRUCTURED = "dev.loomcache.internal.StructuredFanOut";

  static final FanOut SELECTED = select();

  private FanOuts() {}

  /**
   * Loads the preview implementation if this JVM allows it. A class compiled with {@code
   * --enable-preview} fails to load with {@link UnsupportedClassVersionError} on a JVM started
   * without it (or of another release): that is the signal to fall back.
   */
  private static FanOut select() {
    try {
      Class<?> type = Class.forName(STRUCTURED, true, FanOuts.class.getClassLoader());
      FanOut structured = (FanOut) type.getDeclaredConstructor().newInstance();
      logger.debug("Fan-out on StructuredTaskScope (preview enabled)");
      return structured;
    } catch (ReflectiveOperationException
        | LinkageError e) { // UnsupportedClassVersionError: no preview
      logger.debug("Fan-out on a virtual-thread executor: {}", e.toString());
      return new ExecutorFanOut();
    }
  }

  /** Wraps a task so that it holds one of {@code permits} while it runs. */
  static <T> Callable<T> bounded(Semaphore permits, Callable<? extends T> task) {
    return () -> {
      permits.acquire();
      try {
        return task.call();
      } finally {
        permits.release();
      }
    };
  }
}
