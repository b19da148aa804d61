package dev.loomcache.spi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/** Java serialization behind a mandatory {@link ObjectInputFilter}. */
final class JavaSerializationCodec<V> implements ValueCodec<V> {
  private final ObjectInputFilter filter;

  JavaSerializationCodec(ObjectInputFilter filter) {
    this.filter = filter;
  }

  @Override
  public byte[] encode(V value) {
    if (!(value instanceof Serializable)) {
      throw new IllegalArgumentException(
          "Java serialization needs a Serializable value, but got " + value.getClass().getName());
    }
    var bytes = new ByteArrayOutputStream();
    try (var out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not serialize " + value.getClass().getName(), e);
    }
    return bytes.toByteArray();
  }

  @Override
  @SuppressWarnings("unchecked")
  public V decode(byte[] bytes) {
    try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      in.setObjectInputFilter(filter);
      return (V) in.readObject();
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      throw new CorruptValueException("Could not deserialize a value (" + e + ")", e);
    }
  }

  @Override
  public String toString() {
    return "ValueCodec.javaSerialization(" + filter + ")";
  }
}
