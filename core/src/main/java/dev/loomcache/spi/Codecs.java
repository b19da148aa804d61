package dev.loomcache.spi;

import java.nio.charset.StandardCharsets;

/** The built-in codecs without state. */
final class Codecs {
  private Codecs() {}

  static final KeyCodec<String> STRING_KEYS =
      new KeyCodec<>() {
        @Override
        public String encode(String key) {
          return key;
        }

        @Override
        public String decode(String encoded) {
          return encoded;
        }

        @Override
        public String toString() {
          return "KeyCodec.string()";
        }
      };

  static final KeyCodec<Long> LONG_KEYS =
      new KeyCodec<>() {
        @Override
        public String encode(Long key) {
          return Long.toString(key);
        }

        @Override
        public Long decode(String encoded) {
          try {
            return Long.parseLong(encoded);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a long key: " + encoded, e);
          }
        }

        @Override
        public String toString() {
          return "KeyCodec.ofLong()";
        }
      };

  static final ValueCodec<String> UTF8 =
      new ValueCodec<>() {
        @Override
        public byte[] encode(String value) {
          return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
          return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
          return "ValueCodec.string()";
        }
      };

  static final ValueCodec<byte[]> BYTES =
      new ValueCodec<>() {
        @Override
        public byte[] encode(byte[] value) {
          return value;
        }

        @Override
        public byte[] decode(byte[] bytes) {
          return bytes;
        }

        @Override
        public String toString() {
          return "ValueCodec.bytes()";
        }
      };
}
