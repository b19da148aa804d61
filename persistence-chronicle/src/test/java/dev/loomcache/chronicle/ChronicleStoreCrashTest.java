package dev.loomcache.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.chronicle.internal.ChronicleEnvironment;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: a writer killed with SIGKILL mid-stream, and a JVM without Chronicle's flags. */
class ChronicleStoreCrashTest {
  private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(40);
  private static final int ENTRIES = 300_000;

  @TempDir Path dir;

  @Test
  void kill9_midStream_everyAcknowledgedPutIsInTheReopenedFile() throws Exception {
    Path file = dir.resolve("crash.cmap");
    List<Integer> acknowledged;
    try (ChildJvm child =
        ChildJvm.start(
            ChildMain.class,
            true,
            List.of(),
            "write",
            file.toString(),
            Integer.toString(ENTRIES))) {
      child.awaitLine(CHILD_TIMEOUT, line -> line.equals("ack 2000"));
      child.killHard();
      List<String> output = child.output();
      assertThat(output).as("killed before it finished").doesNotContain("done");
      assertChronicleWasSilenced(output);
      acknowledged =
          output.stream()
              .filter(line -> line.startsWith("ack "))
              .map(line -> Integer.parseInt(line.substring(4)))
              .toList();
    }
    assertThat(acknowledged).hasSizeGreaterThan(2000).hasSizeLessThan(ENTRIES);
    assertThat(file.resolveSibling("crash.cmap.state")).hasContent("D");

    try (ChronicleStore store = ChronicleStore.newBuilder(file).build()) {
      assertThat(store.recovered()).isTrue();
      for (int i : acknowledged) {
        var stored = store.read("key-" + i);
        assertThat(stored).as("acknowledged key-" + i).isNotNull();
        assertThat(new String(stored.bytes(), StandardCharsets.UTF_8)).isEqualTo("value-" + i);
      }
      // At most the one put in progress when the kill landed is there without an acknowledgement.
      assertThat(store.estimatedSize())
          .isBetween((long) acknowledged.size(), acknowledged.size() + 1L);
    }

    // And through a cache, as the next run of the service would read it.
    ChronicleStore store = ChronicleStore.newBuilder(file).build();
    try (Cache<String, String> cache =
        Loomcache.newBuilder()
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(store)
            .build()) {
      var loads = new AtomicInteger();
      int last = acknowledged.getLast();
      assertThat(cache.get("key-" + last, () -> "loaded" + loads.incrementAndGet()))
          .isEqualTo("value-" + last);
      assertThat(cache.get("key-0", () -> "loaded" + loads.incrementAndGet())).isEqualTo("value-0");
      assertThat(loads).hasValue(0);
    }
  }

  @Test
  void build_inAJvmWithoutTheFlags_failsWithOneMessageNamingAllFour() throws Exception {
    Path file = dir.resolve("flagless.cmap");
    try (ChildJvm child =
        ChildJvm.start(ChildMain.class, false, List.of(), "build", file.toString())) {
      assertThat(child.awaitExit(CHILD_TIMEOUT)).isZero();
      String error = child.awaitLine(CHILD_TIMEOUT, line -> line.startsWith("error "));
      assertThat(error).contains("missing 4 of 4");
      for (String flag : ChronicleEnvironment.REQUIRED_FLAGS) {
        assertThat(error).contains(flag);
      }
      assertChronicleWasSilenced(child.output());
    }
    assertThat(file).doesNotExist(); // failed before touching anything
  }

  @Test
  void build_inAJvmMissingSomeFlags_namesOnlyThoseMissing() throws Exception {
    Path file = dir.resolve("partial.cmap");
    var someFlags =
        List.of(
            ChronicleEnvironment.REQUIRED_FLAGS.get(0), ChronicleEnvironment.REQUIRED_FLAGS.get(2));
    try (ChildJvm child =
        ChildJvm.start(ChildMain.class, false, someFlags, "build", file.toString())) {
      assertThat(child.awaitExit(CHILD_TIMEOUT)).isZero();
      String error = child.awaitLine(CHILD_TIMEOUT, line -> line.startsWith("error "));
      String missing = error.substring(0, error.indexOf(". Add them"));
      assertThat(missing)
          .contains("missing 2 of 4")
          .contains(ChronicleEnvironment.REQUIRED_FLAGS.get(1))
          .contains(ChronicleEnvironment.REQUIRED_FLAGS.get(3))
          .doesNotContain(ChronicleEnvironment.REQUIRED_FLAGS.get(0))
          .doesNotContain(ChronicleEnvironment.REQUIRED_FLAGS.get(2));
    }
  }

  @Test
  void build_inAJvmWithTheFlags_worksWithoutBeingToldToSilenceChronicle() throws Exception {
    Path file = dir.resolve("child.cmap");
    try (ChildJvm child =
        ChildJvm.start(ChildMain.class, true, List.of(), "build", file.toString())) {
      assertThat(child.awaitExit(CHILD_TIMEOUT)).isZero();
      assertThat(child.output()).contains("built chronicle");
      assertChronicleWasSilenced(child.output());
    }
  }

  /**
   * The child started without the properties; the store set them before Chronicle initialized:
   * Chronicle's banner (printed unless the announcer switch is set when its class initializes) is
   * absent, and Chronicle's analytics library is not even on the class path.
   */
  private static void assertChronicleWasSilenced(List<String> output) {
    for (String property : ChronicleEnvironment.SILENCING_PROPERTIES) {
      assertThat(output).contains("before " + property + "=null", "after " + property + "=true");
    }
    assertThat(output)
        .noneMatch(line ->
            line.contains("InternalAnnouncer")
                || line.contains("Leave your e-mail")
                || line.contains("reports usage statistics"));
    if (output.stream().anyMatch(line -> line.startsWith("analytics "))) {
      assertThat(output).contains("analytics library-absent MuteAnalytics");
    }
  }
}
