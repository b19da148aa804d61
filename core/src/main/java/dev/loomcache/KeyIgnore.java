package dev.loomcache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Leaves a parameter of a {@link Cached} method out of the key, so that its value does not split
 * the cache: a session, a request context, a connection.
 *
 * <p>Allowed only on parameters of {@link Cached} methods; elsewhere {@link CachingProxy} rejects
 * it when the proxy is built.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface KeyIgnore {}
