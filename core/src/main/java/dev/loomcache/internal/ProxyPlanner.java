package dev.loomcache.internal;

import dev.loomcache.Cache;
import dev.loomcache.Cached;
import dev.loomcache.Invalidates;
import dev.loomcache.KeyIgnore;
import dev.loomcache.Loomcache;
import dev.loomcache.Ticker;
import dev.loomcache.internal.MethodRoute.CachedCall;
import dev.loomcache.internal.MethodRoute.Forward;
import dev.loomcache.internal.MethodRoute.InvalidatingCall;
import dev.loomcache.internal.MethodRoute.Invalidation;
import dev.loomcache.internal.MethodRoute.RateLimitedCall;
import dev.loomcache.limit.RateLimited;
import dev.loomcache.limit.RateLimiter;
import dev.loomcache.limit.RateLimiterBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads the annotations of an interface, rejects every misconfiguration with a message naming the
 * method, and plans a {@link MethodRoute} for each method a proxy can receive.
 *
 * <p>Design note. Everything that can be wrong is found here, when the proxy is built, never at the
 * first call. Methods are grouped by signature (name and parameter types) because that is how
 * {@link java.lang.reflect.Proxy} dispatches: methods inherited twice (a diamond) or redeclared
 * with a covariant return type share one route, and a bridge method shares the route of the method
 * it bridges, so that a call through a generic super-interface is cached or invalidates like a
 * direct one.
 */
public final class ProxyPlanner {
  private final Class<?> iface;
  private final @Nullable Ticker ticker;
  private final @Nullable MeterRegistry registry;
  private final Map<String, CachedSpec> cachedByName = new TreeMap<>();
  private final Map<Method, MethodRoute> routes = new HashMap<>();

  /** A checked {@code @Cached} method whose cache is not built yet. */
  private record CachedSpec(
      Method method,
      String name,
      Loomcache<Object, Object> builder,
      int[] keyPositions,
      @Nullable KeyTemplate keyTemplate,
      List<KeyTemplate> tagTemplates) {}

  /** A checked {@code @RateLimited} method whose limiter is not built yet. */
  private record RateLimitSpec(RateLimiterBuilder builder, KeyTemplate key) {}

  /**
   * A checked {@code @Invalidates}: by tags if {@code tagTemplates} is not empty, else by a key
   * template, else by the arguments at {@code keyPositions}; all null means every entry.
   */
  private record InvalidationSpec(
      String cacheName,
      int @Nullable [] keyPositions,
      @Nullable KeyTemplate keyTemplate,
      List<KeyTemplate> tagTemplates) {
    InvalidationSpec(String cacheName, int @Nullable [] keyPositions) {
      this(cacheName, keyPositions, null, List.of());
    }
  }

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
    InterfaceChecks.checkProxyable(iface, target);
    var planner = new ProxyPlanner(iface, ticker, registry);
    Map<String, Cache<Object, Object>> caches = planner.plan();
    return new CachingInvocationHandler(
        iface, target, planner.routes, Collections.unmodifiableMap(caches));
  }

  /**
   * Checks every method, then builds the caches (binding their meters) and the routes: nothing is
   * built for a proxy that is rejected. Returns the caches by name, in name order.
   */
  private Map<String, Cache<Object, Object>> plan() {
    InterfaceChecks.rejectAnnotatedUnreachableMethods(iface);
    Map<List<Object>, List<Method>> bySignature = new LinkedHashMap<>();
    var bridges = new ArrayList<Method>();
    for (Method method : iface.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      InterfaceChecks.makeAccessible(iface, method);
      InterfaceChecks.checkReachableFromProxy(iface, method);
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
        checkCached(method);
      }
    }
    Map<Method, List<InvalidationSpec>> invalidations = new HashMap<>();
    Map<Method, RateLimitSpec> rateLimits = new HashMap<>();
    for (Method method : primaries) {
      invalidations.put(method, checkInvalidations(method));
      if (method.isAnnotationPresent(RateLimited.class)) {
        rateLimits.put(method, checkRateLimited(method));
      }
    }

    Map<String, CachedCall> calls = new LinkedHashMap<>();
    Map<String, Cache<Object, Object>> caches = new LinkedHashMap<>();
    cachedByName.forEach((name, spec) -> {
      Cache<Object, Object> cache = spec.builder().build();
      calls.put(
          name,
          new CachedCall(
              spec.method(),
              name,
              cache,
              spec.keyPositions(),
              spec.keyTemplate(),
              spec.tagTemplates()));
      caches.put(name, cache);
    });
    for (Method method : primaries) {
      MethodRoute route = routeOf(method, invalidations.getOrDefault(method, List.of()), calls);
      RateLimitSpec rateLimit = rateLimits.get(method);
      if (rateLimit != null) {
        RateLimiter limiter = rateLimit.builder().build();
        route =
            new RateLimitedCall(InterfaceChecks.describe(method), limiter, rateLimit.key(), route);
      }
      for (Method member : Objects.requireNonNull(bySignature.get(signature(method)))) {
        routes.put(member, route);
      }
    }
    for (Method bridge : bridges) {
      routes.put(bridge, bridgedRoute(bridge, primaries));
    }
    return caches;
  }

  private static MethodRoute routeOf(
      Method method, List<InvalidationSpec> invalidations, Map<String, CachedCall> calls) {
    if (method.isAnnotationPresent(Cached.class)) {
      return Objects.requireNonNull(calls.get(cacheName(method))); // one call per @Cached name
    }
    if (invalidations.isEmpty()) {
      return new Forward(method);
    }
    return new InvalidatingCall(
        method,
        invalidations.stream()
            .map(i -> {
              CachedCall cached = Objects.requireNonNull(calls.get(i.cacheName()));
              return new Invalidation(
                  cached.cache(),
                  i.keyPositions(),
                  i.keyTemplate(),
                  i.tagTemplates(),
                  !cached.tagTemplates().isEmpty());
            })
            .toList());
  }

  /** Checks the parameters and {@code @Invalidates} of {@code method}; none for most methods. */
  private List<InvalidationSpec> checkInvalidations(Method method) {
    ParameterNames.checkUnique(method);
    Invalidates[] invalidates = method.getAnnotationsByType(Invalidates.class);
    if (method.isAnnotationPresent(Cached.class)) {
      if (invalidates.length > 0) {
        throw InterfaceChecks.misconfigured(
            method,
            "@Cached and @Invalidates on one method: a method either reads"
                + " through its cache or invalidates one, not both");
      }
      return List.of();
    }
    for (Parameter parameter : method.getParameters()) {
      if (parameter.isAnnotationPresent(KeyIgnore.class)) {
        throw InterfaceChecks.misconfigured(
            method,
            "@KeyIgnore on parameter '"
                + ParameterNames.of(parameter)
                + "', but only parameters of @Cached methods can be left out of a key");
      }
    }
    var specs = new ArrayList<InvalidationSpec>();
    for (Invalidates invalidate : invalidates) {
      specs.addAll(checkInvalidation(method, invalidate));
    }
    return specs;
  }

  private void checkCached(Method method) {
    Cached cached = method.getAnnotation(Cached.class);
    if (isObjectMethod(method)) {
      throw InterfaceChecks.misconfigured(
          method,
          "@Cached on an Object method: equals, hashCode and toString"
              + " always go to the target");
    }
    Class<?> returns = method.getReturnType();
    if (returns == void.class || returns == Void.class) {
      throw InterfaceChecks.misconfigured(
          method,
          "@Cached on a method that returns "
              + returns.getSimpleName()
              + ": there is no result to cache");
    }
    if (!cached.name().isEmpty() && cached.name().isBlank()) {
      throw InterfaceChecks.misconfigured(
          method,
          "@Cached(name = \""
              + cached.name()
              + "\"): a name must not be"
              + " blank (leave it out to use the method name)");
    }
    if (cached.maximumSize() < 0) {
      throw InterfaceChecks.misconfigured(
          method, "@Cached(maximumSize = " + cached.maximumSize() + "): must not be negative");
    }
    var builder = Loomcache.newBuilder().name(cacheName(method)).maximumSize(cached.maximumSize());
    if (!cached.ttl().isEmpty()) {
      try {
        builder.defaultTtl(DurationText.parsePositive(cached.ttl()));
      } catch (IllegalArgumentException e) {
        throw InterfaceChecks.misconfigured(
            method, "@Cached(ttl = \"" + cached.ttl() + "\"): " + e.getMessage());
      }
    }
    applyFreshness(method, cached, builder);
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
      } else if (!cached.key().isEmpty()) {
        throw InterfaceChecks.misconfigured(
            method,
            "@KeyIgnore on parameter '"
                + ParameterNames.of(parameters[i])
                + "' of a method with @Cached(key = \""
                + cached.key()
                + "\"): the key template already chooses what the key holds");
      }
    }
    KeyTemplate keyTemplate = null;
    if (!cached.key().isEmpty()) {
      if (cached.key().isBlank()) {
        throw InterfaceChecks.misconfigured(
            method,
            "@Cached(key = \""
                + cached.key()
                + "\"): a key template must not be blank (leave it out to key by the arguments)");
      }
      keyTemplate =
          KeyTemplate.parse(method, "@Cached(key = \"" + cached.key() + "\")", cached.key());
    }
    List<KeyTemplate> tagTemplates = tagTemplates(method, "@Cached", cached.tags());
    if (!tagTemplates.isEmpty()) {
      builder.tags((Object key, Object value) ->
          key instanceof MethodRoute.TaggedKey tagged ? tagged.tags() : null);
    }
    String name = cacheName(method);
    CachedSpec same = cachedByName.get(name);
    if (same != null) {
      throw InterfaceChecks.misconfigured(
          method,
          "@Cached name '"
              + name
              + "' is also the name of "
              + InterfaceChecks.describe(same.method())
              + "; give each cached method a distinct @Cached(name = ...)");
    }
    cachedByName.put(
        name,
        new CachedSpec(method, name, builder, toArray(keyPositions), keyTemplate, tagTemplates));
  }

  /** Parses the tag templates of {@code annotation} on {@code method}; none for an empty array. */
  private static List<KeyTemplate> tagTemplates(Method method, String annotation, String[] tags) {
    var templates = new ArrayList<KeyTemplate>(tags.length);
    for (String tag : tags) {
      String where = annotation + "(tags = \"" + tag + "\")";
      if (tag.isBlank()) {
        throw InterfaceChecks.misconfigured(method, where + ": a tag must not be blank");
      }
      templates.add(KeyTemplate.parse(method, where, tag));
    }
    return List.copyOf(templates);
  }

  private RateLimitSpec checkRateLimited(Method method) {
    RateLimited limited = method.getAnnotation(RateLimited.class);
    String where =
        "@RateLimited(limit = "
            + limited.limit()
            + ", period = \""
            + limited.period()
            + "\""
            + (limited.ban().isEmpty() ? "" : ", ban = \"" + limited.ban() + "\"")
            + (limited.key().isEmpty() ? "" : ", key = \"" + limited.key() + "\"")
            + ")";
    if (isObjectMethod(method)) {
      throw InterfaceChecks.misconfigured(
          method,
          where
              + " on an Object method: equals, hashCode"
              + " and toString always go to the target");
    }
    if (limited.limit() <= 0) {
      throw InterfaceChecks.misconfigured(method, where + ": limit must be positive");
    }
    RateLimiterBuilder builder;
    try {
      builder =
          RateLimiter.fixedWindow(limited.limit(), DurationText.parsePositive(limited.period()));
    } catch (IllegalArgumentException e) {
      throw InterfaceChecks.misconfigured(method, where + ": period: " + e.getMessage());
    }
    if (!limited.ban().isEmpty()) {
      try {
        builder.banFor(DurationText.parsePositive(limited.ban()));
      } catch (IllegalArgumentException e) {
        throw InterfaceChecks.misconfigured(method, where + ": ban: " + e.getMessage());
      }
    }
    KeyTemplate key = KeyTemplate.parse(method, where, limited.key());
    builder.name(iface.getSimpleName() + "." + method.getName());
    if (ticker != null) {
      builder.ticker(ticker);
    }
    if (registry != null) {
      builder.meterRegistry(registry);
    }
    return new RateLimitSpec(builder, key);
  }

  private List<InvalidationSpec> checkInvalidation(Method method, Invalidates invalidates) {
    String where =
        "@Invalidates("
            + (invalidates.value().isEmpty() ? "" : "value = \"" + invalidates.value() + "\"")
            + (invalidates.keys().length == 0 ? "" : ", keys = " + quoted(invalidates.keys()))
            + (invalidates.key().isEmpty() ? "" : ", key = \"" + invalidates.key() + "\"")
            + (invalidates.tags().length == 0 ? "" : ", tags = " + quoted(invalidates.tags()))
            + ")";
    where = where.replace("(, ", "(");
    if (isObjectMethod(method)) {
      throw InterfaceChecks.misconfigured(
          method,
          where
              + " on an Object method: equals, hashCode and toString"
              + " always go to the target");
    }
    boolean byTags = invalidates.tags().length > 0;
    boolean byTemplate = !invalidates.key().isEmpty();
    if (byTags && (byTemplate || invalidates.keys().length > 0)) {
      throw InterfaceChecks.misconfigured(
          method,
          where + ": tags choose the entries on their own;" + " give tags, or keys/key, not both");
    }
    if (byTemplate && invalidates.keys().length > 0) {
      throw InterfaceChecks.misconfigured(
          method, where + ": give keys (parameter names) or key (a" + " template), not both");
    }
    List<KeyTemplate> tagTemplates = tagTemplates(method, "@Invalidates", invalidates.tags());
    if (invalidates.value().isEmpty()) {
      if (!byTags) {
        throw InterfaceChecks.misconfigured(
            method,
            where
                + ": names no cached method; give the"
                + " @Cached method's name, or tags; cached methods: "
                + cachedByName.keySet());
      }
      var specs = new ArrayList<InvalidationSpec>();
      for (CachedSpec cached : cachedByName.values()) {
        if (!cached.tagTemplates().isEmpty()) {
          specs.add(new InvalidationSpec(cached.name(), null, null, tagTemplates));
        }
      }
      if (specs.isEmpty()) {
        throw InterfaceChecks.misconfigured(
            method,
            where
                + ": no @Cached method of "
                + iface.getSimpleName()
                + " declares tags, so no entry carries any; cached methods: "
                + cachedByName.keySet());
      }
      return specs;
    }
    CachedSpec cached = cachedByName.get(invalidates.value());
    if (cached == null) {
      throw InterfaceChecks.misconfigured(
          method,
          where
              + ": "
              + iface.getSimpleName()
              + " has no @Cached method named '"
              + invalidates.value()
              + "'; cached methods: "
              + cachedByName.keySet());
    }
    if (byTags) {
      if (cached.tagTemplates().isEmpty()) {
        throw InterfaceChecks.misconfigured(
            method,
            where
                + ": "
                + InterfaceChecks.describe(cached.method())
                + " declares no @Cached(tags = ...), so"
                + " none of its entries carries a tag");
      }
      return List.of(new InvalidationSpec(cached.name(), null, null, tagTemplates));
    }
    if (byTemplate) {
      if (cached.keyTemplate() == null) {
        throw InterfaceChecks.misconfigured(
            method,
            where
                + ": "
                + InterfaceChecks.describe(cached.method())
                + " has no @Cached(key = ...) template;"
                + " name the parameters of its key with keys = ...");
      }
      KeyTemplate key = KeyTemplate.parse(method, where, invalidates.key());
      return List.of(new InvalidationSpec(cached.name(), null, key, List.of()));
    }
    if (cached.keyTemplate() != null && invalidates.keys().length > 0) {
      throw InterfaceChecks.misconfigured(
          method,
          where
              + ": "
              + InterfaceChecks.describe(cached.method())
              + " is keyed by the template \""
              + cached.method().getAnnotation(Cached.class).key()
              + "\"; give key = a template"
              + " that renders the same text");
    }
    String[] keys = invalidates.keys();
    if (keys.length == 0) {
      return List.of(new InvalidationSpec(cached.name(), null));
    }
    int[] cachedKeys = cached.keyPositions();
    Parameter[] cachedParameters = cached.method().getParameters();
    if (keys.length != cachedKeys.length) {
      throw InterfaceChecks.misconfigured(
          method,
          where
              + ": the key of "
              + InterfaceChecks.describe(cached.method())
              + " has "
              + cachedKeys.length
              + " parameter(s) "
              + ParameterNames.of(cachedParameters, cachedKeys)
              + ", but keys names "
              + keys.length);
    }
    Parameter[] parameters = method.getParameters();
    var positions = new int[keys.length];
    for (int k = 0; k < keys.length; k++) {
      int position = ParameterNames.positionOf(parameters, keys[k]);
      if (position < 0) {
        throw InterfaceChecks.misconfigured(
            method,
            where
                + ": no parameter named '"
                + keys[k]
                + "'; parameters: "
                + ParameterNames.of(parameters, null)
                + ParameterNames.hint(parameters, keys[k]));
      }
      Class<?> given = boxed(parameters[position].getType());
      Class<?> expected = boxed(cachedParameters[cachedKeys[k]].getType());
      if (!expected.isAssignableFrom(given)) {
        throw InterfaceChecks.misconfigured(
            method,
            where
                + ": parameter '"
                + keys[k]
                + "' has type "
                + parameters[position].getType().getSimpleName()
                + ", but key parameter "
                + (k + 1)
                + " of "
                + InterfaceChecks.describe(cached.method())
                + " has type "
                + cachedParameters[cachedKeys[k]].getType().getSimpleName()
                + ", so they can never be equal keys");
      }
      positions[k] = position;
    }
    return List.of(new InvalidationSpec(cached.name(), positions));
  }

  /**
   * The method that stands for a signature group: the one whose return type every other accepts. A
   * group of several declarations may not carry annotations: which one would apply is unclear.
   */
  private Method primaryOf(List<Method> group) {
    if (group.size() > 1 && group.stream().anyMatch(InterfaceChecks::isAnnotated)) {
      throw InterfaceChecks.misconfigured(
          group.getFirst(),
          "declared in "
              + group.stream()
                  .map(m -> m.getDeclaringClass().getSimpleName())
                  .collect(Collectors.joining(" and "))
              + " with annotations; redeclare it in "
              + iface.getSimpleName()
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
    // Primaries are routed before bridges.
    return bridged == null ? new Forward(bridge) : Objects.requireNonNull(routes.get(bridged));
  }

  private static String cacheName(Method method) {
    String name = method.getAnnotation(Cached.class).name();
    return name.isEmpty() ? method.getName() : name;
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
    return Arrays.stream(names)
        .map(n -> "\"" + n + "\"")
        .collect(
            Collectors.joining(", ", names.length == 1 ? "" : "{", names.length == 1 ? "" : "}"));
  }

  /** Sets the builder's freshness options from a {@code @Cached}'s attributes, checking them. */
  private static void applyFreshness(
      Method method, Cached cached, Loomcache<Object, Object> builder) {
    Duration refreshAfter = duration(method, "refreshAfter", cached.refreshAfter());
    Duration staleIfError = duration(method, "staleIfError", cached.staleIfError());
    Duration negativeTtl = duration(method, "negativeTtl", cached.negativeTtl());
    try {
      if (refreshAfter != null) {
        if (!cached.ttl().isEmpty()
            && refreshAfter.compareTo(DurationText.parsePositive(cached.ttl())) >= 0) {
          throw new IllegalArgumentException(
              "must be shorter than the ttl (\""
                  + cached.ttl()
                  + "\"), or results expire before they are refreshed");
        }
        builder.refreshAfter(refreshAfter);
      }
      if (staleIfError != null) {
        builder.staleIfError(staleIfError);
      }
      if (negativeTtl != null) {
        builder.negativeTtl(negativeTtl);
      }
    } catch (IllegalArgumentException e) {
      throw InterfaceChecks.misconfigured(
          method, "@Cached(refreshAfter = \"" + cached.refreshAfter() + "\"): " + e.getMessage());
    }
    if (cached.earlyRefresh() != 0) {
      if (cached.ttl().isEmpty()) {
        throw InterfaceChecks.misconfigured(
            method,
            "@Cached(earlyRefresh = "
                + cached.earlyRefresh()
                + ") needs a ttl: early refresh refreshes ahead of an expiry");
      }
      try {
        builder.earlyRefresh(cached.earlyRefresh());
      } catch (IllegalArgumentException e) {
        throw InterfaceChecks.misconfigured(
            method, "@Cached(earlyRefresh = " + cached.earlyRefresh() + "): " + e.getMessage());
      }
    }
    if (cached.ttlJitter() != 0) {
      try {
        builder.ttlJitter(cached.ttlJitter());
      } catch (IllegalArgumentException e) {
        throw InterfaceChecks.misconfigured(
            method, "@Cached(ttlJitter = " + cached.ttlJitter() + "): " + e.getMessage());
      }
    }
    if (cached.expireAfterHits() != 0) {
      try {
        builder.expireAfterHits(cached.expireAfterHits());
      } catch (IllegalArgumentException e) {
        throw InterfaceChecks.misconfigured(
            method,
            "@Cached(expireAfterHits = " + cached.expireAfterHits() + "): " + e.getMessage());
      }
    }
  }

  private static @Nullable Duration duration(Method method, String attribute, String text) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return DurationText.parsePositive(text);
    } catch (IllegalArgumentException e) {
      throw InterfaceChecks.misconfigured(
          method, "@Cached(" + attribute + " = \"" + text + "\"): " + e.getMessage());
    }
  }
}
