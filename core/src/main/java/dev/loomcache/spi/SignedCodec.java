package dev.loomcache.spi;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 signature in front of the payload: {@code [32-byte MAC][payload]}. */
final class SignedCodec<V> implements ValueCodec<V> {
  private static final String ALGORITHM = "HmacSHA256";
  private static final int MAC_LENGTH = 32;

  private final ValueCodec<V> inner;
  private final SecretKeySpec key;

  SignedCodec(ValueCodec<V> inner, byte[] hmacKey) {
    this.inner = inner;
    this.key = new SecretKeySpec(hmacKey, ALGORITHM);
  }

  @Override
  public byte[] encode(V value) {
    byte[] payload = inner.encode(value);
    byte[] signed = new byte[MAC_LENGTH + payload.length];
    System.arraycopy(mac(payload, 0, payload.length), 0, signed, 0, MAC_LENGTH);
    System.arraycopy(payload, 0, signed, MAC_LENGTH, payload.length);
    return signed;
  }

  @Override
  public V decode(byte[] bytes) {
    if (bytes.length < MAC_LENGTH) {
      throw new CorruptValueException("Signed value too short: " + bytes.length + " bytes");
    }
    byte[] expected = mac(bytes, MAC_LENGTH, bytes.length - MAC_LENGTH);
    if (!MessageDigest.isEqual(expected, Arrays.copyOf(bytes, MAC_LENGTH))) {
      throw new CorruptValueException("Value signature does not verify: tampered with or foreign");
    }
    return inner.decode(Arrays.copyOfRange(bytes, MAC_LENGTH, bytes.length));
  }

  private byte[] mac(byte[] data, int offset, int length) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM); // Mac is not thread-safe: one per call
      mac.init(key);
      mac.update(data, offset, length);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "ValueCodec.signed(" + inner + ")";
  }
}
