package dev.loomcache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches the results of an interface method behind a {@link CachingProxy}, in a cache of its own.
 *
 * <p>The key is built from the method's arguments, minus those annotated {@link KeyIgnore}, with
 * the rules of {@link CachingProxy}. Concurrent calls with equal keys run the target once. A {@code
 * null} result is returned and not cached (unless {@link #negativeTtl()} is set); exceptions are
 * never cached. The freshness attributes mean what the builder's options of the same names mean,
 * for example {@code @Cached(ttl = "5m", refreshAfter = "4m", staleIfError = "30m")}.
 *
 * <p>Checked when the proxy is built: the method must return a value, the TTL must parse, the size
 * must not be negative, no two cached methods of an interface may share a name, and every
 * placeholder of {@link #key()} and {@link #tags()} must name a parameter (and an accessor of its
 * type).
 *
 * <pre>{@code
 * @Cached(key = "user:{id}", tags = {"user:{id}", "org:{org.id}"})
 * User findUser(long id, Org org);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Cached {

  /**
   * The cache's name: the {@code cache} tag of its metrics, and how {@link Invalidates} and {@link
   * CachingProxy#stats} refer to it. Default: the method's name. Overloaded cached methods need
   * distinct names.
   */
  String name() default "";

  /** The maximum number of entries kept; default 10,000. Zero keeps nothing. */
  long maximumSize() default 10_000;

  /**
   * How long a result lives: an ISO-8601 duration ({@code "PT30S"}, {@code "P1D"}) or a positive
   * whole number with one unit, {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} ({@code
   * "500ms"}, {@code "30s"}, {@code "5m"}, {@code "2h"}, {@code "1d"}). Default: results never
   * expire.
   */
  String ttl() default "";

  /**
   * A key template: the cache key becomes this text with {@code {parameter}} and {@code
   * {parameter.accessor}} placeholders replaced by the call's arguments (an accessor is a public
   * no-argument method of the parameter's type, such as a record component), as in
   * {@code @Cached(key = "user:{user.id}")}. Default: the key is built from the arguments
   * themselves. With a template, equal rendered texts are one entry, and {@link KeyIgnore} is not
   * allowed (the template already chooses). Checked when the proxy is built.
   */
  String key() default "";

  /**
   * Tag templates, written like {@link #key()}: each result stored is tagged with these texts
   * rendered from the call's arguments, so that {@link Invalidates#tags()} (or {@code
   * Cache.invalidateTag}) can remove it, as in {@code @Cached(tags = "user:{id}")}. Default: no
   * tags. Checked when the proxy is built.
   */
  String[] tags() default {};

  /**
   * Refresh-ahead: a call on a result stored longer ago than this returns it at once and reloads it
   * in the background (see {@code Loomcache.refreshAfter}). Written as {@link #ttl()}; shorter than
   * the TTL. Default: off.
   */
  String refreshAfter() default "";

  /**
   * Keeps an expired result this long, and returns it when the call to the target fails (see {@code
   * Loomcache.staleIfError}). Written as {@link #ttl()}. Default: off.
   */
  String staleIfError() default "";

  /**
   * Remembers a {@code null} result this long instead of calling the target again (see {@code
   * Loomcache.negativeTtl}). Written as {@link #ttl()}. Default: {@code null} is not cached.
   */
  String negativeTtl() default "";

  /**
   * XFetch early refresh's beta (see {@code Loomcache.earlyRefresh}); needs a TTL. Default 0: off.
   */
  double earlyRefresh() default 0;

  /** Shortens each stored TTL by a random fraction up to this (see {@code Loomcache.ttlJitter}). */
  double ttlJitter() default 0;

  /** Drops a result at its n-th hit (see {@code Loomcache.expireAfterHits}). Default 0: off. */
  long expireAfterHits() default 0;
}
