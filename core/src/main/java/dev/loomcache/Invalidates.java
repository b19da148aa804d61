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
 * <pre>{@code
 * @Cached(tags = "user:{id}")
 * List<Order> ordersOf(long id);
 *
 * @Invalidates(tags = "user:{order.userId}")
 * void place(Order order);
 * }</pre>
 *
 * <p>Checked when the proxy is built: the cached method must exist, each named parameter must
 * exist, there must be one per key parameter of the cached method, and each must be of a type that
 * can equal the cached method's argument; templates must name existing parameters and accessors.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Invalidates.List.class)
public @interface Invalidates {

  /**
   * The {@linkplain Cached#name() name} of the cached method: by default its method name. May be
   * left out only with {@link #tags()}, which then apply to every cached method that declares
   * {@link Cached#tags()}.
   */
  String value() default "";

  /**
   * Names of this method's parameters that form the key, in the order of the cached method's key
   * parameters (those not annotated {@link KeyIgnore}). Empty (the default): every entry. Parameter
   * names are those compiled with {@code -parameters}, or given by {@link ParamName}.
   */
  String[] keys() default {};

  /**
   * The key as a template, for a cached method whose {@link Cached#key()} is a template: this
   * method's arguments rendered into it give the one entry to invalidate, as in
   * {@code @Invalidates(value = "findUser", key = "user:{id}")}. Not together with {@link #keys()}.
   */
  String key() default "";

  /**
   * Tag templates rendered from this method's arguments, as in {@code @Invalidates(tags =
   * "user:{id}")}: every entry carrying one of the tags is invalidated, in the named cached method,
   * or in every cached method declaring tags when {@link #value()} is left out. Not together with
   * {@link #keys()} or {@link #key()}.
   */
  String[] tags() default {};

  /** Holds several {@link Invalidates} on one method. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @interface List {

    /** The invalidations, applied in this order. */
    Invalidates[] value();
  }
}
