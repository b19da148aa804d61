package dev.loomcache.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Parses the TTL strings of annotations and specs: ISO-8601 ({@code PT30S}, {@code P1D}) or a whole
 * number with one unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}).
 *
 * <p>The short form is deliberately narrow (lower-case units, no spaces, no fractions, no
 * combinations): {@code 5M} could mean months, and anything richer is what ISO-8601 is for.
 */
public final class DurationText {
  private static final Pattern SHORT_FORM = Pattern.compile("([0-9]+)(ms|s|m|h|d)");

  /** What the accepted forms look like, for error messages. */
  public static final String FORMS =
      "an ISO-8601 duration (PT30S, P1D) or a whole number with one unit of ms, s, m, h, d"
          + " (500ms, 30s, 5m, 2h, 1d)";

  private DurationText() {}

  /**
   * Returns the positive duration {@code text} describes.
   *
   * @throws IllegalArgumentException if {@code text} is in neither form, or is not positive
   */
  public static Duration parsePositive(String text) {
    Duration duration = parse(text);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("\"" + text + "\" is not a positive duration");
    }
    return duration;
  }

  /**
   * Returns the duration {@code text} describes (zero and, in ISO-8601, negative ones included).
   *
   * @throws IllegalArgumentException if {@code text} is in neither form
   */
  public static Duration parse(String text) {
    var shortForm = SHORT_FORM.matcher(text);
    if (!shortForm.matches()) {
      try {
        return Duration.parse(text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("\"" + text + "\" is not a duration; use " + FORMS, e);
      }
    }
    try {
      long amount = Long.parseLong(shortForm.group(1));
      return switch (shortForm.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("\"" + text + "\" is too long a duration", e);
    }
  }

  /**
   * Returns the shortest text that {@link #parse} reads back as {@code duration}: the short form
   * when the duration is a whole number of one unit, ISO-8601 otherwise.
   */
  public static String format(Duration duration) {
    if (duration.isNegative() || duration.getNano() % 1_000_000 != 0) {
      return duration.toString();
    }
    long millis;
    try {
      millis = duration.toMillis();
    } catch (ArithmeticException tooLong) {
      return duration.toString();
    }
    if (millis == 0) {
      return "0ms";
    }
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (millis % sizes[i] == 0) {
        return millis / sizes[i] + units[i];
      }
    }
    return millis + "ms";
  }
}
