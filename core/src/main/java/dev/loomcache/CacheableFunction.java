package dev.loomcache;

import org.jspecify.annotations.Nullable;

/**
 * A function whose results a {@link CachedFunction} keeps; unlike {@link
 * java.util.function.Function} it may throw checked exceptions.
 *
 * <p>Supplied by the user to {@link Loomcache#buildFunction(CacheableFunction)}. It runs on the
 * thread that called {@link CachedFunction#apply}, outside every lock of the cache, at most once at
 * a time per argument.
 *
 * @param <A> the argument type; {@code null} arguments are allowed
 * @param <R> the result type; a {@code null} result is returned but not cached
 */
@FunctionalInterface
public interface CacheableFunction<A extends @Nullable Object, R extends @Nullable Object> {

  /**
   * Computes the result for {@code argument}.
   *
   * @throws Exception any failure; nothing is cached, and every caller sharing this call receives
   *     it (checked exceptions wrapped in {@link CacheLoadException})
   */
  R apply(A argument) throws Exception;
}
