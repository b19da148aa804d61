package dev.loomcache.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openjdk.jcstress.annotations.JCStressTest;

/**
 * Guards the jcstress run against a silent no-op: on JDK 23+ an annotation processor runs only with
 * {@code <proc>full</proc>}, and jcstress started with no generated tests prints "No matching
 * tests" and exits 0.
 */
class StressTestListTest {

  @Test
  void everyStressTest_isInTheGeneratedTestList() throws Exception {
    List<String> stressTests = stressTestClassNames();
    String testList = readTestList();

    assertThat(stressTests).isNotEmpty();
    for (String name : stressTests) {
      assertThat(testList).as("the jcstress test list").contains(name + "_jcstress");
      assertThatCode(() -> Class.forName(name + "_jcstress"))
          .as("the generated runner of " + name)
          .doesNotThrowAnyException();
    }
  }

  /** The classes of this package, compiled next to this one, that carry {@code @JCStressTest}. */
  private static List<String> stressTestClassNames()
      throws IOException, URISyntaxException, ClassNotFoundException {
    Path dir =
        Path.of(StressTestListTest.class.getResource("StressTestListTest.class").toURI())
            .getParent();
    String prefix = StressTestListTest.class.getPackageName() + '.';
    List<String> classFiles;
    try (Stream<Path> files = Files.list(dir)) {
      classFiles =
          files
              .map(file -> file.getFileName().toString())
              .filter(file -> file.endsWith(".class") && !file.contains("$"))
              .map(file -> prefix + file.substring(0, file.length() - ".class".length()))
              .sorted()
              .toList();
    }
    var names = new ArrayList<String>();
    for (String name : classFiles) {
      if (Class.forName(name).isAnnotationPresent(JCStressTest.class)) {
        names.add(name);
      }
    }
    return names;
  }

  private static String readTestList() throws IOException {
    try (InputStream in =
        StressTestListTest.class.getClassLoader().getResourceAsStream("META-INF/TestList")) {
      assertThat(in)
          .as("META-INF/TestList, written by the jcstress annotation processor")
          .isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
