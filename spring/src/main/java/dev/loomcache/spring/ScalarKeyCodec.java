package dev.loomcache.spring;

import dev.loomcache.spi.KeyCodec;
import java.util.UUID;

/**
 * The manager's default key codec for caches with tiers: the key types Spring's default key
 * generator produces for one-parameter methods, each with a type tag so that {@code 1}, {@code 1L}
 * and {@code "1"} never share an entry and another instance decodes exactly the key that was
 * invalidated. Other keys (such as Spring's {@code SimpleKey} of several parameters, whose
 * parameters cannot be read back) need a key codec of the user's, or a {@code key} expression that
 * yields a string.
 */
final class ScalarKeyCodec implements KeyCodec<Object> {
  static final ScalarKeyCodec INSTANCE = new ScalarKeyCodec();

  private ScalarKeyCodec() {}

  @Override
  public String encode(Object key) {
    return switch (key) {
      case String s -> "s:" + s;
      case Long l -> "l:" + l;
      case Integer i -> "i:" + i;
      case UUID u -> "u:" + u;
      default ->
          throw new IllegalArgumentException(
              "no default tier encoding for keys of type "
                  + key.getClass().getName()
                  + ": give LoomcacheCacheManager a KeyCodec, or a @Cacheable"
                  + " key expression that yields a String, Long, Integer or UUID");
    };
  }

  @Override
  public Object decode(String encoded) {
    String body = encoded.length() < 2 ? "" : encoded.substring(2);
    try {
      return switch (encoded.length() < 2 ? "" : encoded.substring(0, 2)) {
        case "s:" -> body;
        case "l:" -> Long.parseLong(body);
        case "i:" -> Integer.parseInt(body);
        case "u:" -> UUID.fromString(body);
        default -> throw new IllegalArgumentException("not a key this codec wrote: " + encoded);
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a key this codec wrote: " + encoded, e);
    }
  }

  @Override
  public String toString() {
    return "ScalarKeyCodec";
  }
}
