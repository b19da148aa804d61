package dev.loomcache.limit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits the calls of an interface method behind a {@link dev.loomcache.CachingProxy}: at most
 * {@link #limit()} calls per {@link #period()} and key, in fixed windows, with an optional {@link
 * #ban()}. A denied call throws {@link RateLimitExceededException} and reaches neither the method's
 * cache nor the target; every call counts, cache hits included.
 *
 * <pre>{@code
 * interface PaymentApi {
 *   @RateLimited(limit = 10, period = "1m", ban = "10m", key = "{userId}")
 *   Receipt charge(String userId, long cents);
 * }
 * }</pre>
 *
 * <p>Checked when the proxy is built: the limit must be positive, the durations must parse and the
 * key template must name parameters (and public no-argument accessors) that exist.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RateLimited {

  /** The calls allowed per key and period; positive. */
  int limit();

  /**
   * The window: an ISO-8601 duration ({@code "PT1M"}) or a positive whole number with one unit,
   * {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} ({@code "1m"}).
   */
  String period();

  /**
   * How long a key that went over its limit is then refused, in the form of {@link #period()};
   * default: no ban.
   */
  String ban() default "";

  /**
   * The rate-limit key: text with {@code {parameter}} or {@code {parameter.accessor}} placeholders,
   * replaced by {@code String.valueOf} of the argument (or of the accessor's result), for instance
   * {@code "{userId}"} or {@code "tenant:{request.tenantId}"}. Default: one limit for every call of
   * the method.
   */
  String key() default "";
}
