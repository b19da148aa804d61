package dev.loomcache.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Benchmark 5, pinning: runs the stampede (as {@link StampedeHarness}) twice in a fresh JVM, each
 * under a JFR recording of {@code jdk.VirtualThreadPinned} with no threshold, and counts the
 * events.
 *
 * <p>The first (cold) run loads the library's classes: the JDK still pins a virtual thread that
 * loads a class or waits for another thread to load or initialise one, so its events are sorted
 * into those (a class loader on the stack, or a class-initialisation wait) and the rest. The second
 * (warm) run has nothing left to load: any event there is the library's own. It runs in a JVM of
 * its own per library so that each library's class loading is counted against it.
 */
public final class PinningHarness {
  static final String EVENT = "jdk.VirtualThreadPinned";

  private PinningHarness() {}

  /** One recording's pinned events: all, those during class loading, where the rest were. */
  public record Result(int total, int classLoading, Map<String, Integer> otherSites) {
    /** The events not raised during class loading. */
    public int other() {
      return total - classLoading;
    }
  }

  /**
   * Runs one stampede against a fresh cache of {@code rival} under a JFR recording and counts the
   * pinned events.
   *
   * @throws IOException if the recording cannot be written or read
   * @throws InterruptedException if the calling thread is interrupted
   */
  public static Result run(Rival rival, int callers, int keys, Duration load)
      throws IOException, InterruptedException {
    Path file = Files.createTempFile("loomcache-pinning-", ".jfr");
    try {
      try (var recording = new Recording()) {
        recording.enable(EVENT).withThreshold(Duration.ZERO).withStackTrace();
        recording.start();
        StampedeHarness.runOnce(rival, callers, keys, load);
        recording.stop();
        recording.dump(file);
      }
      return count(RecordingFile.readAllEvents(file));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Counts the pinned events among {@code events}. */
  static Result count(List<RecordedEvent> events) {
    int total = 0;
    int classLoading = 0;
    var otherSites = new TreeMap<String, Integer>();
    for (RecordedEvent event : events) {
      if (!event.getEventType().getName().equals(EVENT)) {
        continue;
      }
      total++;
      if (isClassLoading(event)) {
        classLoading++;
      } else {
        otherSites.merge(site(event), 1, Integer::sum);
      }
    }
    return new Result(total, classLoading, otherSites);
  }

  private static boolean isClassLoading(RecordedEvent event) {
    if (event.hasField("pinnedReason")) {
      String reason = event.getString("pinnedReason");
      if (reason != null && reason.startsWith("Waited for initialization of")) {
        return true;
      }
    }
    RecordedStackTrace stack = event.getStackTrace();
    if (stack == null) {
      return false;
    }
    for (RecordedFrame frame : stack.getFrames()) {
      String type = frame.getMethod().getType().getName();
      String method = frame.getMethod().getName();
      if (method.equals("<clinit>")
          || (method.equals("loadClass") && type.endsWith("ClassLoader"))
          || type.startsWith("jdk.internal.loader.")) {
        return true;
      }
    }
    return false;
  }

  /** The first frame outside the JDK, with the pinning reason when the JDK records one. */
  private static String site(RecordedEvent event) {
    String reason = event.hasField("pinnedReason") ? event.getString("pinnedReason") : "";
    RecordedStackTrace stack = event.getStackTrace();
    String where = "unknown frame";
    if (stack != null) {
      for (RecordedFrame frame : stack.getFrames()) {
        String type = frame.getMethod().getType().getName();
        if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
          where = type + "." + frame.getMethod().getName();
          break;
        }
      }
    }
    return reason == null || reason.isEmpty() ? where : where + " (" + reason + ")";
  }

  /** Runs the pinning stampede cold, then warm, and emits the counts. */
  public static void main(String[] args) throws IOException, InterruptedException {
    Rival rival = Rival.parse(args[0]);
    int callers = Integer.parseInt(args[1]);
    int keys = Integer.parseInt(args[2]);
    Duration load = Duration.ofMillis(Long.parseLong(args[3]));
    Result cold = run(rival, callers, keys, load);
    Result warm = run(rival, callers, keys, load);
    Forks.emit("pinnedEvents", cold.total());
    Forks.emit("pinnedClassLoading", cold.classLoading());
    Forks.emit("pinnedOther", cold.other());
    Forks.emit("pinnedWarm", warm.total());
    var sites = new TreeMap<String, Integer>(cold.otherSites());
    warm.otherSites().forEach((site, n) -> sites.merge("warm: " + site, n, Integer::sum));
    Forks.emit("pinnedOtherSites", sites.isEmpty() ? "none" : sites);
  }
}
