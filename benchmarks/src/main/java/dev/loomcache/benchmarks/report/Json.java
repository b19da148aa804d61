package dev.loomcache.benchmarks.report;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Writes maps, lists, strings, numbers, booleans and nulls as indented JSON. */
public final class Json {
  private Json() {}

  /**
   * Returns {@code value} as JSON text. Non-finite numbers become {@code null} (JSON has none).
   *
   * @throws IllegalArgumentException if {@code value} holds a type other than those above, or a map
   *     with a non-string key
   */
  public static String write(@Nullable Object value) {
    var out = new StringBuilder();
    write(out, value, "");
    return out.append('\n').toString();
  }

  private static void write(StringBuilder out, @Nullable Object value, String indent) {
    switch (value) {
      case null -> out.append("null");
      case String text -> string(out, text);
      case Boolean bool -> out.append(bool);
      case Double number -> out.append(Double.isFinite(number) ? number.toString() : "null");
      case Float number -> out.append(Float.isFinite(number) ? number.toString() : "null");
      case Number number -> out.append(number);
      case Map<?, ?> map -> object(out, map, indent);
      case List<?> list -> array(out, list, indent);
      default ->
          throw new IllegalArgumentException("cannot write " + value.getClass() + " as JSON");
    }
  }

  private static void object(StringBuilder out, Map<?, ?> map, String indent) {
    if (map.isEmpty()) {
      out.append("{}");
      return;
    }
    String inner = indent + "  ";
    out.append("{\n");
    Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
    while (entries.hasNext()) {
      Map.Entry<?, ?> entry = entries.next();
      if (!(entry.getKey() instanceof String key)) {
        throw new IllegalArgumentException("JSON keys must be strings, but got " + entry.getKey());
      }
      out.append(inner);
      string(out, key);
      out.append(": ");
      write(out, entry.getValue(), inner);
      out.append(entries.hasNext() ? ",\n" : "\n");
    }
    out.append(indent).append('}');
  }

  private static void array(StringBuilder out, List<?> list, String indent) {
    if (list.isEmpty()) {
      out.append("[]");
      return;
    }
    String inner = indent + "  ";
    out.append("[\n");
    for (int i = 0; i < list.size(); i++) {
      out.append(inner);
      write(out, list.get(i), inner);
      out.append(i < list.size() - 1 ? ",\n" : "\n");
    }
    out.append(indent).append(']');
  }

  private static void string(StringBuilder out, String text) {
    out.append('"');
    for (char ch : text.toCharArray()) {
      switch (ch) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (ch < 0x20) {
            out.append(String.format("\\u%04x", (int) ch));
          } else {
            out.append(ch);
          }
        }
      }
    }
    out.append('"');
  }
}
