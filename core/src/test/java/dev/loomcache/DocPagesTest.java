package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.DocSnippets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every page under {@code docs/} (and the README) against the tests whose code it shows: each page
 * shows its regions exactly as they are tested, and has no Java block that is not code of one of
 * its tests. A page may show code of another module's test (that module compiles and runs it; this
 * test reads its source). Also: every page is listed here, and every relative link of the README
 * and the pages leads to a file of the repository and, with a {@code #fragment}, to a heading
 * there.
 */
class DocPagesTest {
  private static final Path ROOT = Path.of("..");

  /** Regions of one test source shown on a page; no names means every region of the source. */
  record Shown(Path source, List<String> regions) {
    static Shown of(String source, String... regions) {
      return new Shown(ROOT.resolve(source), List.of(regions));
    }
  }

  private static final String CORE = "core/src/test/java/dev/loomcache/";
  private static final String README_EXAMPLES = CORE + "ReadmeExamplesTest.java";
  private static final String DOCS_EXAMPLES = CORE + "DocsExamplesTest.java";

  /** Each page and what it shows; a page with no entry must have no Java block. */
  static final Map<String, List<Shown>> PAGES = pages();

  private static Map<String, List<Shown>> pages() {
    var pages = new LinkedHashMap<String, List<Shown>>();
    pages.put("README.md", List.of(Shown.of(README_EXAMPLES, "quick-start")));
    pages.put("docs/semantics.md", List.of());
    pages.put("docs/scopes.md", List.of(Shown.of(README_EXAMPLES, "bypass-scopes")));
    pages.put("docs/freshness.md", List.of(Shown.of(README_EXAMPLES, "freshness")));
    pages.put("docs/batching.md", List.of(Shown.of(README_EXAMPLES, "batching")));
    pages.put("docs/tiers.md", List.of(Shown.of(DOCS_EXAMPLES, "tiers")));
    pages.put(
        "docs/tags.md",
        List.of(
            Shown.of(
                README_EXAMPLES,
                "tags-and-pattern-invalidation",
                "tags-and-pattern-invalidation-calls"),
            Shown.of(CORE + "FunctionCachingReadmeTest.java", "key-and-tag-templates")));
    pages.put("docs/configuration.md", List.of(Shown.of(DOCS_EXAMPLES, "spec")));
    pages.put(
        "docs/function-caching.md", List.of(Shown.of(CORE + "FunctionCachingReadmeTest.java")));
    pages.put(
        "docs/rate-limits-and-locks.md",
        List.of(
            Shown.of(DOCS_EXAMPLES, "rate-limiter", "rate-limited-method"),
            Shown.of("redis/src/test/java/dev/loomcache/redis/RateLimitsAndLocksDocTest.java")));
    pages.put("docs/metrics.md", List.of());
    pages.put(
        "docs/integrations.md",
        List.of(
            Shown.of(
                "spring/src/test/java/dev/loomcache/spring/LoomcacheCacheManagerTest.java",
                "cacheable-sync")));
    pages.put(
        "docs/agent-frameworks.md",
        List.of(
            Shown.of(
                "agent-langchain4j/src/test/java/dev/loomcache/agent/langchain4j/example/"
                    + "LangChain4jReadmeExampleTest.java"),
            Shown.of(
                "agent-spring-ai/src/test/java/dev/loomcache/agent/springai/example/"
                    + "SpringAiReadmeExampleTest.java"),
            Shown.of(
                "agent-mcp/src/test/java/dev/loomcache/agent/mcp/example/"
                    + "McpReadmeExampleTest.java")));
    pages.put("docs/benchmarks.md", List.of());
    pages.put("docs/building.md", List.of());
    pages.put(
        "docs/migrating-from-caffeine.md",
        List.of(Shown.of(CORE + "MigratingFromCaffeineDocTest.java")));
    pages.put("docs/scale-out.md", List.of());
    pages.put("docs/java21.md", List.of());
    return pages;
  }

  static Stream<String> pageNames() {
    return PAGES.keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("pageNames")
  void page_showsItsTestedCode_andNoUntestedJava(String page) throws IOException {
    Path document = ROOT.resolve(page);
    List<Shown> shown = PAGES.get(page);
    var sources = new ArrayList<DocSnippets>();
    for (Shown s : shown) {
      DocSnippets snippets = DocSnippets.of(s.source());
      snippets.assertShownIn(document, s.regions().toArray(String[]::new));
      sources.add(snippets);
    }
    if (sources.isEmpty()) {
      assertThat(Files.readString(document))
          .as("%s has a ```java block: put its code in a test and list that test here", page)
          .doesNotContain("```java");
    } else {
      DocSnippets.assertEveryJavaBlockIsIn(document, sources);
    }
  }

  @Test
  void everyDocsPage_isListed() throws IOException {
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      Set<String> pages =
          new TreeSet<>(
              files
                  .map(p -> "docs/" + p.getFileName())
                  .filter(name -> name.endsWith(".md"))
                  .toList());
      assertThat(PAGES.keySet())
          .as("list each docs page with the tests whose code it shows")
          .containsAll(pages);
    }
  }

  @Test
  void coreDocRegions_areEachShownOnAPage() {
    // Regions no page shows would be tested code that documents nothing; service-methods is
    // compiled by CachingProxyParameterNamesTest instead.
    for (String source : List.of(README_EXAMPLES, DOCS_EXAMPLES)) {
      var shown = new TreeSet<String>();
      PAGES.values().stream()
          .flatMap(List::stream)
          .filter(s -> s.source().equals(ROOT.resolve(source)))
          .forEach(s -> shown.addAll(s.regions()));
      var regions = new TreeSet<>(DocSnippets.of(ROOT.resolve(source)).names());
      regions.remove("service-methods");
      assertThat(shown).as("regions of %s shown on a page", source).isEqualTo(regions);
    }
  }

  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");

  @Test
  void relativeLinks_leadToFilesAndHeadingsOfTheRepository() throws IOException {
    var broken = new ArrayList<String>();
    for (String page : PAGES.keySet()) {
      Path document = ROOT.resolve(page);
      String text = FENCE.matcher(Files.readString(document)).replaceAll("");
      var links = LINK.matcher(text);
      while (links.find()) {
        String link = links.group(1);
        if (link.matches("[a-z]+:.*")) {
          continue; // http(s), mailto: not ours to check
        }
        int hash = link.indexOf('#');
        String file = hash < 0 ? link : link.substring(0, hash);
        Path target = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
        if (!Files.exists(target)) {
          broken.add(page + ": " + link + " (no file " + target + ")");
        } else if (hash >= 0
            && target.toString().endsWith(".md")
            && !anchors(target).contains(link.substring(hash + 1))) {
          broken.add(page + ": " + link + " (no such heading in " + target + ")");
        }
      }
    }
    assertThat(broken).as("broken links").isEmpty();
  }

  /** The anchors GitHub makes of a Markdown file's headings. */
  private static Set<String> anchors(Path markdown) throws IOException {
    var anchors = new TreeSet<String>();
    String text = FENCE.matcher(Files.readString(markdown)).replaceAll("");
    for (String line : text.lines().toList()) {
      if (line.startsWith("#")) {
        String heading = line.replaceFirst("^#+\\s*", "").strip();
        anchors.add(
            heading
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-'));
      }
    }
    return anchors;
  }
}
