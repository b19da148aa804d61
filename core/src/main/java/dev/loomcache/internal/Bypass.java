package dev.loomcache.internal;

import dev.loomcache.internal.context.ScopedContext;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The bypass scopes in force for the calling thread ({@code CacheScope}), as a mode per cache name.
 *
 * <p>Design note. Scopes are a chain of frames bound through the {@link ScopedContext} seam (a
 * {@code ScopedValue} on Java 25, an inheritable thread-local on 21), so they follow forks. The hit
 * path must not pay for a feature nobody uses: a process-wide count of blocks running inside a
 * scope is read first ({@link #anyActive()}, one volatile read of a field that only changes when a
 * scope is entered or left); only when it is non-zero does a get consult the context. A thread
 * inside a scope always sees the count non-zero: it raised the count itself, or was started after
 * its creator did.
 */
public final class Bypass {
  /** No bypass. */
  public static final int NONE = 0;

  /** Skip L1 and the tiers: load fresh. */
  public static final int SKIP_LOOKUP = 1;

  /** Do not store what is loaded. */
  public static final int SKIP_STORE = 2;

  private static final AtomicInteger ACTIVE = new AtomicInteger();

  private Bypass() {}

  /**
   * Holds the context apart, so that the hit path's first {@link #anyActive()} initializes only the
   * counter, not the seam (whose selection loads classes).
   */
  private static final class Frames {
    static final ScopedContext<Frame> CURRENT = ScopedContext.newInstance();
  }

  /** One scope: its mode, the caches it applies to (empty: all) and the scope around it. */
  private record Frame(int mode, Set<String> cacheNames, @Nullable Frame outer) {}

  /** Whether any thread of this process is inside a bypass scope; never blocks. */
  public static boolean anyActive() {
    return ACTIVE.get() != 0;
  }

  /** Returns the bypass mode for the cache named {@code cacheName} on the calling thread. */
  public static int modeFor(String cacheName) {
    int mode = NONE;
    for (Frame frame = Frames.CURRENT.orNull(); frame != null; frame = frame.outer) {
      if (frame.cacheNames.isEmpty() || frame.cacheNames.contains(cacheName)) {
        mode |= frame.mode;
      }
    }
    return mode;
  }

  /** Runs {@code op} inside a scope of {@code mode} for {@code cacheNames} (empty: all caches). */
  public static <R, X extends Throwable> R call(
      int mode, Set<String> cacheNames, ScopedContext.Op<R, X> op) throws X {
    var frame = new Frame(mode, cacheNames, Frames.CURRENT.orNull());
    ACTIVE.incrementAndGet();
    try {
      return Frames.CURRENT.call(frame, op);
    } finally {
      ACTIVE.decrementAndGet();
    }
  }

  /** Whether {@code mode} skips lookups. */
  public static boolean skipsLookups(int mode) {
    return (mode & SKIP_LOOKUP) != 0;
  }

  /** Whether {@code mode} skips stores. */
  public static boolean skipsStores(int mode) {
    return (mode & SKIP_STORE) != 0;
  }
}
