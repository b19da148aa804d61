package dev.loomcache.internal;

import static dev.loomcache.internal.InterfaceChecks.misconfigured;

import dev.loomcache.ParamName;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import org.jspecify.annotations.Nullable;

/**
 * The names by which {@code @Invalidates(keys = ...)} refers to parameters: {@link ParamName} when
 * present, otherwise the name the compiler recorded ({@code arg0}, {@code arg1}, ... without {@code
 * -parameters}).
 */
final class ParameterNames {
  private ParameterNames() {}

  /** Rejects a blank {@link ParamName} and two parameters of {@code method} with one name. */
  static void checkUnique(Method method) {
    var seen = new HashMap<String, Integer>();
    Parameter[] parameters = method.getParameters();
    for (int i = 0; i < parameters.length; i++) {
      ParamName name = parameters[i].getAnnotation(ParamName.class);
      if (name != null && name.value().isBlank()) {
        throw misconfigured(method, "@ParamName on parameter " + (i + 1) + " is blank");
      }
      Integer other = seen.put(of(parameters[i]), i);
      if (other != null) {
        throw misconfigured(
            method,
            "parameters "
                + (other + 1)
                + " and "
                + (i + 1)
                + " are both named '"
                + of(parameters[i])
                + "'");
      }
    }
  }

  /** The position of the parameter named {@code name}, or -1. */
  static int positionOf(Parameter[] parameters, String name) {
    for (int i = 0; i < parameters.length; i++) {
      if (of(parameters[i]).equals(name)) {
        return i;
      }
    }
    return -1;
  }

  static String of(Parameter parameter) {
    ParamName name = parameter.getAnnotation(ParamName.class);
    return name == null ? parameter.getName() : name.value();
  }

  /** {@code (id, name)}: the names at {@code positions}, or of every parameter if null. */
  static String of(Parameter[] parameters, int @Nullable [] positions) {
    var names = new ArrayList<String>();
    for (int i = 0; i < parameters.length; i++) {
      int position = i;
      if (positions == null || Arrays.stream(positions).anyMatch(p -> p == position)) {
        names.add(of(parameters[i]));
      }
    }
    return "(" + String.join(", ", names) + ")";
  }

  /**
   * The fix for a missing parameter {@code name} when the compiler recorded no names, or {@code
   * ""}: consumers' builds rarely compile with {@code -parameters}, so say exactly what to write.
   */
  static String hint(Parameter[] parameters, String name) {
    for (Parameter parameter : parameters) {
      if (!parameter.isNamePresent() && !parameter.isAnnotationPresent(ParamName.class)) {
        return " (the interface was compiled without -parameters, so its parameter names are lost:"
            + " annotate the parameter with @ParamName(\""
            + name
            + "\"), or compile the interface"
            + " with javac -parameters; in Maven, <parameters>true</parameters> in the"
            + " maven-compiler-plugin configuration)";
      }
    }
    return "";
  }
}
