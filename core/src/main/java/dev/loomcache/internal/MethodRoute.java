package dev.loomcache.internal;

import dev.loomcache.Cache;
import dev.loomcache.CacheLoadException;
import dev.loomcache.limit.RateLimitDecision;
import dev.loomcache.limit.RateLimitExceededException;
import dev.loomcache.limit.RateLimiter;
import java.io.Serial;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a caching proxy does with a call to one interface method: forward it, read it through a
 * cache, or invalidate around it. Built and checked once by {@link ProxyPlanner}.
 *
 * <p>Design note. The target's exceptions must reach the caller as the target threw them. Forwarded
 * calls unwrap {@link InvocationTargetException}. Cached calls go through {@link Cache#get}, which
 * passes unchecked exceptions as they are but wraps checked ones in {@link CacheLoadException},
 * exactly as it wraps its own interrupt failures; so the loader marks the target's checked
 * exceptions with {@link TargetFailure} and the route unwraps only those. An {@link
 * InterruptedException} is left unmarked so that the cache sees it and applies its interrupt rules
 * (an interrupted owner's failure is its own).
 */
public sealed interface MethodRoute {

  /** Runs the call on {@code target}; throws what the target threw. */
  @Nullable Object call(Object target, @Nullable Object @Nullable [] arguments) throws Throwable;

  /** Calls {@code method} on {@code target} as if the proxy were not there. */
  record Forward(Method method) implements MethodRoute {
    @Override
    public @Nullable Object call(Object target, @Nullable Object @Nullable [] arguments)
        throws Throwable {
      return invoke(method, target, arguments);
    }
  }

  /**
   * Reads through a cache keyed by the arguments at {@code keyPositions}, or by the rendered {@code
   * keyTemplate} when there is one; with {@code tagTemplates}, the key carries the rendered tags to
   * the cache's tagger ({@link TaggedKey}).
   */
  record CachedCall(
      Method method,
      String name,
      Cache<Object, Object> cache,
      int[] keyPositions,
      @Nullable KeyTemplate keyTemplate,
      List<KeyTemplate> tagTemplates)
      implements MethodRoute {

    CachedCall(Method method, String name, Cache<Object, Object> cache, int[] keyPositions) {
      this(method, name, cache, keyPositions, null, List.of());
    }

    /** The cache key of a call with these arguments; with {@code tagged}, its tags rendered too. */
    Object keyOf(@Nullable Object @Nullable [] arguments, boolean tagged) {
      Object key =
          keyTemplate == null
              ? ArgumentKeys.of(arguments, keyPositions)
              : keyTemplate.render(arguments);
      if (tagTemplates.isEmpty()) {
        return key;
      }
      return new TaggedKey(key, tagged ? render(tagTemplates, arguments) : Set.of());
    }

    @Override
    public @Nullable Object call(Object target, @Nullable Object @Nullable [] arguments)
        throws Throwable {
      Object key = keyOf(arguments, true);
      try {
        return cache.get(key, () -> load(target, arguments));
      } catch (CacheLoadException e) {
        throw unwrap(e);
      }
    }

    private @Nullable Object load(Object target, @Nullable Object @Nullable [] arguments)
        throws Exception {
      try {
        return method.invoke(target, arguments);
      } catch (InvocationTargetException e) {
        // Never null for a reflective call; the exception itself stands in if it ever were.
        Throwable failure = Objects.requireNonNullElse(e.getCause(), e);
        switch (failure) {
          case RuntimeException unchecked -> throw unchecked;
          case Error error -> throw error;
          case InterruptedException interrupted -> throw interrupted;
          default -> throw new TargetFailure(failure);
        }
      } catch (IllegalAccessException e) {
        throw inaccessible(method, e);
      }
    }

    private Throwable unwrap(CacheLoadException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TargetFailure marked) {
        return Objects.requireNonNull(marked.getCause()); // a TargetFailure always has one
      }
      if (cause instanceof InterruptedException && declares(InterruptedException.class)) {
        // The cache restored the interrupt status; a thrown InterruptedException stands for it.
        Thread.interrupted();
        return cause;
      }
      return e;
    }

    private boolean declares(Class<? extends Throwable> type) {
      for (Class<?> declared : method.getExceptionTypes()) {
        if (declared.isAssignableFrom(type)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Invalidates before the call and again after it returns or throws; a {@code null} {@code
   * keyPositions} in an invalidation means every entry.
   */
  record InvalidatingCall(Method method, List<Invalidation> invalidations) implements MethodRoute {

    @Override
    public @Nullable Object call(Object target, @Nullable Object @Nullable [] arguments)
        throws Throwable {
      invalidate(arguments);
      try {
        return invoke(method, target, arguments);
      } finally {
        invalidate(arguments);
      }
    }

    private void invalidate(@Nullable Object @Nullable [] arguments) {
      for (Invalidation invalidation : invalidations) {
        invalidation.apply(arguments);
      }
    }
  }

  /**
   * Counts the call in {@code limiter} under the key its template renders, then runs {@code route};
   * a denied call throws {@link RateLimitExceededException} without running it.
   */
  record RateLimitedCall(String method, RateLimiter limiter, KeyTemplate key, MethodRoute route)
      implements MethodRoute {

    @Override
    public @Nullable Object call(Object target, @Nullable Object @Nullable [] arguments)
        throws Throwable {
      String rendered = key.render(arguments);
      RateLimitDecision decision = limiter.acquire(rendered);
      if (!decision.allowed()) {
        throw new RateLimitExceededException(
            method
                + " is rate limited ("
                + limiter.limit()
                + " per "
                + limiter.period()
                + ") for key '"
                + rendered
                + "'; retry after "
                + decision.retryAfter(),
            rendered,
            decision.retryAfter());
      }
      return route.call(target, arguments);
    }
  }

  /**
   * One {@code @Invalidates}: all entries of {@code cache}, the one keyed by some arguments (or by
   * a rendered key template), or those carrying rendered tags. {@code cached} is the route of the
   * cached method, which knows how its keys are made.
   */
  record Invalidation(
      Cache<Object, Object> cache,
      int @Nullable [] keyPositions,
      @Nullable KeyTemplate keyTemplate,
      List<KeyTemplate> tagTemplates,
      boolean taggedKeys) {

    Invalidation(Cache<Object, Object> cache, int @Nullable [] keyPositions) {
      this(cache, keyPositions, null, List.of(), false);
    }

    void apply(@Nullable Object @Nullable [] arguments) {
      if (!tagTemplates.isEmpty()) {
        cache.invalidateTags(render(tagTemplates, arguments));
        return;
      }
      Object key;
      if (keyTemplate != null) {
        key = keyTemplate.render(arguments);
      } else if (keyPositions != null) {
        key = ArgumentKeys.of(arguments, keyPositions);
      } else {
        cache.invalidateAll();
        return;
      }
      cache.invalidate(taggedKeys ? new TaggedKey(key, Set.of()) : key);
    }
  }

  /**
   * The key of a cached method with tags: the real key, carrying the tags rendered from the call
   * that made it to the cache's tagger. Equal when the real keys are equal, whatever the tags.
   */
  record TaggedKey(Object key, Set<String> tags) {
    @Override
    public boolean equals(Object o) {
      return o instanceof TaggedKey other && key.equals(other.key);
    }

    @Override
    public int hashCode() {
      return key.hashCode();
    }

    @Override
    public String toString() {
      return key.toString();
    }
  }

  private static Set<String> render(
      List<KeyTemplate> templates, @Nullable Object @Nullable [] arguments) {
    var tags = new java.util.LinkedHashSet<String>();
    for (KeyTemplate template : templates) {
      tags.add(template.render(arguments));
    }
    return tags;
  }

  private static @Nullable Object invoke(
      Method method, Object target, @Nullable Object @Nullable [] arguments) throws Throwable {
    try {
      return method.invoke(target, arguments);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    } catch (IllegalAccessException e) {
      throw inaccessible(method, e);
    }
  }

  private static IllegalStateException inaccessible(Method method, IllegalAccessException e) {
    // ProxyPlanner made every routed method accessible, so this means the JVM changed its mind.
    return new IllegalStateException("Cannot call " + method + " on the target", e);
  }

  /**
   * Marks a checked exception thrown by the target, so that it can be told from the cache's own.
   */
  final class TargetFailure extends Exception {
    @Serial private static final long serialVersionUID = 1L;

    TargetFailure(Throwable failure) {
      super(failure.toString(), failure, false, false);
    }
  }
}
