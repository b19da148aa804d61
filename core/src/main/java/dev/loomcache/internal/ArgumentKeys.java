package dev.loomcache.internal;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns the arguments of a cached function or method into a cache key.
 *
 * <p>Design note. Keys follow the arguments' own {@code equals} and {@code hashCode}, which is what
 * keeps {@code 1}, {@code 1L}, {@code 1.0} and {@code true} apart, and keeps two objects without an
 * {@code equals} of their own apart (the Python key builders this replaces collide on all of
 * these). Two kinds of argument cannot be used as they are: {@code null}, which the cache does not
 * accept as a key, and arrays, whose {@code equals} is identity and whose content may change after
 * the call. {@code null} gets a key of its own; an array is replaced by an {@link ArrayKey}, a
 * snapshot of its content (nested arrays included) tagged with its component type, so that {@code
 * int[]{1}}, {@code long[]{1}}, {@code Integer[]{1}} and {@code List.of(1)} are four different
 * keys.
 */
public final class ArgumentKeys {
  /** The key of a method whose key has no arguments. */
  public static final Object NO_ARGUMENTS = Singleton.NO_ARGUMENTS;

  private ArgumentKeys() {}

  /**
   * Returns the key for one argument: the argument itself unless it is {@code null} or an array.
   */
  public static Object of(@Nullable Object argument) {
    if (argument == null) {
      return Singleton.NULL;
    }
    if (argument.getClass().isArray()) {
      return ArrayKey.snapshot(argument, new IdentityHashMap<>());
    }
    return argument;
  }

  /**
   * Returns the key for the arguments at {@code positions}: {@link #NO_ARGUMENTS} for none, the key
   * of the single argument for one, and a composite of the argument keys otherwise.
   *
   * @param arguments the call's arguments, {@code null} for a method without parameters
   */
  public static Object of(@Nullable Object @Nullable [] arguments, int[] positions) {
    if (positions.length == 0) {
      return NO_ARGUMENTS;
    }
    if (arguments == null) {
      throw new IllegalArgumentException(
          "arguments are missing for positions " + Arrays.toString(positions));
    }
    if (positions.length == 1) {
      return of(arguments[positions[0]]);
    }
    var keys = new Object[positions.length];
    for (int i = 0; i < positions.length; i++) {
      keys[i] = of(arguments[positions[i]]);
    }
    return new CompositeKey(keys);
  }

  private enum Singleton {
    NULL,
    NO_ARGUMENTS;

    @Override
    public String toString() {
      return this == NULL ? "null" : "()";
    }
  }

  /** Several argument keys, compared element by element. */
  private static final class CompositeKey {
    private final Object[] keys;
    private final int hash;

    CompositeKey(Object[] keys) {
      this.keys = keys;
      this.hash = Arrays.hashCode(keys);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CompositeKey other
          && hash == other.hash
          && Arrays.equals(keys, other.keys);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      var text = Arrays.toString(keys);
      return "(" + text.substring(1, text.length() - 1) + ")";
    }
  }

  /**
   * A snapshot of an array: its component type and a copy of its content, in which nested arrays
   * are themselves snapshots (so their component types count too).
   */
  private static final class ArrayKey {
    private final Class<?> componentType;
    private final Object content; // a primitive array copy, or an Object[] of argument keys
    private final int hash;

    private ArrayKey(Class<?> componentType, Object content) {
      this.componentType = componentType;
      this.content = content;
      this.hash = 31 * componentType.hashCode() + Arrays.deepHashCode(new Object[] {content});
    }

    static ArrayKey snapshot(Object array, Map<Object, Boolean> enclosing) {
      Class<?> componentType = array.getClass().getComponentType();
      if (componentType.isPrimitive()) {
        return new ArrayKey(componentType, copyOfPrimitive(array));
      }
      if (enclosing.put(array, Boolean.TRUE) != null) {
        throw new IllegalArgumentException(
            "An array that contains itself cannot be a cache key: "
                + componentType.getName()
                + "[]");
      }
      var elements = (Object[]) array;
      var copy = new Object[elements.length];
      for (int i = 0; i < elements.length; i++) {
        Object element = elements[i];
        // Elements keep their own equals, like any argument; only nested arrays are snapshotted.
        copy[i] =
            element != null && element.getClass().isArray()
                ? snapshot(element, enclosing)
                : element;
      }
      enclosing.remove(array);
      return new ArrayKey(componentType, copy);
    }

    private static Object copyOfPrimitive(Object array) {
      int length = Array.getLength(array);
      var copy = Array.newInstance(array.getClass().getComponentType(), length);
      System.arraycopy(array, 0, copy, 0, length);
      return copy;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ArrayKey other
          && hash == other.hash
          && componentType == other.componentType
          && Arrays.deepEquals(new Object[] {content}, new Object[] {other.content});
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      String wrapped = Arrays.deepToString(new Object[] {content}); // "[[...]]"
      return componentType.getSimpleName() + wrapped.substring(1, wrapped.length() - 1);
    }
  }
}
