package dev.loomcache.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.internal.context.ScopedContexts;
import org.junit.jupiter.api.Test;

/**
 * The preview executions run the seam the JVM is meant to pick: on JDK 25 the {@code ScopedValue}
 * one from {@code META-INF/versions/25} of the core jar, unless the execution forces the Java 21
 * one with {@code -Dloomcache.scopedContext}. Without this check, an execution whose class path
 * hides the versioned classes would pass while testing the wrong seam.
 */
class ScopedContextSeamTest {
  @Test
  void selected_isTheSeamThisExecutionIsFor() {
    String forced = System.getProperty(ScopedContexts.PROPERTY, "");
    String expected = forced.isEmpty() ? ScopedContexts.SCOPED_VALUE : forced;
    assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(25);
    assertThat(ScopedContexts.selected().name())
        .as(
            "scoped-context seam selected in this execution (the core classes came from %s)",
            ScopedContexts.class.getProtectionDomain().getCodeSource().getLocation())
        .isEqualTo(expected);
  }
}
