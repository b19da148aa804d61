package dev.loomcache.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.internal.context.ScopedContexts;
import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.MonitorInstruction;
import java.lang.reflect.AccessFlag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The jars of the published modules, as built by this reactor: they run on Java 21 and later, and
 * ship what Maven Central needs.
 */
class PublishedJarsTest {
  static final int JAVA_21 = 65;
  static final int JAVA_25 = 69;
  static final String VERSIONED = "META-INF/versions/";

  record Module(String directory, String artifactId) {
    Path jar(String classifier) {
      String version = System.getProperty("loomcache.version");
      String suffix = classifier.isEmpty() ? "" : "-" + classifier;
      return Path.of(
          System.getProperty("loomcache.root"),
          directory,
          "target",
          artifactId + "-" + version + suffix + ".jar");
    }

    @Override
    public String toString() {
      return artifactId;
    }
  }

  static Stream<Module> published() {
    return Stream.of(System.getProperty("loomcache.published").split(","))
        .map(pair -> pair.split(":"))
        .map(pair -> new Module(pair[0], pair[1]));
  }

  @Test
  void everyPublishedModule_isChecked() {
    assertThat(published().map(Module::artifactId))
        .contains(
            "loomcache-core",
            "loomcache-persistence-chronicle",
            "loomcache-redis",
            "loomcache-agent");
  }

  @ParameterizedTest
  @MethodSource("published")
  void everyClass_isJava21_exceptTheJava25OnesInAMultiReleaseJar(Module module) throws IOException {
    Path jar = existing(module.jar(""));
    var wrongVersion = new TreeMap<String, Integer>();
    var versioned = new ArrayList<String>();
    int classes = 0;
    try (var file = new JarFile(jar.toFile())) {
      for (JarEntry entry : Collections.list(file.entries())) {
        if (!entry.getName().endsWith(".class")) {
          continue;
        }
        classes++;
        int major = majorVersion(file, entry);
        if (entry.getName().startsWith(VERSIONED + "25/")) {
          versioned.add(entry.getName());
          if (major > JAVA_25) {
            wrongVersion.put(entry.getName(), major);
          }
        } else if (entry.getName().startsWith(VERSIONED)) {
          wrongVersion.put(entry.getName(), major); // only Java 25 classes may be versioned
        } else if (major != JAVA_21) {
          wrongVersion.put(entry.getName(), major);
        }
      }
      assertThat(classes).as("classes in " + jar).isPositive();
      assertThat(wrongVersion)
          .as(
              "class files of "
                  + jar
                  + " with a major version other than "
                  + JAVA_21
                  + " (Java 21), or above "
                  + JAVA_25
                  + " in "
                  + VERSIONED
                  + "25")
          .isEmpty();
      if (!versioned.isEmpty()) {
        assertThat(file.getManifest().getMainAttributes().getValue("Multi-Release"))
            .as(jar + " holds " + versioned + " and must say Multi-Release: true")
            .isEqualTo("true");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("published")
  void sourcesAndJavadocJars_areBuilt(Module module) throws IOException {
    try (var sources = new JarFile(existing(module.jar("sources")).toFile());
        var javadoc = new JarFile(existing(module.jar("javadoc")).toFile())) {
      assertThat(sources.stream().anyMatch(e -> e.getName().endsWith(".java")))
          .as(sources.getName() + " holds sources")
          .isTrue();
      assertThat(javadoc.getEntry("index.html"))
          .as(javadoc.getName() + " holds index.html")
          .isNotNull();
    }
  }

  @Test
  void coreJar_shipsTheJava25Seams_andThisJdkPicksThem() throws IOException {
    try (var core = new JarFile(existing(new Module("core", "loomcache-core").jar("")).toFile())) {
      assertThat(
              core.getEntry(
                  VERSIONED + "25/dev/loomcache/internal/context/ScopedValueContextFactory.class"))
          .isNotNull();
      assertThat(core.getEntry(VERSIONED + "25/dev/loomcache/internal/StructuredFanOut.class"))
          .isNotNull();
      assertThat(core.getEntry("dev/loomcache/internal/context/InheritableContext.class"))
          .isNotNull();
    }
    // This test runs against the jar (the reactor resolves core to it after package): a Java 25
    // runtime reads META-INF/versions/25 and takes the ScopedValue implementation.
    String location =
        ScopedContexts.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    assertThat(location).endsWith(".jar");
    assertThat(ScopedContexts.selected().name()).isEqualTo(ScopedContexts.SCOPED_VALUE);
  }

  @Test
  void chronicleJar_withoutModuleInfo_hasAStableAutomaticModuleName() throws IOException {
    Path jar =
        existing(new Module("persistence-chronicle", "loomcache-persistence-chronicle").jar(""));
    try (var file = new JarFile(jar.toFile())) {
      assertThat(file.getEntry("module-info.class")).isNull();
      assertThat(file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
          .isEqualTo("dev.loomcache.chronicle");
    }
  }

  /**
   * On Java 21–23 a virtual thread that parks, or waits for a contended monitor, inside {@code
   * synchronized} pins its carrier: no published class has a synchronized method or a {@code
   * monitorenter}, so that no path of ours can pin, whatever it calls later.
   */
  @ParameterizedTest
  @MethodSource("published")
  void noClass_hasASynchronizedMethodOrBlock(Module module) throws IOException {
    Path jar = existing(module.jar(""));
    var monitors = new ArrayList<String>();
    try (var file = new JarFile(jar.toFile())) {
      for (JarEntry entry : Collections.list(file.entries())) {
        if (!entry.getName().endsWith(".class") || entry.getName().endsWith("module-info.class")) {
          continue;
        }
        byte[] bytes;
        try (InputStream in = file.getInputStream(entry)) {
          bytes = in.readAllBytes();
        }
        ClassModel model = ClassFile.of().parse(bytes);
        for (MethodModel method : model.methods()) {
          String name = entry.getName() + " " + method.methodName().stringValue();
          if (method.flags().has(AccessFlag.SYNCHRONIZED)) {
            monitors.add(name + ": a synchronized method");
          }
          method
              .code()
              .ifPresent(code ->
                  code.elementStream()
                      .filter(e -> e instanceof MonitorInstruction)
                      .findAny()
                      .ifPresent(e -> monitors.add(name + ": a synchronized block")));
        }
      }
    }
    assertThat(monitors)
        .as("monitors in %s: use a ReentrantLock (or a lock-free scheme) instead", module)
        .isEmpty();
  }

  @Test
  void repositoryDocs_referToNothingOutsideTheRepository() throws IOException {
    Path root = Path.of(System.getProperty("loomcache.root")).normalize();
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file :
          (Iterable<Path>)
              files
                      .filter(p -> p.toString().endsWith(".md"))
                      .filter(p ->
                          !p.toString().contains("/target/")
                              && !p.toString().contains("/.git/")
                              && !p.toString().contains("/node_modules/"))
                  ::iterator) {
        String text = Files.readString(file);
        for (String outside :
            List.of("../shared", "shared/DESIGN", "shared/API", "shared/STYLE", "/work/")) {
          if (text.contains(outside)) {
            offenders.add(root.relativize(file) + " mentions " + outside);
          }
        }
      }
    }
    assertThat(offenders).isEmpty();
  }

  private static Path existing(Path jar) {
    assertThat(jar).as("built by package: run ./mvnw verify, not test").exists();
    return jar;
  }

  private static int majorVersion(JarFile file, JarEntry entry) throws IOException {
    try (InputStream in = file.getInputStream(entry)) {
      byte[] header = in.readNBytes(8);
      if (header.length < 8 || (header[0] & 0xff) != 0xCA || (header[1] & 0xff) != 0xFE) {
        throw new AssertionError(entry.getName() + " is not a class file");
      }
      return ((header[6] & 0xff) << 8) | (header[7] & 0xff);
    }
  }
}
