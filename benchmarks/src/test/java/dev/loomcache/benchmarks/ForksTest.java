package dev.loomcache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForksTest {

  @Test
  void run_harnessEmitsResults_returnsThemInOrder() throws Exception {
    Map<String, String> results =
        Forks.run(
            ForkedEcho.class,
            List.of("-Decho.property=set"),
            List.of("one", "three"),
            Duration.ofSeconds(50));
    assertThat(results)
        .containsExactly(
            Map.entry("one", "3"), Map.entry("three", "5"), Map.entry("property", "set"));
  }

  @Test
  void run_harnessExitsNonZero_throwsWithTheStatus() {
    assertThatThrownBy(
            () -> Forks.run(ForkedEcho.class, List.of(), List.of("fail"), Duration.ofSeconds(50)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("status 3");
  }

  @Test
  void emit_keyWithEquals_throws() {
    assertThatThrownBy(() -> Forks.emit("a=b", 1)).hasMessageContaining("key");
    assertThatThrownBy(() -> Forks.emit(" ", 1)).hasMessageContaining("key");
  }
}
