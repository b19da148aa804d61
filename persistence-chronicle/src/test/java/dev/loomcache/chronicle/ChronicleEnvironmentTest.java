package dev.loomcache.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.chronicle.internal.ChronicleEnvironment;
import java.nio.file.Path;
import net.openhft.chronicle.map.internal.AnalyticsHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test JVM itself: flags in effect, Chronicle silenced, nothing that could phone home. */
class ChronicleEnvironmentTest {
  @TempDir Path dir;

  @Test
  void testJvm_hasEveryFlag() {
    assertThat(ChronicleEnvironment.missingFlags()).isEmpty();
  }

  @Test
  void afterAStoreIsBuilt_chronicleIsSilenced_andItsAnalyticsAreMute() {
    try (ChronicleStore store = ChronicleStore.newBuilder(dir.resolve("env.cmap")).build()) {
      assertThat(store.estimatedSize()).isZero();
    }
    assertThat(System.getProperty("chronicle.analytics.disable")).isEqualTo("true");
    assertThat(System.getProperty("chronicle.announcer.disable")).isEqualTo("true");
    assertThat(AnalyticsHolder.instance().getClass().getSimpleName()).isEqualTo("MuteAnalytics");
  }

  @Test
  void chroniclesAnalyticsLibrary_isNotOnTheClassPath() {
    assertThatThrownBy(() -> Class.forName("net.openhft.chronicle.analytics.Analytics"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void silenceChronicle_overridesAnyOtherValue() {
    String before = System.getProperty("chronicle.analytics.disable");
    try {
      System.setProperty("chronicle.analytics.disable", "false");
      ChronicleEnvironment.silenceChronicle();
      assertThat(System.getProperty("chronicle.analytics.disable")).isEqualTo("true");
    } finally {
      System.setProperty("chronicle.analytics.disable", before == null ? "true" : before);
    }
  }
}
