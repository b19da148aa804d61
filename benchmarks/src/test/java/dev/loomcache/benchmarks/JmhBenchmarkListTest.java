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
      assertThat(in).as("META-INF/BenchmarkList, written by JMH's annotation processor")
          .isNotNull();
      list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertSubjectsListed(list, HitPathBenchmark.class, HitPathBenchmark.SUBJECTS);
    assertSubjectsListed(list, BatchingBenchmark.class, BatchingBenchmark.SUBJECTS);
  }

  @Test
  void subjects_everyBenchmarkMethod_isReported() {
    assertThat(benchmarkMethods(HitPathBenchmark.class))
        .containsExactlyInAnyOrderElementsOf(ids(HitPathBenchmark.SUBJECTS));
    assertThat(benchmarkMethods(BatchingBenchmark.class))
        .containsExactlyInAnyOrderElementsOf(ids(BatchingBenchmark.SUBJECTS));
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
