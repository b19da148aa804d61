package dev.loomcache.internal;

import dev.loomcache.Cache;
import dev.loomcache.Cached;
import dev.loomcache.Invalidates;
import dev.loomcache.KeyIgnore;
import dev.loomcache.Loomcache;
import dev.loomcache.ParamName;
import dev.loomcache.Ticker;
import dev.loomcache.internal.MethodRoute.CachedCall;
import dev.loomcache.internal.MethodRoute.Forward;
import dev.loomcache.internal.MethodRoute.InvalidatingCall;
import dev.loomcache.internal.MethodRoute.Invalidation;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads the annotations of an interface, rejects every misconfiguration with a message naming the
 * method, and plans a {@link MethodRoute} for each method a proxy can receive.
 *
 * <p>Design note. Everything that can be wrong is found here, when the proxy is built, never at the
 * first call. Methods are grouped by signature (name and parameter types) because that is how
 * {@link java.lang.reflect.Proxy} dispatches: methods inherited twice (a diamond) or redeclared with
 * a covariant return type share one route, and a bridge method shares the route of the method it
 * bridges, so that a call through a generic super-interface is cached or invalidates like a direct
 * one.
 */
public final class ProxyPlanner {
  private final Class<?> iface;
  private final @Nullable Ticker ticker;
  private final @Nullable MeterRegistry registry;
  private final Map<String, CachedCall> cachedByName = new TreeMap<>();
  private final Map<Method, MethodRoute> routes = new HashMap<>();

  private ProxyPlanner(Class<?> iface, @Nullable Ticker ticker, @Nullable MeterRegistry registry) {
    this.iface = iface;
    this.ticker = ticker;
    this.registry = registry;
  }

  /**
   * Checks {@code iface} and plans the handler of a caching proxy of it over {@code target}.
   *
   * @throws IllegalArgumentException for a misconfiguration, naming the method
   */
  public static CachingInvocationHandler plan(
      Class<?> iface, Object target, @Nullable Ticker ticker, @Nullable MeterRegistry registry) {
    if (!iface.isInterface() || iface.isAnnotation()) {
      throw new IllegalArgumentException(iface.getName() + " is not an interface");
    }
    if (iface.isSealed()) {
      throw new IllegalArgumentException(
          iface.getName() + " is sealed, so no proxy class can implement it");
    }
    if (!iface.isInstance(target)) {
      throw new IllegalArgumentException("The target, a " + target.getClass().getName()
          + ", does not implement " + iface.getName());
    }
    var planner = new ProxyPlanner(iface, ticker, registry);
    planner.plan();
    Map<String, Cache<Object, Object>> caches = new LinkedHashMap<>();
    planner.cachedByName.forEach((name, call) -> caches.put(name, call.cache()));
    return new CachingInvocationHandler(
        iface, target, planner.routes, Collections.unmodifiableMap(caches));
  }

  private void plan() {
    rejectAnnotatedUnreachableMethods();
    Map<List<Object>, List<Method>> bySignature = new LinkedHashMap<>();
    var bridges = new ArrayList<Method>();
    for (Method method : iface.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      makeAccessible(method);
      checkReachableFromProxy(method);
      if (method.isBridge()) {
        bridges.add(method);
      } else {
        bySignature.computeIfAbsent(signature(method), s -> new ArrayList<>()).add(method);
      }
    }
    var primaries = new ArrayList<Method>();
    for (List<Method> group : bySignature.values()) {
      primaries.add(primaryOf(group));
    }
    // Cached methods first: @Invalidates refers to them by name.
    for (Method method : primaries) {
      if (method.isAnnotationPresent(Cached.class)) {
        planCached(method);
      }
    }
    for (Method method : primaries) {
      MethodRoute route = routeOf(method);
      for (Method member : bySignature.get(signature(method))) {
        routes.put(member, route);
      }
    }
    for (Method bridge : bridges) {
      routes.put(bridge, bridgedRoute(bridge, primaries));
    }
  }

  private MethodRoute routeOf(Method method) {
    ParameterNames.checkUnique(method);
    Invalidates[] invalidates = method.getAnnotationsByType(Invalidates.class);
    if (method.isAnnotationPresent(Cached.class)) {
      if (invalidates.length > 0) {
        throw misconfigured(method, "@Cached and @Invalidates on one method: a method either reads"
            + " through its cache or invalidates one, not both");
      }
      return cachedByName.get(cacheName(method));
    }
    for (Parameter parameter : method.getParameters()) {
      if (parameter.isAnnotationPresent(KeyIgnore.class)) {
        throw misconfigured(method, "@KeyIgnore on parameter '" + ParameterNames.of(parameter)
            + "', but only parameters of @Cached methods can be left out of a key");
      }
    }
    if (invalidates.length == 0) {
      return new Forward(method);
    }
    var invalidations = new ArrayList<Invalidation>();
    for (Invalidates invalidate : invalidates) {
      invalidations.add(planInvalidation(method, invalidate));
    }
    return new InvalidatingCall(method, List.copyOf(invalidations));
  }

  private void planCached(Method method) {
    Cached cached = method.getAnnotation(Cached.class);
    if (isObjectMethod(method)) {
      throw misconfigured(method, "@Cached on an Object method: equals, hashCode and toString"
          + " always go to the target");
    }
    Class<?> returns = method.getReturnType();
    if (returns == void.class || returns == Void.class) {
      throw misconfigured(method, "@Cached on a method that returns " + returns.getSimpleName()
          + ": there is no result to cache");
    }
    if (!cached.name().isEmpty() && cached.name().isBlank()) {
      throw misconfigured(method, "@Cached(name = \"" + cached.name() + "\"): a name must not be"
          + " blank (leave it out to use the method name)");
    }
    if (cached.maximumSize() < 0) {
      throw misconfigured(method, "@Cached(maximumSize = " + cached.maximumSize()
          + "): must not be negative");
    }
    var builder = Loomcache.newBuilder().name(cacheName(method)).maximumSize(cached.maximumSize());
    if (!cached.ttl().isEmpty()) {
      try {
        builder.defaultTtl(DurationText.parsePositive(cached.ttl()));
      } catch (IllegalArgumentException e) {
        throw misconfigured(method, "@Cached(ttl = \"" + cached.ttl() + "\"): " + e.getMessage());
      }
    }
    if (ticker != null) {
      builder.ticker(ticker);
    }
    if (registry != null) {
      builder.meterRegistry(registry);
    }
    var keyPositions = new ArrayList<Integer>();
    Parameter[] parameters = method.getParameters();
    for (int i = 0; i < parameters.length; i++) {
      if (!parameters[i].isAnnotationPresent(KeyIgnore.class)) {
        keyPositions.add(i);
      }
    }
    String name = cacheName(method);
    CachedCall same = cachedByName.get(name);
    if (same != null) {
      throw misconfigured(method, "@Cached name '" + name + "' is also the name of "
          + describe(same.method()) + "; give each cached method a distinct @Cached(name = ...)");
    }
    Cache<Object, Object> cache = builder.build();
    cachedByName.put(name, new CachedCall(method, name, cache, toArray(keyPositions)));
  }

  private Invalidation planInvalidation(Method method, Invalidates invalidates) {
    String where = "@Invalidates(value = \"" + invalidates.value() + "\""
        + (invalidates.keys().length == 0 ? "" : ", keys = " + quoted(invalidates.keys())) + ")";
    if (isObjectMethod(method)) {
      throw misconfigured(method, where + " on an Object method: equals, hashCode and toString"
          + " always go to the target");
    }
    CachedCall cached = cachedByName.get(invalidates.value());
    if (cached == null) {
      throw misconfigured(method, where + ": " + iface.getSimpleName()
          + " has no @Cached method named '" + invalidates.value() + "'; cached methods: "
          + cachedByName.keySet());
    }
    String[] keys = invalidates.keys();
    if (keys.length == 0) {
      return new Invalidation(cached.cache(), null);
    }
    int[] cachedKeys = cached.keyPositions();
    Parameter[] cachedParameters = cached.method().getParameters();
    if (keys.length != cachedKeys.length) {
      throw misconfigured(method, where + ": the key of " + describe(cached.method()) + " has "
          + cachedKeys.length + " parameter(s) " + ParameterNames.of(cachedParameters, cachedKeys)
          + ", but keys names " + keys.length);
    }
    Parameter[] parameters = method.getParameters();
    var positions = new int[keys.length];
    for (int k = 0; k < keys.length; k++) {
      int position = ParameterNames.positionOf(parameters, keys[k]);
      if (position < 0) {
        throw misconfigured(method, where + ": no parameter named '" + keys[k] + "'; parameters: "
            + ParameterNames.of(parameters, null) + ParameterNames.hint(parameters));
      }
      Class<?> given = boxed(parameters[position].getType());
      Class<?> expected = boxed(cachedParameters[cachedKeys[k]].getType());
      if (!expected.isAssignableFrom(given)) {
        throw misconfigured(method, where + ": parameter '" + keys[k] + "' has type "
            + parameters[position].getType().getSimpleName() + ", but key parameter " + (k + 1)
            + " of " + describe(cached.method()) + " has type "
            + cachedParameters[cachedKeys[k]].getType().getSimpleName()
            + ", so they can never be equal keys");
      }
      positions[k] = position;
    }
    return new Invalidation(cached.cache(), positions);
  }

  /**
   * Static and private interface methods never reach a proxy; an annotation on one would be
   * silently ignored.
   */
  private void rejectAnnotatedUnreachableMethods() {
    var types = new ArrayList<Class<?>>();
    types.add(iface);
    for (int i = 0; i < types.size(); i++) {
      types.addAll(Arrays.asList(types.get(i).getInterfaces()));
    }
    for (Class<?> type : types) {
      for (Method method : type.getDeclaredMethods()) {
        int modifiers = method.getModifiers();
        if ((Modifier.isStatic(modifiers) || Modifier.isPrivate(modifiers)) && isAnnotated(method)) {
          throw misconfigured(method, "annotated, but " + (Modifier.isStatic(modifiers)
              ? "static" : "private") + " methods are never called through a proxy");
        }
      }
    }
  }

  /**
   * The method that stands for a signature group: the one whose return type every other accepts.
   * A group of several declarations may not carry annotations: which one would apply is unclear.
   */
  private Method primaryOf(List<Method> group) {
    if (group.size() > 1 && group.stream().anyMatch(ProxyPlanner::isAnnotated)) {
      throw misconfigured(group.getFirst(), "declared in "
          + group.stream().map(m -> m.getDeclaringClass().getSimpleName())
              .collect(Collectors.joining(" and "))
          + " with annotations; redeclare it in " + iface.getSimpleName()
          + " with the annotations it should have");
    }
    Method primary = group.getFirst();
    for (Method method : group) {
      if (primary.getReturnType().isAssignableFrom(method.getReturnType())) {
        primary = method;
      }
    }
    return primary;
  }

  /** The route of the method a bridge stands for, or forwarding if there is no single one. */
  private MethodRoute bridgedRoute(Method bridge, List<Method> primaries) {
    Method bridged = null;
    for (Method candidate : primaries) {
      if (candidate.getName().equals(bridge.getName())
          && candidate.getParameterCount() == bridge.getParameterCount()
          && accepts(bridge.getParameterTypes(), candidate.getParameterTypes())) {
        if (bridged != null) {
          return new Forward(bridge);
        }
        bridged = candidate;
      }
    }
    return bridged == null ? new Forward(bridge) : routes.get(bridged);
  }

  private void makeAccessible(Method method) {
    if (!method.trySetAccessible()) {
      throw new IllegalArgumentException(iface.getName() + " is not accessible to Loomcache: make"
          + " it public in an exported package, or open its package to module dev.loomcache"
          + " (calling " + describe(method) + " was refused)");
    }
  }

  /**
   * The proxy class of a public interface lives in a module of its own and can reach only public
   * types: with a package-private type in a signature, every call would fail with an
   * IllegalAccessError. Finding it here turns that into a build-time error.
   */
  private void checkReachableFromProxy(Method method) {
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
        throw misconfigured(method, "uses " + type.getName() + ", which is not public, but the"
            + " proxy class of a public interface can only reach public types; make "
            + type.getSimpleName() + " public, or " + iface.getSimpleName() + " package-private");
      }
    }
  }

  private static String cacheName(Method method) {
    String name = method.getAnnotation(Cached.class).name();
    return name.isEmpty() ? method.getName() : name;
  }

  private static boolean isAnnotated(Method method) {
    if (method.isAnnotationPresent(Cached.class)
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

  private static boolean isObjectMethod(Method method) {
    try {
      Object.class.getMethod(method.getName(), method.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static boolean accepts(Class<?>[] wide, Class<?>[] narrow) {
    for (int i = 0; i < wide.length; i++) {
      if (!wide[i].isAssignableFrom(narrow[i])) {
        return false;
      }
    }
    return true;
  }

  private static Class<?> boxed(Class<?> type) {
    return type.isPrimitive() ? MethodType.methodType(type).wrap().returnType() : type;
  }

  private static List<Object> signature(Method method) {
    return List.of(method.getName(), List.of(method.getParameterTypes()));
  }

  private static int[] toArray(List<Integer> positions) {
    return positions.stream().mapToInt(Integer::intValue).toArray();
  }

  private static String quoted(String[] names) {
    return Arrays.stream(names).map(n -> "\"" + n + "\"")
        .collect(Collectors.joining(", ", names.length == 1 ? "" : "{", names.length == 1 ? "" : "}"));
  }

  /** {@code UserService.rename(long, String)}: how messages name a method. */
  static String describe(Method method) {
    return method.getDeclaringClass().getSimpleName() + "." + method.getName()
        + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
            .collect(Collectors.joining(", ", "(", ")"));
  }

  static IllegalArgumentException misconfigured(Method method, String problem) {
    return new IllegalArgumentException(describe(method) + ": " + problem);
  }
}
