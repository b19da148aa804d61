package dev.loomcache.internal;

import dev.loomcache.Cached;
import dev.loomcache.Invalidates;
import dev.loomcache.KeyIgnore;
import dev.loomcache.ParamName;
import dev.loomcache.limit.RateLimited;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The checks of an interface as a whole, before its methods are planned: can a proxy implement it,
 * reach its types and call its methods, and does it carry annotations a proxy would never see.
 */
final class InterfaceChecks {
  private InterfaceChecks() {}

  /** Rejects what {@link java.lang.reflect.Proxy} cannot implement over {@code target}. */
  static void checkProxyable(Class<?> iface, Object target) {
    if (!iface.isInterface() || iface.isAnnotation()) {
      throw new IllegalArgumentException(iface.getName() + " is not an interface");
    }
    if (iface.isSealed()) {
      throw new IllegalArgumentException(
          iface.getName() + " is sealed, so no proxy class can implement it");
    }
    if (!iface.isInstance(target)) {
      throw new IllegalArgumentException(
          "The target, a "
              + target.getClass().getName()
              + ", does not implement "
              + iface.getName());
    }
  }

  /**
   * Static and private interface methods never reach a proxy; an annotation on one would be
   * silently ignored.
   */
  static void rejectAnnotatedUnreachableMethods(Class<?> iface) {
    var types = new ArrayList<Class<?>>();
    types.add(iface);
    for (int i = 0; i < types.size(); i++) {
      types.addAll(Arrays.asList(types.get(i).getInterfaces()));
    }
    for (Class<?> type : types) {
      for (Method method : type.getDeclaredMethods()) {
        int modifiers = method.getModifiers();
        if ((Modifier.isStatic(modifiers) || Modifier.isPrivate(modifiers))
            && isAnnotated(method)) {
          throw misconfigured(
              method,
              "annotated, but "
                  + (Modifier.isStatic(modifiers) ? "static" : "private")
                  + " methods are never called through a proxy");
        }
      }
    }
  }

  static void makeAccessible(Class<?> iface, Method method) {
    if (!method.trySetAccessible()) {
      throw new IllegalArgumentException(
          iface.getName()
              + " is not accessible to Loomcache: make"
              + " it public in an exported package, or open its package to module dev.loomcache"
              + " (calling "
              + describe(method)
              + " was refused)");
    }
  }

  /**
   * The proxy class of a public interface lives in a module of its own and can reach only public
   * types: with a package-private type in a signature, every call would fail with an
   * IllegalAccessError. Finding it here turns that into a build-time error.
   */
  static void checkReachableFromProxy(Class<?> iface, Method method) {
    if (!Modifier.isPublic(iface.getModifiers())) {
      return; // the proxy class then lives in the interface's own package
    }
    var types = new ArrayList<Class<?>>();
    types.add(method.getReturnType());
    types.addAll(Arrays.asList(method.getParameterTypes()));
    types.addAll(Arrays.asList(method.getExceptionTypes()));
    for (Class<?> type : types) {
      while (type.isArray()) {
        type = type.getComponentType();
      }
      if (!type.isPrimitive() && !Modifier.isPublic(type.getModifiers())) {
        throw misconfigured(
            method,
            "uses "
                + type.getName()
                + ", which is not public, but the"
                + " proxy class of a public interface can only reach public types; make "
                + type.getSimpleName()
                + " public, or "
                + iface.getSimpleName()
                + " package-private");
      }
    }
  }

  static boolean isAnnotated(Method method) {
    if (method.isAnnotationPresent(Cached.class)
        || method.isAnnotationPresent(RateLimited.class)
        || method.getAnnotationsByType(Invalidates.class).length > 0) {
      return true;
    }
    for (Parameter parameter : method.getParameters()) {
      if (parameter.isAnnotationPresent(KeyIgnore.class)
          || parameter.isAnnotationPresent(ParamName.class)) {
        return true;
      }
    }
    return false;
  }

  /** {@code UserService.rename(long, String)}: how messages name a method. */
  static String describe(Method method) {
    return method.getDeclaringClass().getSimpleName()
        + "."
        + method.getName()
        + Arrays.stream(method.getParameterTypes())
            .map(Class::getSimpleName)
            .collect(Collectors.joining(", ", "(", ")"));
  }

  static IllegalArgumentException misconfigured(Method method, String problem) {
    return new IllegalArgumentException(describe(method) + ": " + problem);
  }
}
