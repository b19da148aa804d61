package dev.loomcache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a parameter of an {@link Invalidates} method for {@link Invalidates#keys()}, in place of
 * the name the compiler recorded.
 *
 * <p>Needed only when the interface is compiled without {@code -parameters} (the reflected names
 * are then {@code arg0}, {@code arg1}, ...). When present, it is the parameter's only name.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ParamName {

  /** The parameter's name; not blank, and unique within its method. */
  String value();
}
