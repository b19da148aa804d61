package dev.loomcache.dashboard.internal;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The fields of one submitted form, read with checks that produce messages a user can act on:
 * each names the field, the accepted range and the value that was given.
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
          (unknown.size() == 1 ? "Unknown field " : "Unknown fields ") + String.join(", ", unknown)
              + "; accepted: " + String.join(", ", new TreeSet<>(allowed)) + ".");
    }
    return this;
  }

  /** Whether {@code name} was given with a non-blank value. */
  public boolean has(String name) {
    return text(name) != null;
  }

  /**
   * Returns {@code name} as a whole number in {@code [min, max]}, or {@code fallback} when the field
   * is absent or blank.
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
          name + " must be a whole number from " + min + " to " + max + ", but was '"
              + abbreviate(text) + "'.");
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
