package dev.loomcache.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Parses {@code key=value,key=value} text into calls on a builder, the way Caffeine's {@code
 * CaffeineSpec} does, from a table of options.
 *
 * <p>Design note: each option is one entry (its key, how its value is read, which setter takes it),
 * so an option the builder gains later is one line in the table that lists them. The parser owns
 * the whole protocol: splitting, blank and duplicate keys, unknown keys, and turning a bad value
 * (or a value the setter rejects) into an {@link IllegalArgumentException} that names the key and
 * the text, and lists the valid keys. It never echoes more of the input than the offending entry.
 *
 * @param <B> the builder type
 */
public final class SpecParser<B> {
  private final String what;
  private final Map<String, Option<B, ?>> options;

  private SpecParser(String what, Map<String, Option<B, ?>> options) {
    this.what = what;
    this.options = options;
  }

  /**
   * Starts a table for {@code what} (a word for messages, such as {@code "cache spec"}).
   *
   * @param <B> the builder type
   */
  public static <B> Table<B> table(String what) {
    return new Table<>(requireNonNull(what, "what must not be null"));
  }

  /** The valid keys, in table order. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(options.keySet());
  }

  /**
   * Applies every entry of {@code spec} to {@code builder}, left to right. Blank text applies
   * nothing. Whitespace around keys and values is ignored.
   *
   * @throws IllegalArgumentException for an entry without {@code =}, a blank key, an unknown or
   *     repeated key, or a value its option does not accept
   */
  public B apply(String spec, B builder) {
    requireNonNull(spec, what + " must not be null");
    requireNonNull(builder, "builder must not be null");
    if (spec.isBlank()) {
      return builder;
    }
    var seen = new LinkedHashMap<String, String>();
    for (String entry : spec.split(",", -1)) {
      int equals = entry.indexOf('=');
      if (entry.isBlank()) {
        throw new IllegalArgumentException(
            what
                + " has an empty entry (two commas in a row,"
                + " or a comma at an end); valid keys: "
                + validKeys());
      }
      if (equals < 0) {
        throw new IllegalArgumentException(
            what
                + " entry '"
                + entry.strip()
                + "' has no value: write key=value; valid keys: "
                + validKeys());
      }
      String key = entry.substring(0, equals).strip();
      String value = entry.substring(equals + 1).strip();
      Option<B, ?> option = options.get(key);
      if (option == null) {
        throw new IllegalArgumentException(
            (key.isEmpty()
                    ? what + " has an entry with no key"
                    : "unknown key '" + key + "' in " + what)
                + "; valid keys: "
                + validKeys());
      }
      if (seen.putIfAbsent(key, value) != null) {
        throw new IllegalArgumentException(
            "key '"
                + key
                + "' appears twice in "
                + what
                + " (first "
                + key
                + "="
                + seen.get(key)
                + ", then "
                + key
                + "="
                + value
                + ")");
      }
      option.applyTo(builder, value, what);
    }
    return builder;
  }

  private String validKeys() {
    return String.join(", ", options.keySet());
  }

  /** Collects the options of a parser; build it once and share it (it is immutable). */
  public static final class Table<B> {
    private final String what;
    private final Map<String, Option<B, ?>> options = new LinkedHashMap<>();

    private Table(String what) {
      this.what = what;
    }

    /**
     * Adds an option read by {@code reader}, whose result goes to {@code setter}.
     *
     * @throws IllegalStateException if {@code key} is already in the table
     */
    public <T> Table<B> option(String key, Reader<T> reader, BiConsumer<B, T> setter) {
      if (options.putIfAbsent(key, new Option<>(key, reader, setter)) != null) {
        throw new IllegalStateException("option '" + key + "' is already in the table");
      }
      return this;
    }

    /** Returns the parser; the table may not be changed afterwards. */
    public SpecParser<B> build() {
      return new SpecParser<>(what, Collections.unmodifiableMap(new LinkedHashMap<>(options)));
    }
  }

  /**
   * How one option's text becomes a value: a description of the accepted form (for messages) and a
   * function that throws {@link IllegalArgumentException} for text not in it.
   *
   * @param <T> the value type
   */
  public record Reader<T>(String form, Function<String, T> read) {
    /** Whole numbers that fit in a {@code long}. */
    public static final Reader<Long> LONG = new Reader<>("a whole number", Long::parseLong);

    /** Whole numbers that fit in an {@code int}. */
    public static final Reader<Integer> INT = new Reader<>("a whole number", Integer::parseInt);

    /** Decimal numbers, such as {@code 0.1}; not NaN or infinite. */
    public static final Reader<Double> DOUBLE =
        new Reader<>(
            "a decimal number",
            text -> {
              double parsed = Double.parseDouble(text);
              if (Double.isNaN(parsed) || Double.isInfinite(parsed)) {
                throw new IllegalArgumentException("not a finite number");
              }
              return parsed;
            });

    /** {@code true} or {@code false}, in any case. */
    public static final Reader<Boolean> BOOLEAN =
        new Reader<>(
            "true or false",
            text ->
                switch (text.toLowerCase(Locale.ROOT)) {
                  case "true" -> true;
                  case "false" -> false;
                  default -> throw new IllegalArgumentException("not true or false");
                });

    /** Any non-blank text, as it is. */
    public static final Reader<String> TEXT =
        new Reader<>(
            "non-blank text",
            text -> {
              if (text.isBlank()) {
                throw new IllegalArgumentException("blank");
              }
              return text;
            });

    /** Durations as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601. */
    public static final Reader<Duration> DURATION =
        new Reader<>(DurationText.FORMS, DurationText::parse);

    /** Constants of {@code type}, by name in any case. */
    public static <E extends Enum<E>> Reader<E> ofEnum(Class<E> type) {
      var names = new StringBuilder();
      for (E constant : type.getEnumConstants()) {
        names.append(names.isEmpty() ? "" : " or ").append(constant.name());
      }
      return new Reader<>(
          names.toString(), text -> Enum.valueOf(type, text.toUpperCase(Locale.ROOT)));
    }
  }

  private record Option<B, T>(String key, Reader<T> reader, BiConsumer<B, T> setter) {
    void applyTo(B builder, String text, String what) {
      T value;
      try {
        value = reader.read().apply(text);
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw new IllegalArgumentException(
            "bad value for key '"
                + key
                + "' in "
                + what
                + ": '"
                + text
                + "' is not "
                + reader.form(),
            e);
      }
      try {
        setter.accept(builder, value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "bad value for key '" + key + "' in " + what + ": '" + text + "': " + e.getMessage(),
            e);
      }
    }
  }
}
