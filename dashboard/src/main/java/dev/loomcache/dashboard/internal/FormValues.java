package dev.loomcache.dashboard.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jetty.util.ajax.JSON;
import org.jspecify.annotations.Nullable;

/**
 * The fields of one submitted form, read with checks that produce messages a user can act on: each
 * names the field, the accepted range and the value that was given.
 */
public final class FormValues {
  private final Map<String, String[]> fields;

  private FormValues(Map<String, String[]> fields) {
    this.fields = Map.copyOf(fields);
  }

  /** Wraps a servlet-style parameter map (each field may repeat). */
  public static FormValues of(Map<String, String[]> fields) {
    return new FormValues(fields);
  }

  /**
   * Reads a JSON object of fields, as a client that posts {@code application/json} sends them:
   * strings and numbers become the field's text, read by the same checks as a form's. The fields of
   * {@code query} (the URL's) are added; a field given in both counts as given twice.
   *
   * @throws ApiException (400) if {@code json} is not one JSON object whose values are strings or
   *     numbers, naming what is wrong
   */
  public static FormValues ofJson(String json, Map<String, String[]> query) {
    Object parsed;
    try {
      parsed = new JSON().fromJSON(json);
    } catch (RuntimeException e) {
      throw ApiException.badRequest(
          "The body is not valid JSON ("
              + e.getMessage()
              + "); send an object of fields, such as {\"requests\": 1000}.");
    }
    if (!(parsed instanceof Map<?, ?> object)) {
      throw ApiException.badRequest(
          "The JSON body must be an object of fields, such as "
              + "{\"requests\": 1000}, but was "
              + kind(parsed)
              + ".");
    }
    var fields = new LinkedHashMap<String, String[]>(query);
    for (Map.Entry<?, ?> entry : object.entrySet()) {
      String name = String.valueOf(entry.getKey());
      String text = jsonText(name, entry.getValue());
      String[] earlier = fields.get(name);
      if (earlier == null) {
        fields.put(name, new String[] {text});
      } else {
        String[] both = Arrays.copyOf(earlier, earlier.length + 1);
        both[earlier.length] = text;
        fields.put(name, both);
      }
    }
    return new FormValues(fields);
  }

  private static String jsonText(String name, @Nullable Object value) {
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof Long || value instanceof Integer) {
      return value.toString();
    }
    if (value instanceof Double number) {
      // Jetty reads 1e3 or 1000.0 as a double; a whole one is the whole number it means.
      if (number == Math.rint(number) && Math.abs(number) < 0x1p53) {
        return Long.toString(number.longValue());
      }
      return number.toString();
    }
    throw ApiException.badRequest(
        name + " must be a number or a string, but was " + kind(value) + ".");
  }

  private static String kind(@Nullable Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map<?, ?>) {
      return "an object";
    }
    if (value instanceof Object[] || value instanceof List<?>) {
      return "an array";
    }
    if (value instanceof Boolean) {
      return value.toString();
    }
    return "'" + abbreviate(String.valueOf(value)) + "'";
  }

  /** Form values with no fields. */
  public static FormValues empty() {
    return new FormValues(Map.of());
  }

  /**
   * Rejects fields outside {@code allowed}, so that a misspelt field is an error rather than a
   * silently ignored value.
   *
   * @throws ApiException (400) naming the unknown fields and the accepted ones
   */
  public FormValues allowOnly(Set<String> allowed) {
    var unknown = new TreeSet<String>();
    for (String name : fields.keySet()) {
      if (!allowed.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw ApiException.badRequest(
          (unknown.size() == 1 ? "Unknown field " : "Unknown fields ")
              + String.join(", ", unknown)
              + "; accepted: "
              + String.join(", ", new TreeSet<>(allowed))
              + ".");
    }
    return this;
  }

  /** Whether {@code name} was given with a non-blank value. */
  public boolean has(String name) {
    return text(name) != null;
  }

  /**
   * Returns {@code name} as a whole number in {@code [min, max]}, or {@code fallback} when the
   * field is absent or blank.
   *
   * @throws ApiException (400) if the value is not a whole number or is out of range
   */
  public long wholeNumber(String name, long min, long max, long fallback) {
    String text = text(name);
    if (text == null) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(text.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          name
              + " must be a whole number from "
              + min
              + " to "
              + max
              + ", but was '"
              + abbreviate(text)
              + "'.");
    }
    if (value < min || value > max) {
      throw ApiException.badRequest(
          name + " must be from " + min + " to " + max + ", but was " + value + ".");
    }
    return value;
  }

  /** As {@link #wholeNumber}, for fields whose range fits an {@code int}. */
  public int wholeInt(String name, int min, int max, int fallback) {
    return (int) wholeNumber(name, min, max, fallback);
  }

  private @Nullable String text(String name) {
    String[] values = fields.get(name);
    if (values == null || values.length == 0) {
      return null;
    }
    if (values.length > 1) {
      throw ApiException.badRequest(name + " was given " + values.length + " times; give it once.");
    }
    String value = values[0].strip();
    return value.isEmpty() ? null : value;
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
