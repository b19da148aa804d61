package dev.loomcache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes an interface method behind a {@link CachingProxy} invalidate a {@link Cached} method of the
 * same interface: every entry, or the one entry whose key is built from some of this method's
 * parameters.
 *
 * <p>The invalidation happens twice: before the target method runs, so that a read made during or
 * after the mutation loads fresh data, and again after it returns or throws, so that a read racing
 * the mutation cannot leave the old value behind. A method may carry several of these.
 *
 * <pre>{@code
 * @Cached
 * User findUser(long id);
 *
 * @Invalidates(value = "findUser", keys = "id")
 * void rename(long id, String name);
 * }</pre>
 *
 * <p>Checked when the proxy is built: the cached method must exist, each named parameter must
 * exist, there must be one per key parameter of the cached method, and each must be of a type that
 * can equal the cached method's argument.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Invalidates.List.class)
public @interface Invalidates {

  /** The {@linkplain Cached#name() name} of the cached method: by default its method name. */
  String value();

  /**
   * Names of this method's parameters that form the key, in the order of the cached method's key
   * parameters (those not annotated {@link KeyIgnore}). Empty (the default): every entry.
   * Parameter names are those compiled with {@code -parameters}, or given by {@link ParamName}.
   */
  String[] keys() default {};

  /** Holds several {@link Invalidates} on one method. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @interface List {

    /** The invalidations, applied in this order. */
    Invalidates[] value();
  }
}
