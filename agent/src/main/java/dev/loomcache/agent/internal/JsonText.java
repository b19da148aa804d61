package dev.loomcache.agent.internal;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Canonicalises JSON text (RFC 8259) in one pass, and writes canonical JSON strings.
 *
 * <p>Design note. LLM frameworks hand tools their arguments as JSON text, whose whitespace, member
 * order and number spelling vary from call to call. The parser rewrites the text straight into the
 * canonical form of {@link CanonicalArguments} (an object's members are gathered and sorted,
 * nothing else is buffered). Text that is not strictly valid JSON, holds a duplicate member name,
 * or nests deeper than {@link CanonicalArguments#MAX_DEPTH} is not canonicalised at all: the caller
 * then treats it as a plain string, which can never collide with a canonical object or array.
 */
final class JsonText {
  private final String text;
  private int pos;

  private JsonText(String text) {
    this.text = text;
  }

  /**
   * Returns the canonical form of {@code text} if it is a JSON object or array, else {@code null}.
   */
  static @Nullable String canonicalize(String text) {
    var parser = new JsonText(text);
    parser.skipWhitespace();
    if (parser.pos == text.length()
        || (text.charAt(parser.pos) != '{' && text.charAt(parser.pos) != '[')) {
      return null;
    }
    try {
      var out = new StringBuilder(text.length());
      parser.value(out, 0);
      parser.skipWhitespace();
      return parser.pos == text.length() ? out.toString() : null;
    } catch (NotJson | NumberFormatException e) {
      return null;
    }
  }

  /** Appends {@code value} as a JSON string with the canonical (RFC 8785) escapes. */
  static void quote(CharSequence value, StringBuilder out) {
    out.append('"');
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00")
                .append(Character.forDigit(c >> 4, 16))
                .append(Character.forDigit(c & 0xF, 16));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private void value(StringBuilder out, int depth) {
    if (depth > CanonicalArguments.MAX_DEPTH) {
      throw NotJson.INSTANCE;
    }
    switch (peek()) {
      case '{' -> object(out, depth);
      case '[' -> array(out, depth);
      case '"' -> quote(string(), out);
      case 't' -> literal("true", out);
      case 'f' -> literal("false", out);
      case 'n' -> literal("null", out);
      default -> number(out);
    }
  }

  private void object(StringBuilder out, int depth) {
    pos++; // '{'
    Map<String, String> members = new TreeMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
    } else {
      for (; ; ) {
        skipWhitespace();
        if (peek() != '"') {
          throw NotJson.INSTANCE;
        }
        String name = string();
        skipWhitespace();
        expect(':');
        skipWhitespace();
        var member = new StringBuilder();
        value(member, depth + 1);
        if (members.put(name, member.toString()) != null) {
          throw NotJson.INSTANCE; // duplicate names have no agreed meaning
        }
        skipWhitespace();
        if (peek() == ',') {
          pos++;
        } else {
          expect('}');
          break;
        }
      }
    }
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, String> member : members.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      quote(member.getKey(), out);
      out.append(':').append(member.getValue());
    }
    out.append('}');
  }

  private void array(StringBuilder out, int depth) {
    pos++; // '['
    out.append('[');
    skipWhitespace();
    if (peek() == ']') {
      pos++;
    } else {
      for (boolean first = true; ; first = false) {
        if (!first) {
          out.append(',');
        }
        skipWhitespace();
        value(out, depth + 1);
        skipWhitespace();
        if (peek() == ',') {
          pos++;
        } else {
          expect(']');
          break;
        }
      }
    }
    out.append(']');
  }

  private String string() {
    pos++; // opening quote
    var value = new StringBuilder();
    for (; ; ) {
      char c = next();
      if (c == '"') {
        return value.toString();
      }
      if (c < 0x20) {
        throw NotJson.INSTANCE;
      }
      if (c != '\\') {
        value.append(c);
        continue;
      }
      switch (next()) {
        case '"' -> value.append('"');
        case '\\' -> value.append('\\');
        case '/' -> value.append('/');
        case 'b' -> value.append('\b');
        case 'f' -> value.append('\f');
        case 'n' -> value.append('\n');
        case 'r' -> value.append('\r');
        case 't' -> value.append('\t');
        case 'u' -> value.append(hex4());
        default -> throw NotJson.INSTANCE;
      }
    }
  }

  private char hex4() {
    int code = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(next(), 16);
      if (digit < 0) {
        throw NotJson.INSTANCE;
      }
      code = code << 4 | digit;
    }
    return (char) code;
  }

  private void number(StringBuilder out) {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else {
      digits();
    }
    if (peek() == '.') {
      pos++;
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      digits();
    }
    CanonicalNumber.write(new BigDecimal(text.substring(start, pos)), out);
  }

  private void digits() {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == start) {
      throw NotJson.INSTANCE;
    }
  }

  private void literal(String word, StringBuilder out) {
    if (!text.startsWith(word, pos)) {
      throw NotJson.INSTANCE;
    }
    pos += word.length();
    out.append(word);
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private void expect(char c) {
    if (next() != c) {
      throw NotJson.INSTANCE;
    }
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private char next() {
    if (pos >= text.length()) {
      throw NotJson.INSTANCE;
    }
    return text.charAt(pos++);
  }

  /** The text is not JSON; thrown without a stack trace, caught in {@link #canonicalize}. */
  private static final class NotJson extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final NotJson INSTANCE = new NotJson();

    private NotJson() {
      super("not JSON", null, false, false);
    }
  }
}
