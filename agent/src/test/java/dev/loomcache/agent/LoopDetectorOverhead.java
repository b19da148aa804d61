package dev.loomcache.agent;

import java.util.Arrays;
import java.util.List;

/**
 * Measures what the loop detector adds to a tool call: the same calls in a session with {@link
 * LoopPolicy#disabled()} and in one with every detector on (limits set so that none fires). Not a
 * test and not a JMH benchmark: a quick single-threaded harness whose numbers go in the README. It
 * prints the best and the median round of each; on a shared machine the best is the one to read.
 *
 * <pre>{@code
 * ./mvnw -B -ntp -q -pl agent -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp agent/target/test-classes:agent/target/classes:$(cat agent/target/cp.txt) \
 *     dev.loomcache.agent.LoopDetectorOverhead
 * }</pre>
 */
public final class LoopDetectorOverhead {
  record Query(int id) {}

  // Short rounds, many of them: on a shared machine the best rounds are the undisturbed ones.
  private static final int CALLS = 20_000;
  private static final int DISTINCT_ARGUMENTS = 1_000;
  private static final int ROUNDS = 301;

  private LoopDetectorOverhead() {}

  public static void main(String[] args) throws Exception {
    // Every detector on, none able to fire: repeats and depth counted against limits never reached,
    // cycles of up to 4 calls looked for (the arguments cycle with period 1,000), failures counted.
    LoopPolicy detecting =
        LoopPolicy.defaults()
            .maxToolRepeats(Integer.MAX_VALUE - 1)
            .maxExecutionDepth(Integer.MAX_VALUE - 1);
    var queries = new Query[DISTINCT_ARGUMENTS];
    for (int i = 0; i < queries.length; i++) {
      queries[i] = new Query(i);
    }
    try (AgentCache agents = AgentCache.newBuilder().build()) {
      Tool<Query, Integer> read =
          agents.readTool("read", (Query q) -> q.id()).resource("r").build();
      Tool<Query, Integer> write = agents.writeTool("write", (Query q) -> q.id()).build();
      System.out.printf(
          "%,d calls per round, %d rounds alternating the two policies; ns/call%n", CALLS, ROUNDS);
      for (Tool<Query, Integer> tool : List.of(read, write)) {
        // Alternating the policies round by round spreads machine noise over both alike.
        var off = new double[ROUNDS];
        var on = new double[ROUNDS];
        for (int round = -100; round < ROUNDS; round++) { // warm-up rounds first
          double disabled = nanosPerCall(agents, LoopPolicy.disabled(), tool, queries);
          double enabled = nanosPerCall(agents, detecting, tool, queries);
          if (round >= 0) {
            off[round] = disabled;
            on[round] = enabled;
          }
        }
        Arrays.sort(off);
        Arrays.sort(on);
        System.out.printf(
            "%-26s disabled: best %6.1f median %6.1f | detecting: best %6.1f median %6.1f"
                + " | overhead: best %5.1f median %5.1f%n",
            tool.isWrite() ? "write tool, no resources" : "read tool, cache hit",
            off[0],
            off[ROUNDS / 2],
            on[0],
            on[ROUNDS / 2],
            on[0] - off[0],
            on[ROUNDS / 2] - off[ROUNDS / 2]);
      }
    }
  }

  private static long sink;

  /** Runs {@link #CALLS} calls of {@code tool} in a fresh session and returns ns per call. */
  private static double nanosPerCall(
      AgentCache agents, LoopPolicy policy, Tool<Query, Integer> tool, Query[] queries)
      throws Exception {
    try (AgentSession session = agents.openSession("bench", policy)) {
      long start = System.nanoTime();
      sink +=
          session.call(() -> {
            long sum = 0;
            for (int i = 0; i < CALLS; i++) {
              sum += tool.call(queries[i % queries.length]);
            }
            return sum;
          });
      return (double) (System.nanoTime() - start) / CALLS;
    }
  }
}
