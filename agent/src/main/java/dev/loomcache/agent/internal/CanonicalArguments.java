package dev.loomcache.agent.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Turns tool arguments into canonical JSON text: equal arguments give equal text, and arguments
 * that mean different things give different text.
 *
 * <p>Design note. The text is JSON with no whitespace, object members sorted by key (UTF-16 code
 * unit order, as RFC 8785), numbers in one normalised form ({@link CanonicalNumber}), and records
 * written as objects of their components, so a record, a {@code Map} and the JSON an LLM framework
 * sends for the same arguments all give the same key. Sets become arrays sorted by their elements'
 * text; lists and arrays keep their order. A top-level {@code String} that holds a JSON object or
 * array is parsed and canonicalised ({@link JsonText}); any other string is a string. Unsupported
 * types are rejected rather than written with {@code toString}, which would silently merge or split
 * keys. Accessors of record classes are looked up once per class.
 */
public final class CanonicalArguments {
  /** Deeper nesting than this is rejected: it is almost certainly a cyclic structure. */
  static final int MAX_DEPTH = 100;

  private static final ClassValue<RecordWriter> RECORDS =
      new ClassValue<>() {
        @Override
        protected RecordWriter computeValue(Class<?> type) {
          return new RecordWriter(type);
        }
      };

  private CanonicalArguments() {}

  /**
   * Returns the canonical JSON text of {@code arguments}.
   *
   * @throws IllegalArgumentException if the arguments hold a type with no canonical form, a
   *     non-finite number, a cyclic structure, or a map whose keys collide as text
   */
  public static String of(@Nullable Object arguments) {
    if (arguments instanceof String text) {
      String json = JsonText.canonicalize(text);
      if (json != null) {
        return json;
      }
    }
    var out = new StringBuilder(32);
    try {
      write(arguments, out, 0);
    } catch (BadArgument e) {
      throw new IllegalArgumentException("arguments" + e.path + ": " + e.getMessage(), e);
    }
    return out.toString();
  }

  private static void write(@Nullable Object value, StringBuilder out, int depth) {
    if (depth > MAX_DEPTH) {
      throw new BadArgument("nested deeper than " + MAX_DEPTH + " levels (a cyclic structure?)");
    }
    switch (value) {
      case null -> out.append("null");
      case CharSequence text -> JsonText.quote(text, out);
      case Boolean bool -> out.append(bool.booleanValue());
      case Character character -> JsonText.quote(character.toString(), out);
      case Integer n -> out.append(n.intValue());
      case Long n -> out.append(n.longValue());
      case Short n -> out.append(n.shortValue());
      case Byte n -> out.append(n.byteValue());
      case Double n when !Double.isFinite(n) -> throw nonFinite(n);
      case Float n when !Float.isFinite(n) -> throw nonFinite(n);
      case Double n -> CanonicalNumber.writeDouble(n, out);
      case Float n -> CanonicalNumber.writeFloat(n, out);
      case BigDecimal n -> CanonicalNumber.write(n, out);
      case BigInteger n -> CanonicalNumber.write(new BigDecimal(n), out);
      case Enum<?> constant -> JsonText.quote(constant.name(), out);
      case Optional<?> optional -> write(optional.orElse(null), out, depth + 1);
      case Record record -> RECORDS.get(record.getClass()).write(record, out, depth);
      case Map<?, ?> map -> writeMap(map, out, depth);
      case Set<?> set -> writeSet(set, out, depth);
      case Collection<?> list -> writeList(list, out, depth);
      case UUID uuid -> JsonText.quote(uuid.toString(), out);
      case URI uri -> JsonText.quote(uri.toString(), out);
      default -> writeOther(value, out, depth);
    }
  }

  private static BadArgument nonFinite(Number value) {
    return new BadArgument("NaN and infinite numbers have no JSON form, but found " + value);
  }

  private static void writeOther(Object value, StringBuilder out, int depth) {
    Class<?> type = value.getClass();
    if (type.isArray()) {
      int length = Array.getLength(value);
      out.append('[');
      for (int i = 0; i < length; i++) {
        if (i > 0) {
          out.append(',');
        }
        writeElement(Array.get(value, i), i, out, depth);
      }
      out.append(']');
    } else if (type.getPackageName().equals("java.time")) {
      // Dates, times, durations and zones print in one ISO form per value.
      JsonText.quote(value.toString(), out);
    } else {
      throw new BadArgument(
          "unsupported type "
              + type.getName()
              + "; use records, maps, lists, sets, arrays, strings,"
              + " numbers, booleans, enums, UUID, URI or java.time values");
    }
  }

  private static void writeMap(Map<?, ?> map, StringBuilder out, int depth) {
    var members = new TreeMap<String, @Nullable Object>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = keyText(entry.getKey());
      if (members.containsKey(key)) {
        throw new BadArgument("two map keys have the same text \"" + key + "\"");
      }
      members.put(key, entry.getValue());
    }
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, @Nullable Object> member : members.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      JsonText.quote(member.getKey(), out);
      out.append(':');
      writeMember(member.getValue(), member.getKey(), out, depth);
    }
    out.append('}');
  }

  private static String keyText(@Nullable Object key) {
    return switch (key) {
      case CharSequence text -> text.toString();
      case Enum<?> constant -> constant.name();
      case Character character -> character.toString();
      case Integer n -> n.toString();
      case Long n -> n.toString();
      case Short n -> n.toString();
      case Byte n -> n.toString();
      case UUID uuid -> uuid.toString();
      case null -> throw new BadArgument("a map key is null");
      default ->
          throw new BadArgument(
              "unsupported map key type "
                  + key.getClass().getName()
                  + "; use strings, enums or integers");
    };
  }

  private static void writeSet(Set<?> set, StringBuilder out, int depth) {
    // Iteration order of a set says nothing about its value: sort the elements' texts.
    var texts = new ArrayList<String>(set.size());
    int index = 0;
    for (Object element : set) {
      var text = new StringBuilder();
      writeElement(element, index++, text, depth);
      texts.add(text.toString());
    }
    texts.sort(Comparator.naturalOrder());
    out.append('[');
    for (int i = 0; i < texts.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(texts.get(i));
    }
    out.append(']');
  }

  private static void writeList(Collection<?> list, StringBuilder out, int depth) {
    out.append('[');
    int index = 0;
    for (Object element : list) {
      if (index > 0) {
        out.append(',');
      }
      writeElement(element, index++, out, depth);
    }
    out.append(']');
  }

  private static void writeElement(
      @Nullable Object element, int index, StringBuilder out, int depth) {
    try {
      write(element, out, depth + 1);
    } catch (BadArgument e) {
      throw e.within("[" + index + "]");
    }
  }

  private static void writeMember(
      @Nullable Object value, String name, StringBuilder out, int depth) {
    try {
      write(value, out, depth + 1);
    } catch (BadArgument e) {
      throw e.within("." + name);
    }
  }

  /** Writes one record class as a JSON object of its components, sorted by name. */
  private static final class RecordWriter {
    private final String[] names;
    private final MethodHandle[] accessors;
    private final @Nullable String failure;

    RecordWriter(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      Arrays.sort(components, Comparator.comparing(RecordComponent::getName));
      names = new String[components.length];
      accessors = new MethodHandle[components.length];
      String problem = null;
      for (int i = 0; i < components.length; i++) {
        names[i] = components[i].getName();
        try {
          var accessor = components[i].getAccessor();
          accessor.setAccessible(true);
          accessors[i] =
              MethodHandles.lookup()
                  .unreflect(accessor)
                  .asType(MethodType.methodType(Object.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
          problem =
              "cannot read the components of record "
                  + type.getName()
                  + " ("
                  + e.getMessage()
                  + "); make it public, or open its package to module dev.loomcache.agent";
          break;
        }
      }
      failure = problem;
    }

    void write(Record record, StringBuilder out, int depth) {
      if (failure != null) {
        throw new BadArgument(failure);
      }
      out.append('{');
      for (int i = 0; i < names.length; i++) {
        if (i > 0) {
          out.append(',');
        }
        JsonText.quote(names[i], out);
        out.append(':');
        writeMember(component(i, record), names[i], out, depth);
      }
      out.append('}');
    }

    private @Nullable Object component(int i, Record record) {
      try {
        return (Object) accessors[i].invokeExact((Object) record);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new BadArgument("the accessor of component " + names[i] + " threw " + e);
      }
    }
  }

  /** A rejected argument, with the path to it collected on the way out. */
  private static final class BadArgument extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private String path = "";

    BadArgument(String message) {
      super(message, null, false, false);
    }

    BadArgument within(String segment) {
      path = segment + path;
      return this;
    }
  }
}
