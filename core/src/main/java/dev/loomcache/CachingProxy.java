package dev.loomcache;

import static java.util.Objects.requireNonNull;

import dev.loomcache.internal.CachingInvocationHandler;
import dev.loomcache.internal.ProxyPlanner;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.Proxy;
import org.jspecify.annotations.Nullable;

/**
 * Wraps an implementation of an interface in a proxy that caches the methods annotated {@link
 * Cached}, invalidates around the methods annotated {@link Invalidates} and limits the rate of the
 * methods annotated {@link dev.loomcache.limit.RateLimited}.
 *
 * <pre>{@code
 * interface UserService {
 *   @Cached(maximumSize = 1_000, ttl = "5m")
 *   User findUser(long id, @KeyIgnore RequestContext context);
 *
 *   @Invalidates(value = "findUser", keys = "id")
 *   void rename(long id, String name);
 * }
 *
 * UserService users = CachingProxy.of(UserService.class, new DatabaseUserService(db));
 * }</pre>
 *
 * <p>Each cached method has a cache of its own. Its key is built from its arguments minus those
 * annotated {@link KeyIgnore}, compared with {@code equals} and {@code hashCode}: {@code 1} and
 * {@code 1L} are different keys, as are {@code 1}, {@code 1.0} and {@code true}, and an object
 * whose class does not override {@code equals} is a key only for itself. An array argument is keyed
 * by its component type and a copy of its content taken at the call (elements compared as {@link
 * java.util.Arrays#deepEquals}), so it never equals a {@code List}, and changing it afterwards does
 * not change the key. A {@code null} argument is a key like any other. A method whose key has no
 * arguments caches one value.
 *
 * <p>Calls run on the caller's thread; concurrent calls with equal keys run the target once and
 * share its result or failure, calls with different keys run in parallel. The target's exceptions
 * reach the caller as the target threw them. A {@code null} result is returned and not cached.
 * Methods without these annotations, default methods included, and {@code equals}, {@code hashCode}
 * and {@code toString} are forwarded to the target (for {@code equals}, another caching proxy
 * stands for its target).
 *
 * <p>A {@link dev.loomcache.limit.RateLimited} method counts every call, before its cache or its
 * target, in an in-process fixed-window limiter of its own; a denied call throws {@link
 * dev.loomcache.limit.RateLimitExceededException}.
 *
 * <p>Every misconfiguration is rejected when the proxy is built, with an {@link
 * IllegalArgumentException} whose message names the method.
 */
public final class CachingProxy {
  private CachingProxy() {}

  /**
   * Returns a caching proxy of {@code iface} over {@code target}, with default options.
   *
   * @throws NullPointerException if {@code iface} or {@code target} is null
   * @throws IllegalArgumentException if {@code iface} is not an interface that a proxy can
   *     implement, or its annotations are misconfigured (the message names the method)
   */
  public static <T> T of(Class<T> iface, T target) {
    return newBuilder(iface, target).build();
  }

  /**
   * Returns a builder of a caching proxy of {@code iface} over {@code target}, for options such as
   * a ticker or a meter registry.
   *
   * @throws NullPointerException if {@code iface} or {@code target} is null
   */
  public static <T> Builder<T> newBuilder(Class<T> iface, T target) {
    requireNonNull(iface, "iface must not be null");
    requireNonNull(target, "target must not be null");
    return new Builder<>(iface, target);
  }

  /**
   * Returns a snapshot of the statistics of the cached method named {@code name} (its {@link
   * Cached#name()}, by default its method name); never blocks.
   *
   * @throws NullPointerException if {@code proxy} or {@code name} is null
   * @throws IllegalArgumentException if {@code proxy} is not a caching proxy, or has no cached
   *     method of that name
   */
  public static CacheStats stats(Object proxy, String name) {
    requireNonNull(proxy, "proxy must not be null");
    requireNonNull(name, "name must not be null");
    CachingInvocationHandler handler = CachingInvocationHandler.of(proxy);
    if (handler == null) {
      throw new IllegalArgumentException(
          "Not a caching proxy: a " + proxy.getClass().getName() + "; build one with CachingProxy");
    }
    return handler.stats(name);
  }

  /**
   * Builds a caching proxy. Each setter may be called once; a second call throws {@link
   * IllegalStateException} naming the value already set. Not thread-safe; the proxies it builds
   * are.
   *
   * @param <T> the interface type
   */
  public static final class Builder<T> {
    private final Class<T> iface;
    private final T target;
    private @Nullable Ticker ticker;
    private @Nullable MeterRegistry meterRegistry;

    private Builder(Class<T> iface, T target) {
      this.iface = iface;
      this.target = target;
    }

    /**
     * Sets the time source of every method's cache and rate limiter; default {@link
     * Ticker#systemTicker()}.
     */
    public Builder<T> ticker(Ticker ticker) {
      requireNonNull(ticker, "ticker must not be null");
      checkUnset("ticker", this.ticker);
      this.ticker = ticker;
      return this;
    }

    /**
     * Binds the meters of every method's cache to {@code registry}, tagged with the cache's
     * {@linkplain Cached#name() name}, and those of every rate limiter ({@code
     * ratelimit.decisions}, tag {@code limiter} = {@code Interface.method}); default: no meters.
     */
    public Builder<T> meterRegistry(MeterRegistry registry) {
      requireNonNull(registry, "registry must not be null");
      checkUnset("meterRegistry", this.meterRegistry);
      this.meterRegistry = registry;
      return this;
    }

    /**
     * Checks the interface's annotations and builds the proxy; the builder may be used again, and
     * each proxy it builds has caches of its own.
     *
     * @throws IllegalArgumentException if {@code iface} is not an interface that a proxy can
     *     implement, or its annotations are misconfigured (the message names the method)
     */
    public T build() {
      CachingInvocationHandler handler = ProxyPlanner.plan(iface, target, ticker, meterRegistry);
      return iface.cast(
          Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, handler));
    }

    private static void checkUnset(String option, @Nullable Object current) {
      if (current != null) {
        throw new IllegalStateException(option + " was already set to " + current);
      }
    }
  }
}
