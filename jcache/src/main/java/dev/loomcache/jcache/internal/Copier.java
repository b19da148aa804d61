package dev.loomcache.jcache.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.Set;
import java.util.UUID;
import javax.cache.CacheException;

/**
 * Makes the copies that JCache's store-by-value needs: a key or value is copied when it goes into
 * the cache and again when it comes out, so neither side can change what the other holds.
 *
 * <p>Copies are made by Java serialization, read back through the cache manager's class loader.
 * Values of the JDK's immutable types (strings, boxed primitives, enums, {@code java.time} values,
 * big numbers, UUIDs) are shared instead: a copy of them could not be told apart.
 */
abstract class Copier {
  private static final Set<Class<?>> IMMUTABLE =
      Set.of(
          String.class,
          Boolean.class,
          Character.class,
          Byte.class,
          Short.class,
          Integer.class,
          Long.class,
          Float.class,
          Double.class,
          BigInteger.class,
          BigDecimal.class,
          UUID.class,
          Class.class);

  /** Returns the copier of a store-by-reference cache: every object is shared. */
  static Copier byReference() {
    return new Copier() {
      @Override
      <T> T copy(T object) {
        return object;
      }
    };
  }

  /** Returns the copier of a store-by-value cache, deserializing with {@code classLoader}. */
  static Copier byValue(ClassLoader classLoader) {
    return new Copier() {
      @Override
      <T> T copy(T object) {
        return isImmutable(object) ? object : serialCopy(object, classLoader);
      }
    };
  }

  /**
   * Returns an independent copy of {@code object}, or {@code object} itself when sharing it is
   * safe.
   *
   * @throws IllegalArgumentException if {@code object} cannot be copied (it is not serializable)
   * @throws CacheException if the copy cannot be read back
   */
  abstract <T> T copy(T object);

  private static boolean isImmutable(Object object) {
    Class<?> type = object.getClass();
    return IMMUTABLE.contains(type)
        || type.isEnum()
        || object instanceof Enum<?>
        || (object instanceof TemporalAccessor && type.getName().startsWith("java.time."));
  }

  @SuppressWarnings("unchecked")
  private static <T> T serialCopy(T object, ClassLoader classLoader) {
    var bytes = new ByteArrayOutputStream();
    try (var out = new ObjectOutputStream(bytes)) {
      out.writeObject(object);
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException(
          "A store-by-value cache copies its keys and values by serialization, but "
              + object.getClass().getName()
              + " is not serializable",
          e);
    } catch (IOException e) {
      throw new CacheException("Failed to copy a " + object.getClass().getName(), e);
    }
    try (var in =
        new LoaderObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()), classLoader)) {
      return (T) in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new CacheException("Failed to copy a " + object.getClass().getName(), e);
    }
  }

  /** Resolves classes with the cache manager's class loader first. */
  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader classLoader;

    LoaderObjectInputStream(InputStream in, ClassLoader classLoader) throws IOException {
      super(in);
      this.classLoader = classLoader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, classLoader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc);
      }
    }
  }
}
