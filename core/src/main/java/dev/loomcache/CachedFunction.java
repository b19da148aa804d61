package dev.loomcache;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A function that caches its results per argument: the Java form of a memoizing decorator.
 *
 * <p>Built with {@link Loomcache#buildFunction(CacheableFunction)}, which takes the cache's size,
 * TTL, ticker, name and meters from the builder:
 *
 * <pre>{@code
 * CachedFunction<Long, User> findUser = Loomcache.newBuilder()
 *     .maximumSize(128)
 *     .defaultTtl(Duration.ofMinutes(5))
 *     .buildFunction(repository::loadUser);
 * User user = findUser.apply(42L);
 * }</pre>
 *
 * <p>Thread-safe. Concurrent calls with equal arguments run the underlying function once and share
 * its result or failure; calls with different arguments run in parallel.
 *
 * <p>Keys. Arguments are compared with {@code equals} and {@code hashCode}, so {@code 1}, {@code
 * 1L}, {@code 1.0} and {@code true} are four different keys, and an object whose class does not
 * override {@code equals} is a key only for itself. An array is keyed by its component type and a
 * copy of its content taken at the call (elements compared as {@link java.util.Arrays#deepEquals});
 * it never equals a {@code List}, and changing the array afterwards does not change the key. A
 * {@code null} argument has a key of its own.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
public interface CachedFunction<A extends @Nullable Object, R extends @Nullable Object>
    extends Function<A, R> {

  /**
   * Returns the cached result for {@code argument}, or runs the function and caches its result.
   *
   * <p>At most one call per key runs at a time: concurrent callers with an equal argument wait for
   * it and receive its result. May park the calling thread until that call completes. A {@code
   * null} result is returned and not cached.
   *
   * @throws CacheLoadException if the function failed with a checked exception (the cause), or if
   *     this thread was interrupted while waiting for another caller's call (its interrupt status
   *     is restored; the cause is an {@link InterruptedException})
   * @throws IllegalStateException if the function calls itself with an equal argument on the same
   *     thread
   */
  @Override
  R apply(A argument);

  /**
   * Forgets the result for {@code argument}, so that the next call runs the function again. A call
   * already running for it still returns its result to its callers but does not cache it.
   */
  void invalidate(A argument);

  /** Forgets every result; calls already running do not cache theirs. Statistics are kept. */
  void invalidateAll();

  /** Returns a snapshot of this function's cache statistics; never blocks. */
  CacheStats stats();
}
