package dev.loomcache.chronicle.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What Chronicle Map needs from the JVM, checked before any Chronicle class is touched.
 *
 * <p>Chronicle reports usage analytics over the internet and prints a banner unless two system
 * properties are set before its classes initialize; {@link #silenceChronicle()} sets them. This
 * class must never reference a Chronicle type, so that loading it cannot load Chronicle.
 */
public final class ChronicleEnvironment {
  /** Chronicle's switches for phoning home and for its start-up banner. */
  public static final List<String> SILENCING_PROPERTIES =
      List.of("chronicle.analytics.disable", "chronicle.announcer.disable");

  /** The flags Chronicle Map needs on Java 25, in the order the message names them. */
  public static final List<String> REQUIRED_FLAGS =
      List.of(
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED");

  private ChronicleEnvironment() {}

  /**
   * Sets Chronicle's analytics and announcer switches to {@code true}, overriding any other value:
   * a cache must never send traffic anywhere. Idempotent; takes effect only for Chronicle classes
   * not yet initialized.
   */
  public static void silenceChronicle() {
    for (String property : SILENCING_PROPERTIES) {
      System.setProperty(property, "true");
    }
  }

  /**
   * Returns the required flags this JVM runs without, judged by what is actually opened and
   * exported to the class path (so flags given in {@code JDK_JAVA_OPTIONS}, argument files or a jar
   * manifest count), plus a note if the runtime lacks the {@code jdk.compiler} module.
   */
  public static List<String> missingFlags() {
    Module unnamed = ChronicleEnvironment.class.getClassLoader().getUnnamedModule();
    Module base = Object.class.getModule();
    var missing = new ArrayList<String>();
    if (!base.isOpen("java.lang", unnamed)) {
      missing.add(REQUIRED_FLAGS.get(0));
    }
    if (!base.isOpen("java.lang.reflect", unnamed)) {
      missing.add(REQUIRED_FLAGS.get(1));
    }
    if (!base.isExported("sun.nio.ch", unnamed)) {
      missing.add(REQUIRED_FLAGS.get(2));
    }
    Optional<Module> compiler = ModuleLayer.boot().findModule("jdk.compiler");
    if (compiler.isEmpty()) {
      missing.add(
          REQUIRED_FLAGS.get(3) + " (and a full JDK: this runtime has no jdk.compiler module)");
    } else if (!compiler.get().isExported("com.sun.tools.javac.file", unnamed)) {
      missing.add(REQUIRED_FLAGS.get(3));
    }
    return List.copyOf(missing);
  }

  /**
   * Throws unless every required flag is in effect.
   *
   * @throws IllegalStateException naming every missing flag in one message
   */
  public static void checkFlags() {
    List<String> missing = missingFlags();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "ChronicleStore needs these JVM flags on Java 25, missing "
              + missing.size()
              + " of "
              + REQUIRED_FLAGS.size()
              + ": "
              + String.join(" ", missing)
              + ". Add them to the java command line (or to JDK_JAVA_OPTIONS); all four are: "
              + String.join(" ", REQUIRED_FLAGS));
    }
  }
}
