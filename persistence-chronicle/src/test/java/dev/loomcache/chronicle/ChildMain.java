package dev.loomcache.chronicle;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.chronicle.internal.ChronicleEnvironment;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The program child JVMs run in tests. Modes:
 *
 * <ul>
 *   <li>{@code write <file> <n>}: puts {@code key-i -> value-i} through a cache over a store in
 *       {@code file} and prints {@code ack i} after each put returns, until killed;
 *   <li>{@code build <file>}: builds a store and prints {@code built} or {@code error <message>}.
 * </ul>
 *
 * Both print Chronicle's silencing properties as the JVM started ({@code before ...}) and once the
 * store's class has initialized ({@code after ...}).
 */
public final class ChildMain {
  private ChildMain() {}

  public static void main(String[] args) {
    printProperties("before");
    Path file = Path.of(args[1]);
    switch (args[0]) {
      case "write" -> write(file, Integer.parseInt(args[2]));
      case "build" -> build(file);
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void write(Path file, int n) {
    ChronicleStore store =
        ChronicleStore.newBuilder(file)
            .maxEntries(n)
            .averageKeySize(12)
            .averageValueSize(14)
            .build();
    printProperties("after");
    System.out.println("analytics " + analyticsState());
    Cache<String, String> cache =
        Loomcache.newBuilder()
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(store)
            .build();
    System.out.println("ready");
    System.out.flush();
    for (int i = 0; i < n; i++) {
      cache.put("key-" + i, "value-" + i, Duration.ofHours(1));
      System.out.println("ack " + i);
      System.out.flush();
    }
    System.out.println("done"); // the test kills it before; never closes, like a crash
    System.out.flush();
  }

  private static void build(Path file) {
    try (ChronicleStore store = ChronicleStore.newBuilder(file).build()) {
      System.out.println("built " + store.name());
    } catch (RuntimeException e) {
      System.out.println("error " + e.getMessage());
    }
    printProperties("after");
  }

  private static void printProperties(String when) {
    for (String property : ChronicleEnvironment.SILENCING_PROPERTIES) {
      System.out.println(when + " " + property + "=" + System.getProperty(property));
    }
    System.out.flush();
  }

  /** How Chronicle Map's own analytics instance came out; it is created when first needed. */
  private static String analyticsState() {
    try {
      Class.forName("net.openhft.chronicle.analytics.Analytics");
      return "library-present";
    } catch (ClassNotFoundException e) {
      return "library-absent "
          + net.openhft.chronicle.map.internal.AnalyticsHolder.instance()
              .getClass()
              .getSimpleName();
    }
  }
}
