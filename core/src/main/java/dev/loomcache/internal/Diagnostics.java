package dev.loomcache.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A test hook: while enabled, the engine's stateful parts ({@link FlightTable}, {@link KeyLanes},
 * {@link BatchDispatcher}, {@link Refresher}) register themselves here, and {@link #leftovers()}
 * says which of them still hold something: a flight, a parked waiter, a key lane, a batch window, a
 * timer, a running batch or a running refresh thread. A test extension enables it before the first
 * test, asserts after each one that nothing was left behind, and resets it. Off by default: then
 * registration is one volatile read per part made (once per cache), and nothing is kept.
 *
 * <p>Parts are held strongly until {@link #reset()} (the extension resets after each test's check):
 * a cache the test dropped without closing is still checked, which is the point (an abandoned load
 * is a leak whether or not anyone closes it), and no garbage collection can hide it.
 */
public final class Diagnostics {
  private static volatile boolean enabled;
  private static final Set<Inspectable> LIVE = ConcurrentHashMap.newKeySet();

  private Diagnostics() {}

  /** A part that can say what it still holds. */
  interface Inspectable {
    /** What this part still holds, or null if it holds nothing. */
    @Nullable String leftover();
  }

  /** Starts tracking the parts made from now on (for the rest of this JVM's life). */
  public static void enable() {
    enabled = true;
  }

  /** Forgets every part tracked so far (after each test's check). */
  public static void reset() {
    LIVE.clear();
  }

  static void track(Inspectable part) {
    if (enabled) {
      LIVE.add(part);
    }
  }

  /** What every tracked part still holds, one line each; empty if nothing is left behind. */
  public static List<String> leftovers() {
    var found = new ArrayList<String>();
    for (Inspectable part : LIVE) {
      String leftover = part.leftover();
      if (leftover != null) {
        found.add(leftover);
      }
    }
    return found;
  }
}
