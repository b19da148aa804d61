package dev.loomcache;

import dev.loomcache.internal.ArgumentKeys;
import org.jspecify.annotations.Nullable;

/** The {@link CachedFunction} the builder returns: a {@link Cache} keyed by argument keys. */
final class LocalCachedFunction<A extends @Nullable Object, R extends @Nullable Object>
    implements CachedFunction<A, R> {
  private final Cache<Object, Object> cache;
  private final CacheableFunction<? super A, ? extends R> function;

  LocalCachedFunction(
      Cache<Object, Object> cache, CacheableFunction<? super A, ? extends R> function) {
    this.cache = cache;
    this.function = function;
  }

  @Override
  // R may be nullable (its bound is @Nullable Object): a null result comes back as null, which
  // NullAway cannot see through the cast.
  @SuppressWarnings({"unchecked", "NullAway"})
  public R apply(A argument) {
    return (R) cache.get(ArgumentKeys.of(argument), () -> function.apply(argument));
  }

  @Override
  public void invalidate(A argument) {
    cache.invalidate(ArgumentKeys.of(argument));
  }

  @Override
  public void invalidateAll() {
    cache.invalidateAll();
  }

  @Override
  public CacheStats stats() {
    return cache.stats();
  }

  /** The number of callers parked waiting for the run for {@code argument}; for tests. */
  int parkedCount(A argument) {
    return ((LocalCache<Object, Object>) cache).parkedCount(ArgumentKeys.of(argument));
  }

  @Override
  public String toString() {
    return "CachedFunction{" + function + ", " + cache + '}';
  }
}
