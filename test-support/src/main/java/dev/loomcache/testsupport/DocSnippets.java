package dev.loomcache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The one check that a document shows tested code as it is: every README, the {@code docs/} pages
 * and module READMEs take their Java snippets from test sources, between marker comments
 *
 * <pre>{@code
 * // README-BEGIN quick-start
 * ...code the test compiles and runs...
 * // README-END quick-start
 * }</pre>
 *
 * <p>and a test asserts that the document contains each region, dedented to its least indented line
 * (and shown at any one indentation), so that the two cannot drift apart; and, for a page all of
 * whose examples come from one test, that every Java block of the page is that test's code. Region
 * names are lower-case words joined by hyphens; a file's names are unique; the markers of one
 * region have the same name.
 */
public final class DocSnippets {
  private static final Pattern MARKER =
      Pattern.compile("^[ \\t]*// README-(BEGIN|END)(?: (.*?))?[ \\t]*$", Pattern.MULTILINE);
  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");

  private final Path source;
  private final Map<String, String> regions;

  private DocSnippets(Path source, Map<String, String> regions) {
    this.source = source;
    this.regions = regions;
  }

  /**
   * The regions of the test class {@code testClass}, read from its source under {@code
   * src/test/java} of the module the tests run in (the working directory).
   */
  public static DocSnippets ofTest(Class<?> testClass) {
    Class<?> outer = testClass;
    while (outer.getEnclosingClass() != null) {
      outer = outer.getEnclosingClass();
    }
    return of(Path.of("src", "test", "java", outer.getName().replace('.', '/') + ".java"));
  }

  /**
   * The regions of the Java source {@code source}.
   *
   * @throws IllegalArgumentException if the file has no region, or its markers do not pair up
   */
  public static DocSnippets of(Path source) {
    String text = read(source);
    var regions = new LinkedHashMap<String, String>();
    Matcher marker = MARKER.matcher(text);
    @Nullable String open = null;
    int start = 0;
    while (marker.find()) {
      String kind = marker.group(1);
      String name = marker.group(2);
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            source
                + ": the marker '"
                + marker.group().strip()
                + "' needs a name of lower-case words joined by hyphens, e.g. // README-"
                + kind
                + " quick-start");
      }
      if (kind.equals("BEGIN")) {
        if (open != null) {
          throw new IllegalArgumentException(
              source
                  + ": README-BEGIN " + name
              + " inside region '" + open + "'; close it first with // README-END "
                  + open);
        }
        if (regions.containsKey(name)) {
          throw new IllegalArgumentException(
              source + ": two regions named '" + name + "'; give each its own name");
        }
        open = name;
        start = marker.end() + 1;
      } else {
        if (!name.equals(open)) {
          throw new IllegalArgumentException(
              source
                  + ": README-END "
                  + name
                  + " closes "
                  + (open == null ? "no open region" : "region '" + open + "'")
                  + "; the markers of a region must have the same name");
        }
        String region = dedent(text.substring(Math.min(start, marker.start()), marker.start()));
        if (region.isBlank()) {
          throw new IllegalArgumentException(source + ": region '" + name + "' is empty");
        }
        regions.put(name, region);
        open = null;
      }
    }
    if (open != null) {
      throw new IllegalArgumentException(
          source + ": region '" + open + "' is never closed; add // README-END " + open);
    }
    if (regions.isEmpty()) {
      throw new IllegalArgumentException(
          source
              + " has no // README-BEGIN name ... "
          + "// README-END name region: nothing to check a document against");
    }
    return new DocSnippets(source, regions);
  }

  /** The region names, in the order they appear in the source. */
  public List<String> names() {
    return List.copyOf(regions.keySet());
  }

  /**
   * The dedented text of region {@code name}.
   *
   * @throws IllegalArgumentException if the source has no such region
   */
  public String region(String name) {
    String region = regions.get(name);
    if (region == null) {
      throw new IllegalArgumentException(
          source + " has no region '" + name + "'; it has " + regions.keySet());
    }
    return region;
  }

  /**
   * Asserts that {@code document} contains each of the regions {@code names} (all of them if none
   * is named) exactly as the source has them, after dedenting.
   *
   * @throws AssertionError naming the first region the document does not show, and the first of its
   *     lines that the document lacks
   */
  public void assertShownIn(Path document, String... names) {
    String text = read(document).replace("\r\n", "\n");
    List<String> wanted = names.length == 0 ? names() : List.of(names);
    for (String name : wanted) {
      String region = region(name);
      if (!shows(text, region)) {
        throw new AssertionError(
            document
                + " does not show region '"
                + name
                + "' of "
                + source
                + " as it is tested ("
                + firstMissingLine(region, text)
                + "); copy it again:\n"
                + region);
      }
    }
  }

  /**
   * Asserts that every {@code ```java} block of {@code document} is code of the source: its
   * non-blank lines, stripped of indentation, appear one after another in the source. This is the
   * other direction of {@link #assertShownIn}: the document shows nothing that is not tested.
   *
   * @throws AssertionError naming the first block that is not in the source
   * @throws IllegalArgumentException if the document has no Java block
   */
  public void assertEveryJavaBlockIsIn(Path document) {
    assertEveryJavaBlockIsIn(document, List.of(this));
  }

  /**
   * Asserts that every {@code ```java} block of {@code document} is code of one of {@code sources},
   * as {@link #assertEveryJavaBlockIsIn(Path)} does for one source: for a page whose examples come
   * from several tests (of several modules, each of which compiles and runs its own).
   *
   * @throws AssertionError naming the first block that is in none of the sources
   * @throws IllegalArgumentException if the document has no Java block, or no source is given
   */
  public static void assertEveryJavaBlockIsIn(Path document, List<DocSnippets> sources) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException(
          "no source to check "
              + document
              + " against; pass the "
              + "DocSnippets of every test whose code the page shows");
    }
    String text = read(document);
    List<List<String>> sourceLines = sources.stream().map(s -> stripped(read(s.source))).toList();
    var blocks =
        Pattern.compile("```java\n(.*?)```", Pattern.DOTALL)
            .matcher(text)
            .results()
            .map(m -> m.group(1))
            .toList();
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException(document + " has no ```java block to check");
    }
    for (String block : blocks) {
      List<String> lines = stripped(block);
      if (sourceLines.stream().allMatch(in -> Collections.indexOfSubList(in, lines) < 0)) {
        throw new AssertionError(
            "this block of "
                + document
                + " is not code of "
                + (sources.size() == 1
                    ? sources.getFirst().source
                    : "any of " + sources.stream().map(s -> s.source.toString()).toList())
                + " (copy it from a README-BEGIN region there):\n"
                + block);
      }
    }
  }

  private static List<String> stripped(String text) {
    return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
  }

  /**
   * Whether {@code text} has the lines of {@code region} one after another, each indented by the
   * same number of spaces (0 to 16): a snippet may be shown nested, inside a class for example.
   */
  private static boolean shows(String text, String region) {
    for (int indent = 0; indent <= 16; indent++) {
      String prefix = " ".repeat(indent);
      String shifted =
          region
              .lines()
              .map(line -> line.isEmpty() ? "" : prefix + line)
              .collect(Collectors.joining("\n"));
      int at = text.indexOf(shifted);
      while (at >= 0) {
        boolean lineStart = at == 0 || text.charAt(at - 1) == '\n';
        int end = at + shifted.length();
        boolean lineEnd = end == text.length() || text.charAt(end) == '\n';
        if (lineStart && lineEnd) {
          return true;
        }
        at = text.indexOf(shifted, at + 1);
      }
    }
    return false;
  }

  private static String firstMissingLine(String region, String text) {
    var lines = new ArrayList<String>(text.lines().map(String::strip).toList());
    for (String line : region.lines().toList()) {
      if (!line.isBlank() && !lines.contains(line.strip())) {
        return "no line reads '" + line.strip() + "'";
      }
    }
    return "every line is there, but not together in this order and indentation";
  }

  private static String dedent(String region) {
    String trimmed = region.endsWith("\n") ? region.substring(0, region.length() - 1) : region;
    int indent =
        trimmed
            .lines()
            .filter(line -> !line.isBlank())
            .mapToInt(line -> line.length() - line.stripLeading().length())
            .min()
            .orElse(0);
    return trimmed
        .lines()
        .map(line -> line.isBlank() ? "" : line.substring(indent))
        .collect(Collectors.joining("\n"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).replace("\r\n", "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not read "
              + file.toAbsolutePath()
              + " (paths are relative to the module the tests run in)",
          e);
    }
  }
}
