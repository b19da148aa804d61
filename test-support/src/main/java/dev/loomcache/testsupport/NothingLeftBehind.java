package dev.loomcache.testsupport;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After every test, asserts that the engine left nothing behind: no flight in a flight table, no
 * parked waiter, no key lane held, no open batch window, window timer or running batch, no
 * refresh-ahead thread still running (core's {@code dev.loomcache.internal.Diagnostics} tracks the
 * parts made during each test).
 *
 * <p>Registered through JUnit's extension auto-detection: a module whose tests want it sets {@code
 * junit.jupiter.extensions.autodetection.enabled=true} in its {@code junit-platform.properties}
 * (core, redis and persistence-chronicle do). It reaches core by reflection because this module
 * depends on no Loomcache module (core's own tests use it); in a module without core on the class
 * path it does nothing.
 *
 * <p>Work a test started may still be finishing when it returns (a timer thread that was just
 * interrupted, a waiter on its way out), so it waits up to {@link #GRACE} for the engine to be idle
 * before it fails the test.
 */
public final class NothingLeftBehind implements AfterEachCallback {
  static final Duration GRACE = Duration.ofSeconds(10);
  private static final String DIAGNOSTICS = "dev.loomcache.internal.Diagnostics";

  private final @Nullable Class<?> diagnostics = find();

  /**
   * Made by JUnit's auto-detection, once, before any test instance: tracking starts here so that
   * the caches a test class makes in its field initializers are tracked too.
   */
  public NothingLeftBehind() {
    if (diagnostics != null) {
      call(diagnostics, "enable");
    }
  }

  private static @Nullable Class<?> find() {
    try {
      return Class.forName(DIAGNOSTICS, true, NothingLeftBehind.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return null; // no core here: nothing to check
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Class<?> hooks = diagnostics;
    if (hooks == null) {
      return;
    }
    long deadline = System.nanoTime() + GRACE.toNanos();
    List<?> left = (List<?>) call(hooks, "leftovers");
    while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
      Polling.pause(Duration.ofMillis(5));
      left = (List<?>) call(hooks, "leftovers");
    }
    // The parts of this test are checked: forget them, so that a later test answers only for its
    // own (the next test instance, with its field initializers, is made after this).
    call(hooks, "reset");
    if (!left.isEmpty()) {
      throw new AssertionError(
          context.getDisplayName()
              + " left engine state behind (still there "
              + GRACE.toSeconds()
              + " s after the test returned):\n  "
              + String.join("\n  ", left.stream().map(String::valueOf).toList()));
    }
  }

  private static Object call(Class<?> hooks, String name) {
    try {
      Method method = hooks.getMethod(name);
      Object result = method.invoke(null);
      return result == null ? List.of() : result;
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new IllegalStateException(
          DIAGNOSTICS
              + "."
              + name
              + "() is missing or not public: keep "
              + "it in step with "
              + NothingLeftBehind.class.getName(),
          e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e);
    }
  }
}
