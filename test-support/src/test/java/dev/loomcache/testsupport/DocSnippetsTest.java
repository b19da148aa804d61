package dev.loomcache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocSnippetsTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void of_twoRegions_dedentsEachToItsLeastIndentedLine() throws IOException {
    Path source = write("A.java", """
        class A {
          void f() {
            // README-BEGIN first
            int a = 1;
              int b = 2;
            // README-END first
          }
          // README-BEGIN second-one
          void g() {}
          // README-END second-one
        }
        """);
    var snippets = DocSnippets.of(source);
    assertThat(snippets.names()).containsExactly("first", "second-one");
    assertThat(snippets.region("first")).isEqualTo("int a = 1;\n  int b = 2;");
    assertThat(snippets.region("second-one")).isEqualTo("void g() {}");
  }

  @Test
  void assertShownIn_documentHasTheRegion_passes_andFailsOnceItDrifts() throws IOException {
    Path source = write("A.java", "  // README-BEGIN x\n  var cache = build();\n  // README-END x\n");
    Path doc = write("README.md", "Text\n```java\nvar cache = build();\n```\n");
    DocSnippets.of(source).assertShownIn(doc);

    Path drifted = write("OLD.md", "```java\nvar cache = make();\n```\n");
    assertThatThrownBy(() -> DocSnippets.of(source).assertShownIn(drifted))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("region 'x'")
        .hasMessageContaining("no line reads 'var cache = build();'");
  }

  @Test
  void assertShownIn_namedRegions_checksOnlyThose() throws IOException {
    Path source = write("A.java", """
        // README-BEGIN shown
        a();
        // README-END shown
        // README-BEGIN elsewhere
        b();
        // README-END elsewhere
        """);
    Path doc = write("README.md", "a();\n");
    DocSnippets.of(source).assertShownIn(doc, "shown");
    assertThatThrownBy(() -> DocSnippets.of(source).assertShownIn(doc))
        .isInstanceOf(AssertionError.class).hasMessageContaining("'elsewhere'");
    assertThatThrownBy(() -> DocSnippets.of(source).assertShownIn(doc, "missing"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no region 'missing'");
  }

  @Test
  void of_badMarkers_failsNamingTheProblem() throws IOException {
    assertThatThrownBy(() -> DocSnippets.of(write("N.java", "class N {}\n")))
        .hasMessageContaining("has no // README-BEGIN");
    assertThatThrownBy(() -> DocSnippets.of(write("U.java", "// README-BEGIN a\nx();\n")))
        .hasMessageContaining("region 'a' is never closed");
    assertThatThrownBy(() -> DocSnippets.of(write("M.java",
        "// README-BEGIN a\nx();\n// README-END b\n")))
        .hasMessageContaining("README-END b closes region 'a'");
    assertThatThrownBy(() -> DocSnippets.of(write("D.java",
        "// README-BEGIN a\nx();\n// README-END a\n// README-BEGIN a\ny();\n// README-END a\n")))
        .hasMessageContaining("two regions named 'a'");
    assertThatThrownBy(() -> DocSnippets.of(write("E.java", "// README-BEGIN Quick Start\n")))
        .hasMessageContaining("needs a name of lower-case words");
  }

  @Test
  void ofTest_readsTheClassFromTheModuleSources() {
    assertThatThrownBy(() -> DocSnippets.ofTest(PollingTest.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Path.of("src/test/java/dev/loomcache/testsupport/PollingTest.java")
            + " has no");
  }

  @Test
  void assertShownIn_regionShownNestedAtAnotherIndentation_passes() throws IOException {
    Path source = write("A.java", "// README-BEGIN m\nvoid find();\n// README-END m\n");
    DocSnippets.of(source).assertShownIn(write("R.md", "interface S {\n  void find();\n}\n"));
    assertThatThrownBy(() -> DocSnippets.of(source)
        .assertShownIn(write("P.md", "interface S { void find(); }\n")))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void assertEveryJavaBlockIsIn_blockNotInTheSource_fails() throws IOException {
    Path source = write("A.java", "class A {\n  // README-BEGIN a\n  int a = 1;\n  // README-END a\n}\n");
    var snippets = DocSnippets.of(source);
    snippets.assertEveryJavaBlockIsIn(write("ok.md", "```java\nint a = 1;\n```\n"));
    assertThatThrownBy(() -> snippets.assertEveryJavaBlockIsIn(
        write("bad.md", "```java\nint a = 1;\n```\n\n```java\nint b = 2;\n```\n")))
        .isInstanceOf(AssertionError.class).hasMessageContaining("int b = 2;");
  }

  @Test
  void assertEveryJavaBlockIsIn_severalSources_eachBlockMayComeFromAnyOne() throws IOException {
    var first = DocSnippets.of(write("A.java", "// README-BEGIN a\nint a = 1;\n// README-END a\n"));
    var second = DocSnippets.of(write("B.java", "// README-BEGIN b\nint b = 2;\n// README-END b\n"));
    Path page = write("page.md", "```java\nint a = 1;\n```\n\n```java\nint b = 2;\n```\n");
    DocSnippets.assertEveryJavaBlockIsIn(page, List.of(first, second));

    assertThatThrownBy(() -> DocSnippets.assertEveryJavaBlockIsIn(page, List.of(first)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("int b = 2;");
    assertThatThrownBy(() -> DocSnippets.assertEveryJavaBlockIsIn(
        write("c.md", "```java\nint c = 3;\n```\n"), List.of(first, second)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("any of");
    assertThatThrownBy(() -> DocSnippets.assertEveryJavaBlockIsIn(page, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no source");
  }
}
