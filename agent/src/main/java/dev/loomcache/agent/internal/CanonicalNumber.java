package dev.loomcache.agent.internal;

import java.math.BigDecimal;

/**
 * Writes a number in its one canonical form, so that {@code 1}, {@code 1.0}, {@code 1e0} and {@code
 * 10E-1} are the same key.
 *
 * <p>Design note. The number is reduced to its shortest decimal digits {@code d} (no trailing
 * zeros) and exponent {@code n} (value = 0.d × 10^n), then printed the way ECMAScript prints
 * numbers, which is also what RFC 8785 uses: integers up to 21 digits in full ({@code 100}),
 * fractions with a decimal point ({@code 0.5}, {@code 0.000001}), anything else in exponent form
 * ({@code 1e+21}, {@code 1.5e-7}). Doubles and floats go through their shortest round-tripping
 * decimal ({@link Double#toString}), so {@code 0.1} stays {@code 0.1}. Negative zero is {@code 0}.
 * Unlike ECMAScript, precision is never lost: a 30-digit integer keeps its 30 digits.
 */
final class CanonicalNumber {
  private CanonicalNumber() {}

  /** Writes a finite double. */
  static void writeDouble(double value, StringBuilder out) {
    if (value == Math.rint(value) && Math.abs(value) < 0x1p53) {
      out.append((long) value); // exact, and the common case of JSON integers parsed as doubles
    } else {
      write(BigDecimal.valueOf(value), out);
    }
  }

  /** Writes a finite float. */
  static void writeFloat(float value, StringBuilder out) {
    write(new BigDecimal(Float.toString(value)), out);
  }

  static void write(BigDecimal value, StringBuilder out) {
    if (value.signum() == 0) {
      out.append('0');
      return;
    }
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.signum() < 0) {
      out.append('-');
    }
    String digits = stripped.unscaledValue().abs().toString();
    int k = digits.length();
    long n = (long) k - stripped.scale(); // value = 0.digits × 10^n
    if (k <= n && n <= 21) {
      out.append(digits).repeat('0', (int) (n - k));
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, (int) n).append('.').append(digits, (int) n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.").repeat('0', (int) -n).append(digits);
    } else {
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      long exponent = n - 1;
      out.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
    }
  }
}
