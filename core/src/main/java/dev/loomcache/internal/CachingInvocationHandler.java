package dev.loomcache.internal;

import dev.loomcache.Cache;
import dev.loomcache.CacheStats;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The invocation handler of a caching proxy: looks up the route planned for the method and runs it.
 * Never holds a lock; every call runs on the caller's thread.
 */
public final class CachingInvocationHandler implements InvocationHandler {
  private final Class<?> iface;
  private final Object target;
  private final Map<Method, MethodRoute> routes;
  private final Map<String, Cache<Object, Object>> cachesByName; // in name order, for messages

  CachingInvocationHandler(
      Class<?> iface,
      Object target,
      Map<Method, MethodRoute> routes,
      Map<String, Cache<Object, Object>> cachesByName) {
    this.iface = iface;
    this.target = target;
    this.routes = Map.copyOf(routes);
    this.cachesByName = cachesByName;
  }

  /** Returns the handler behind {@code proxy}, or {@code null} if it is not a caching proxy. */
  public static @Nullable CachingInvocationHandler of(Object proxy) {
    if (Proxy.isProxyClass(proxy.getClass())
        && Proxy.getInvocationHandler(proxy) instanceof CachingInvocationHandler handler) {
      return handler;
    }
    return null;
  }

  @Override
  public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args)
      throws Throwable {
    MethodRoute route = routes.get(method);
    if (route != null) {
      return route.call(target, args);
    }
    if (method.getDeclaringClass() == Object.class) {
      return callObjectMethod(method, args);
    }
    // ProxyPlanner routes every method that java.lang.reflect.Proxy can dispatch here.
    throw new IllegalStateException("No route planned for " + method + " in the proxy of " + iface);
  }

  /** {@code equals}, {@code hashCode} and {@code toString} go to the target. */
  private Object callObjectMethod(Method method, @Nullable Object @Nullable [] args) {
    return switch (method.getName()) {
      case "hashCode" -> target.hashCode();
      case "toString" -> target.toString();
      case "equals" -> {
        // Another proxy stands for its target, so that a proxy equals itself.
        Object other = args == null ? null : args[0];
        CachingInvocationHandler otherHandler = other == null ? null : of(other);
        yield target.equals(otherHandler == null ? other : otherHandler.target);
      }
      default -> throw new IllegalStateException("Unexpected Object method " + method);
    };
  }

  /**
   * Returns the statistics of the cached method named {@code name}.
   *
   * @throws IllegalArgumentException if no cached method has that name
   */
  public CacheStats stats(String name) {
    Cache<Object, Object> cache = cachesByName.get(name);
    if (cache == null) {
      throw new IllegalArgumentException(
          iface.getSimpleName()
              + " has no @Cached method named '"
              + name
              + "'; cached methods: "
              + cachesByName.keySet());
    }
    return cache.stats();
  }
}
