package dev.loomcache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * JMH's annotation processor ran (on JDK 23+ it runs only with {@code -proc:full}), and every
 * subject the report names is a generated benchmark, so a renamed method cannot silently drop out.
 */
class JmhBenchmarkListTest {

  @Test
  void benchmarkList_afterCompile_listsEveryReportedSubject() throws IOException {
    String list;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
      assertThat(in)
          .as("META-INF/BenchmarkList, written by JMH's annotation processor")
          .isNotNull();
      list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertSubjectsListed(list, HitPathBenchmark.class, HitPathBenchmark.SUBJECTS);
    assertSubjectsListed(list, BatchingBenchmark.class, BatchingBenchmark.SUBJECTS);
    assertSubjectsListed(list, SpringCacheableBenchmark.class, SpringCacheableBenchmark.SUBJECTS);
  }

  @Test
  void subjects_everyBenchmarkMethod_isReported() {
    assertThat(benchmarkMethods(HitPathBenchmark.class))
        .containsExactlyInAnyOrderElementsOf(ids(HitPathBenchmark.SUBJECTS));
    assertThat(benchmarkMethods(BatchingBenchmark.class))
        .containsExactlyInAnyOrderElementsOf(ids(BatchingBenchmark.SUBJECTS));
    // each method with each manager the benchmark's @Param lists
    var expected = new java.util.ArrayList<String>();
    for (String method : benchmarkMethods(SpringCacheableBenchmark.class)) {
      for (String manager : managerParams()) {
        expected.add(method + "/" + manager);
      }
    }
    assertThat(SpringCacheableBenchmark.SUBJECTS.stream().map(s -> s[0] + "/" + s[1]).toList())
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  private static List<String> managerParams() {
    try {
      return List.of(
          SpringCacheableBenchmark.class
              .getField("manager")
              .getAnnotation(org.openjdk.jmh.annotations.Param.class)
              .value());
    } catch (NoSuchFieldException e) {
      throw new AssertionError("SpringCacheableBenchmark has no field 'manager'", e);
    }
  }

  private static void assertSubjectsListed(String list, Class<?> type, List<String[]> subjects) {
    for (String[] subject : subjects) {
      assertThat(list).contains(type.getSimpleName() + "_" + subject[0] + "_jmhTest");
    }
  }

  private static List<String> benchmarkMethods(Class<?> type) {
    return Arrays.stream(type.getDeclaredMethods())
        .filter(m -> m.isAnnotationPresent(Benchmark.class))
        .map(Method::getName)
        .toList();
  }

  private static List<String> ids(List<String[]> subjects) {
    return subjects.stream().map(s -> s[0]).toList();
  }
}
