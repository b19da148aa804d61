package dev.loomcache.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The subjects of {@link AgentAdapterOverheadBenchmark}, measured in alternating rounds in one JVM,
 * so that a busy machine slows baseline and adapter alike and their difference survives: after
 * {@value #WARMUP_ROUNDS} warm-up rounds, {@value #ROUNDS} rounds of {@value #CALLS_PER_ROUND}
 * calls visit every subject in turn; the best and the median round of each are printed, in ns per
 * call.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) dev.loomcache.benchmarks.AgentAdapterOverheadHarness
 * </pre>
 */
public final class AgentAdapterOverheadHarness {
  static final int WARMUP_ROUNDS = 60;
  static final int ROUNDS = 201;
  static final int CALLS_PER_ROUND = 20_000;

  private AgentAdapterOverheadHarness() {}

  public static void main(String[] args) throws Exception {
    var bench = new AgentAdapterOverheadBenchmark();
    bench.setUp();
    Map<String, Callable<?>> subjects = new LinkedHashMap<>();
    subjects.put("agentRead_json", bench::agentRead_json);
    subjects.put("agentRead_json_noSession", bench::agentRead_json_noSession);
    subjects.put("langchain4j_executeWithContext", bench::langchain4j_executeWithContext);
    subjects.put("springAi_call", bench::springAi_call);
    subjects.put("agentRead_map", bench::agentRead_map);
    subjects.put("mcp_callHandler", bench::mcp_callHandler);
    Map<String, double[]> rounds = new LinkedHashMap<>();
    subjects.keySet().forEach(name -> rounds.put(name, new double[ROUNDS]));
    long sink = 0;
    for (int round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
      for (var subject : subjects.entrySet()) {
        Callable<?> call = subject.getValue();
        long start = System.nanoTime();
        for (int i = 0; i < CALLS_PER_ROUND; i++) {
          sink += System.identityHashCode(call.call());
        }
        long elapsed = System.nanoTime() - start;
        if (round >= 0) {
          rounds.computeIfAbsent(subject.getKey(), k -> new double[ROUNDS])[round] =
              (double) elapsed / CALLS_PER_ROUND;
        }
      }
    }
    bench.tearDown();
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT, "%-32s %8s %8s", "subject (ns per cached read)", "best", "median"));
    for (var entry : rounds.entrySet()) {
      double[] sorted = entry.getValue().clone();
      Arrays.sort(sorted);
      lines.add(
          String.format(
              Locale.ROOT, "%-32s %8.0f %8.0f", entry.getKey(), sorted[0], sorted[ROUNDS / 2]));
    }
    lines.forEach(System.out::println);
    System.out.println("(sink " + (sink & 1) + ")");
  }
}
