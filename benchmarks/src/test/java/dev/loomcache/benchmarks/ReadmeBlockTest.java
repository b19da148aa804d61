package dev.loomcache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.benchmarks.report.Results;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadmeBlockTest {

  @Test
  void update_markedReadme_replacesOnlyTheBlock(@TempDir Path dir) throws Exception {
    Path readme = dir.resolve("README.md");
    Files.writeString(
        readme,
        "# Title\nhand-written\n"
            + ReadmeBlock.BEGIN
            + "\nold table\n"
            + ReadmeBlock.END
            + "\nmore hand-written\n");
    var results = new Results().meta("date", "2000-01-01").meta("mode", "quick");
    ReadmeBlock.update(readme, results, dir.resolve("results"), "2000-01-01");
    String text = Files.readString(readme);
    assertThat(text)
        .startsWith("# Title\nhand-written\n" + ReadmeBlock.BEGIN + "\n")
        .endsWith(ReadmeBlock.END + "\nmore hand-written\n")
        .doesNotContain("old table")
        .contains("Latest run: **2000-01-01**", "[results/2000-01-01.md](results/2000-01-01.md)");
  }

  @Test
  void update_readmeWithoutMarkers_throwsAndLeavesItAlone(@TempDir Path dir) throws Exception {
    Path readme = dir.resolve("README.md");
    Files.writeString(readme, "no markers");
    assertThatThrownBy(() -> ReadmeBlock.update(readme, new Results(), dir, "x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("markers");
    assertThat(Files.readString(readme)).isEqualTo("no markers");
  }
}
