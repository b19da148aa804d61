package dev.loomcache.spi;

import java.io.Serial;

/**
 * Thrown by a {@link ValueCodec} for bytes it cannot (or must not) decode: truncated, tampered
 * with, signed with another key, or of a class the deserialization filter rejects. The cache treats
 * it as a miss and counts it as a tier error.
 */
public class CorruptValueException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  public CorruptValueException(String message) {
    super(message);
  }

  public CorruptValueException(String message, Throwable cause) {
    super(message, cause);
  }
}
