package dev.loomcache.internal;

import static dev.loomcache.internal.InterfaceChecks.misconfigured;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A key written as text with {@code {parameter}} and {@code {parameter.accessor}} placeholders,
 * checked against a method's parameters when a proxy is built and rendered at each call.
 */
final class KeyTemplate {
  /** Literal text, or one argument (through an optional accessor). */
  private sealed interface Part {}

  private record Text(String text) implements Part {}

  private record Argument(int position, @Nullable Method accessor) implements Part {}

  private final List<Part> parts;

  private KeyTemplate(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  /**
   * Parses {@code template} for {@code method}.
   *
   * @param where how messages name the annotation, e.g. {@code @RateLimited(key = "{id}")}
   * @throws IllegalArgumentException naming the method if a brace is unbalanced or a placeholder
   *     names no parameter or no public no-argument accessor
   */
  static KeyTemplate parse(Method method, String where, String template) {
    var parts = new ArrayList<Part>();
    Parameter[] parameters = method.getParameters();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      int strayClose = template.indexOf('}', i);
      if (strayClose >= 0 && (open < 0 || strayClose < open)) {
        throw misconfigured(method, where + ": '}' at " + strayClose + " closes nothing");
      }
      if (open < 0) {
        parts.add(new Text(template.substring(i)));
        break;
      }
      if (open > i) {
        parts.add(new Text(template.substring(i, open)));
      }
      int close = template.indexOf('}', open);
      if (close < 0) {
        throw misconfigured(method, where + ": '{' at " + open + " is never closed");
      }
      parts.add(argument(method, where, parameters, template.substring(open + 1, close)));
      i = close + 1;
    }
    return new KeyTemplate(parts);
  }

  private static Argument argument(
      Method method, String where, Parameter[] parameters, String placeholder) {
    int dot = placeholder.indexOf('.');
    String name = dot < 0 ? placeholder : placeholder.substring(0, dot);
    int position = ParameterNames.positionOf(parameters, name);
    if (position < 0) {
      throw misconfigured(
          method,
          where
              + ": no parameter named '"
              + name
              + "'; parameters: "
              + ParameterNames.of(parameters, null)
              + ParameterNames.hint(parameters, name));
    }
    if (dot < 0) {
      return new Argument(position, null);
    }
    String accessorName = placeholder.substring(dot + 1);
    Class<?> type = parameters[position].getType();
    Method accessor;
    try {
      accessor = type.getMethod(accessorName);
    } catch (NoSuchMethodException e) {
      accessor = null;
    }
    if (accessor == null
        || Modifier.isStatic(accessor.getModifiers())
        || accessor.getReturnType() == void.class
        || !accessor.trySetAccessible()) {
      throw misconfigured(
          method,
          where
              + ": "
              + type.getSimpleName()
              + " has no accessible public no-argument method '"
              + accessorName
              + "'");
    }
    return new Argument(position, accessor);
  }

  /** The key for these arguments; an accessor's unchecked failure reaches the caller. */
  String render(@Nullable Object @Nullable [] arguments) {
    if (parts.isEmpty()) {
      return "";
    }
    var key = new StringBuilder();
    for (Part part : parts) {
      switch (part) {
        case Text text -> key.append(text.text());
        case Argument argument -> key.append(value(argument, arguments));
      }
    }
    return key.toString();
  }

  private static @Nullable Object value(
      Argument argument, @Nullable Object @Nullable [] arguments) {
    Object value = arguments == null ? null : arguments[argument.position()];
    Method accessor = argument.accessor();
    if (accessor == null || value == null) {
      return value;
    }
    try {
      return accessor.invoke(value);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("The key accessor " + accessor + " failed", e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("Cannot call the key accessor " + accessor, e);
    }
  }
}
