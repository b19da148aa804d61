package dev.loomcache.internal.context;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the {@link ScopedContext} implementation once per JVM: {@code ScopedValueContext} where
 * the multi-release jar offers it (Java 25 and later), else {@link InheritableContext}.
 *
 * <p>The system property {@value #PROPERTY} set to {@value #INHERITABLE} forces the Java 21
 * implementation on any JVM (tests run the same contract against both); {@value #SCOPED_VALUE}
 * requires the Java 25 one and fails at first use if it cannot load.
 */
public final class ScopedContexts {
  private static final Logger logger = LoggerFactory.getLogger(ScopedContexts.class);

  /** The system property that picks the implementation. */
  public static final String PROPERTY = "loomcache.scopedContext";

  /** The name of the Java 21 implementation (an inheritable thread-local). */
  public static final String INHERITABLE = "inheritable-thread-local";

  /** The name of the Java 25 implementation (a {@code ScopedValue}). */
  public static final String SCOPED_VALUE = "scoped-value";

  private static final String SCOPED_VALUE_FACTORY =
      "dev.loomcache.internal.context.ScopedValueContextFactory";

  private ScopedContexts() {}

  private static final class Selected {
    static final ScopedContext.Factory FACTORY = select(System.getProperty(PROPERTY, ""));
  }

  /** Returns the factory this JVM uses. */
  public static ScopedContext.Factory selected() {
    return Selected.FACTORY;
  }

  /** Returns the Java 21 implementation's factory, whatever this JVM would pick. */
  public static ScopedContext.Factory inheritable() {
    return new InheritableContext.Factory();
  }

  /**
   * Returns the Java 25 implementation's factory, or empty when it is not on the class path (a Java
   * 21 to 24 runtime, which does not read {@code META-INF/versions/25}).
   */
  public static Optional<ScopedContext.Factory> scopedValue() {
    try {
      Class<?> type =
          Class.forName(SCOPED_VALUE_FACTORY, true, ScopedContexts.class.getClassLoader());
      return Optional.of((ScopedContext.Factory) type.getDeclaredConstructor().newInstance());
    } catch (ReflectiveOperationException | LinkageError e) {
      logger.debug("No ScopedValue context on this runtime: {}", e.toString());
      return Optional.empty();
    }
  }

  /** Returns the factory that the property value {@code wanted} picks ({@code ""}: unset). */
  static ScopedContext.Factory select(String wanted) {
    ScopedContext.Factory factory;
    switch (wanted) {
      case INHERITABLE -> factory = inheritable();
      case SCOPED_VALUE ->
          factory =
              scopedValue()
                  .orElseThrow(() ->
                      new IllegalStateException(
                          PROPERTY
                              + "="
                              + SCOPED_VALUE
                              + " needs Java 25 or later and the multi-release "
                              + "loomcache-core jar (its META-INF/versions/25), but this runtime is Java "
                              + Runtime.version().feature()
                              + ": remove the property to use "
                              + INHERITABLE));
      case "" -> factory = scopedValue().orElseGet(ScopedContexts::inheritable);
      default ->
          throw new IllegalStateException(
              "Unknown "
                  + PROPERTY
                  + " '"
                  + wanted
                  + "': use "
                  + SCOPED_VALUE
                  + " or "
                  + INHERITABLE
                  + ", or leave it unset");
    }
    logger.debug("Scoped contexts: {}", factory.name());
    return factory;
  }
}
