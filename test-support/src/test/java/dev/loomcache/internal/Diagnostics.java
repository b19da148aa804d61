package dev.loomcache.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for core's Diagnostics with the same static methods, so that test-support's own tests
 * can drive NothingLeftBehind without depending on core.
 */
public final class Diagnostics {
  public static volatile boolean enabled;
  public static final List<String> LEFT = new CopyOnWriteArrayList<>();
  public static volatile int resets;

  private Diagnostics() {}

  public static void enable() {
    enabled = true;
  }

  public static void reset() {
    resets++;
    LEFT.clear();
  }

  public static List<String> leftovers() {
    return List.copyOf(LEFT);
  }
}
