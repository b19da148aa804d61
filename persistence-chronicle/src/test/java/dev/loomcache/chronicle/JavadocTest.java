package dev.loomcache.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.DocumentationTool;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public package's Javadoc builds with doclint on and warnings as errors, as the build's
 * javadoc jar does; it used to fail on {@code {@link ChronicleStore.Builder#build()}}, a class that
 * does not exist. The build documents only this package: the module has no module-info to hide
 * {@code internal} by its exports, so the javadoc plugin excludes it.
 */
class JavadocTest {
  @TempDir Path out;

  @Test
  void publicPackage_javadoc_buildsWithoutErrorsOrWarnings() {
    DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
    var output = new StringWriter();
    List<String> options =
        List.of(
            "-d",
            out.toString(),
            "-quiet",
            "-Xdoclint:all,-missing",
            "-Werror",
            "--source-path",
            "src/main/java",
            "--class-path",
            System.getProperty("java.class.path"),
            "dev.loomcache.chronicle");

    boolean ok = javadoc.getTask(output, null, null, null, options, null).call();

    assertThat(ok).as(output.toString()).isTrue();
    assertThat(out.resolve("dev/loomcache/chronicle/ChronicleStore.html")).exists();
    assertThat(Files.exists(out.resolve("dev/loomcache/chronicle/internal"))).isFalse();
  }
}
