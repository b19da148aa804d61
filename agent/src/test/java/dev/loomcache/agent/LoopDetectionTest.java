package dev.loomcache.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The four detectors: the exact call on which each fires, and the calls on which it must not.
 *
 * <p>A script such as {@code "A1 B1 A1 B1"} calls read tool A with argument 1, then B with 1, and
 * so on, in one session whose policy raises; the trace says, per call, {@code ok}, {@code fail}
 * (the tool threw) or the {@link LoopKind} raised. Tools A to E are read tools of resource "r"; W
 * writes "r", X writes "other", F is a write tool that always fails.
 */
class LoopDetectionTest {
  private final AgentCache agents = AgentCache.newBuilder().build();
  private final Map<Character, Tool<Integer, String>> tools = new HashMap<>();
  private final AtomicInteger runs = new AtomicInteger();

  LoopDetectionTest() {
    for (char name = 'A'; name <= 'E'; name++) {
      String toolName = String.valueOf(name);
      tools.put(
          name,
          agents
              .readTool(
                  toolName,
                  (Integer i) -> {
                    runs.incrementAndGet();
                    return toolName + i;
                  })
              .resource("r")
              .build());
    }
    tools.put(
        'W',
        agents
            .writeTool(
                "W",
                (Integer i) -> {
                  runs.incrementAndGet();
                  return "w" + i;
                })
            .invalidates("r")
            .build());
    tools.put('X', agents.writeTool("X", (Integer i) -> "x" + i).invalidates("other").build());
    tools.put(
        'F',
        agents
            .<Integer, String>writeTool(
                "F",
                i -> {
                  runs.incrementAndGet();
                  throw new IllegalStateException("always fails");
                })
            .build());
  }

  @AfterEach
  void closeCache() {
    agents.close();
  }

  private List<String> trace(LoopPolicy policy, String script) {
    var trace = new ArrayList<String>();
    try (AgentSession session = agents.openSession("s", policy.onLoop(OnLoop.RAISE))) {
      session.run(() -> {
        for (String step : script.split(" ")) {
          Tool<Integer, String> tool = tools.get(step.charAt(0));
          try {
            tool.call(Integer.parseInt(step.substring(1)));
            trace.add("ok");
          } catch (AgentLoopDetectedException e) {
            trace.add(e.kind().name());
          } catch (IllegalStateException e) {
            trace.add("fail");
          }
        }
      });
    }
    return trace;
  }

  private static List<String> expected(String trace) {
    return Arrays.asList(trace.split(" "));
  }

  // REPEAT

  @Test
  void repeat_fourthIdenticalCallWithMaxToolRepeatsThree_fires_thirdDoesNot() {
    assertThat(trace(LoopPolicy.disabled().maxToolRepeats(3), "A1 A1 A1 A1 A1"))
        .isEqualTo(expected("ok ok ok REPEAT REPEAT"));
    // Calls 2 and 3 were cache hits; they count all the same. Calls 4 and 5 never ran.
    assertThat(runs).hasValue(1);
  }

  @Test
  void repeat_defaults_fireOnTheSixthIdenticalCall() {
    assertThat(trace(LoopPolicy.defaults(), "A1 A1 A1 A1 A1 A1"))
        .isEqualTo(expected("ok ok ok ok ok REPEAT"));
  }

  @Test
  void repeat_pollingTheSameToolWithDifferentArguments_isNotARepeat() {
    assertThat(trace(LoopPolicy.disabled().maxToolRepeats(3), "A1 A2 A3 A4 A5 A6 A7 A8"))
        .containsOnly("ok");
  }

  @Test
  void repeat_interleavedWithOtherCalls_stillCounts() {
    assertThat(trace(LoopPolicy.disabled().maxToolRepeats(2), "A1 B1 A1 B2 A1"))
        .isEqualTo(expected("ok ok ok ok REPEAT"));
  }

  @Test
  void repeat_writeInvalidatingTheReadsResource_resetsItsCount() {
    assertThat(trace(LoopPolicy.disabled().maxToolRepeats(3), "A1 A1 A1 W1 A1 A1 A1 A1"))
        .isEqualTo(expected("ok ok ok ok ok ok ok REPEAT"));
  }

  @Test
  void repeat_writeOfAnotherResource_doesNotResetTheCount() {
    assertThat(trace(LoopPolicy.disabled().maxToolRepeats(3), "A1 A1 A1 X1 A1"))
        .isEqualTo(expected("ok ok ok ok REPEAT"));
  }

  @Test
  void repeat_identicalWrites_areCountedAndNeverResetByThemselves() {
    assertThat(trace(LoopPolicy.disabled().maxToolRepeats(3), "W1 W1 W1 W1"))
        .isEqualTo(expected("ok ok ok REPEAT"));
  }

  @Test
  void repeat_countsAreKeptPerSession() {
    Tool<Integer, String> a = tools.get('A');
    LoopPolicy policy = LoopPolicy.disabled().maxToolRepeats(2);
    try (AgentSession one = agents.openSession("one", policy);
        AgentSession two = agents.openSession("two", policy)) {
      one.run(() -> a.call(1));
      two.run(() -> a.call(1));
      one.run(() -> a.call(1));
      two.run(() -> a.call(1));

      assertThat(one.stats().loopDetections()).isZero();
      assertThat(two.stats().loopDetections()).isZero();
    }
  }

  @Test
  void repeat_sameArgumentsSpelledDifferently_areTheSameCall() {
    Tool<Map<String, Object>, String> search =
        agents.readTool("search", (Map<String, Object> m) -> "r").build();
    try (AgentSession session =
        agents.openSession("json", LoopPolicy.disabled().maxToolRepeats(1))) {
      session.run(() -> search.call(Map.of("q", "shoes", "limit", 10)));

      assertThatThrownBy(() -> session.run(() -> search.call(Map.of("limit", 10.0, "q", "shoes"))))
          .isInstanceOfSatisfying(
              AgentLoopDetectedException.class,
              e -> assertThat(e.kind()).isEqualTo(LoopKind.REPEAT));
    }
  }

  // CYCLE

  @Test
  void cycle_abab_firesOnTheFourthCall_notTheThird() {
    assertThat(trace(LoopPolicy.disabled().maxCyclePeriod(4), "A1 B1 A1 B1"))
        .isEqualTo(expected("ok ok ok CYCLE"));
  }

  @Test
  void cycle_defaults_abab_isACycleBeforeAnyRepeat() {
    assertThat(trace(LoopPolicy.defaults(), "A1 B1 A1 B1")).isEqualTo(expected("ok ok ok CYCLE"));
  }

  @Test
  void cycle_abaWithDifferentArguments_isNotACycle() {
    assertThat(trace(LoopPolicy.disabled().maxCyclePeriod(4), "A1 B1 A2 B1 A3 B1 A4 B1"))
        .containsOnly("ok");
  }

  @Test
  void cycle_keepsFiringWhileTheCycleContinues() {
    assertThat(trace(LoopPolicy.disabled().maxCyclePeriod(4), "A1 B1 A1 B1 A1 C1 A1"))
        .isEqualTo(expected("ok ok ok CYCLE CYCLE ok ok"));
  }

  @Test
  void cycle_periodThree_firesOnTheSixthCall_notTheFifth() {
    assertThat(trace(LoopPolicy.disabled().maxCyclePeriod(4), "A1 B1 C1 A1 B1 C1"))
        .isEqualTo(expected("ok ok ok ok ok CYCLE"));
  }

  @Test
  void cycle_blockWithARepeatedCall_isACycle() {
    assertThat(trace(LoopPolicy.disabled().maxCyclePeriod(4), "A1 A1 B1 A1 A1 B1"))
        .isEqualTo(expected("ok ok ok ok ok CYCLE"));
  }

  @Test
  void cycle_periodLongerThanMaxCyclePeriod_isNotDetected() {
    assertThat(trace(LoopPolicy.disabled().maxCyclePeriod(4), "A1 B1 C1 D1 E1 A1 B1 C1 D1 E1"))
        .containsOnly("ok");
    assertThat(trace(LoopPolicy.disabled().maxCyclePeriod(5), "A1 B1 C1 D1 E1 A1 B1 C1 D1 E1"))
        .isEqualTo(expected("ok ok ok ok ok ok ok ok ok CYCLE"));
  }

  @Test
  void cycle_threeRepetitions_fireOnTheSixthCall_notTheFifth() {
    assertThat(
            trace(LoopPolicy.disabled().maxCyclePeriod(4).cycleRepetitions(3), "A1 B1 A1 B1 A1 B1"))
        .isEqualTo(expected("ok ok ok ok ok CYCLE"));
  }

  @Test
  void cycle_sameCallOverAndOver_isNotACycle() {
    assertThat(trace(LoopPolicy.disabled().maxCyclePeriod(4), "A1 A1 A1 A1 A1 A1 A1 A1"))
        .containsOnly("ok");
  }

  @Test
  void cycle_maxCyclePeriodOne_turnsCyclesOff() {
    assertThat(trace(LoopPolicy.defaults().maxCyclePeriod(1), "A1 B1 A1 B1")).containsOnly("ok");
  }

  @Test
  void cycle_readWriteAlternation_isACycle() {
    assertThat(trace(LoopPolicy.disabled().maxCyclePeriod(4), "A1 W1 A1 W1"))
        .isEqualTo(expected("ok ok ok CYCLE"));
  }

  // RETRY_STORM

  @Test
  void retryStorm_callAfterThreeFailures_firesBeforeRunning_thirdFailureDoesNot() {
    assertThat(trace(LoopPolicy.disabled().maxFailures(3), "F1 F1 F1 F1 F1"))
        .isEqualTo(expected("fail fail fail RETRY_STORM RETRY_STORM"));
    assertThat(runs).hasValue(3);
  }

  @Test
  void retryStorm_failuresOfOtherArguments_doNotCount() {
    assertThat(trace(LoopPolicy.disabled().maxFailures(3), "F1 F1 F1 F2 F3"))
        .isEqualTo(expected("fail fail fail fail fail"));
  }

  @Test
  void retryStorm_countsEveryFailureInTheSession_notOnlyConsecutiveOnes() {
    var failNext = new ArrayList<>(List.of(true, true, false, true));
    Tool<Integer, String> sometimes =
        agents
            .<Integer, String>writeTool(
                "sometimes",
                i -> {
                  if (failNext.removeFirst()) {
                    throw new IllegalStateException("fails");
                  }
                  return "ok";
                })
            .build();
    var trace = new ArrayList<String>();
    try (AgentSession session = agents.openSession("s", LoopPolicy.disabled().maxFailures(3))) {
      session.run(() -> {
        for (int n = 0; n < 5; n++) {
          try {
            trace.add(sometimes.call(1));
          } catch (AgentLoopDetectedException e) {
            trace.add(e.kind().name());
          } catch (IllegalStateException e) {
            trace.add("fail");
          }
        }
      });
    }
    assertThat(trace).isEqualTo(expected("fail fail ok fail RETRY_STORM"));
  }

  // DEPTH

  @Test
  void depth_callNumberMaxPlusOne_fires_callNumberMaxDoesNot() {
    assertThat(trace(LoopPolicy.disabled().maxExecutionDepth(5), "A1 A2 A3 A4 A5 A6 A7"))
        .isEqualTo(expected("ok ok ok ok ok DEPTH DEPTH"));
  }

  @Test
  void depth_defaults_fireOnCallFiftyOne() {
    var script = new StringBuilder();
    for (int i = 1; i <= 51; i++) {
      script.append(i == 1 ? "" : " ").append("A").append(i);
    }
    List<String> trace = trace(LoopPolicy.defaults(), script.toString());
    assertThat(trace.subList(0, 50)).containsOnly("ok");
    assertThat(trace.get(50)).isEqualTo("DEPTH");
  }

  // Order and scope

  @Test
  void order_repeatIsReportedBeforeDepth() {
    assertThat(
            trace(LoopPolicy.disabled().maxToolRepeats(3).maxExecutionDepth(3), "A1 A1 A1 A1 A2"))
        .isEqualTo(expected("ok ok ok REPEAT DEPTH"));
  }

  @Test
  void order_repeatIsReportedBeforeCycle() {
    assertThat(trace(LoopPolicy.disabled().maxToolRepeats(1).maxCyclePeriod(4), "A1 B1 A1 B1"))
        .isEqualTo(expected("ok ok REPEAT REPEAT"));
  }

  @Test
  void order_cycleIsReportedBeforeRetryStorm() {
    assertThat(trace(LoopPolicy.disabled().maxCyclePeriod(4).maxFailures(1), "F1 F2 F1 F2"))
        .isEqualTo(expected("fail fail RETRY_STORM CYCLE"));
  }

  @Test
  void order_retryStormIsReportedBeforeDepth() {
    assertThat(trace(LoopPolicy.disabled().maxFailures(1).maxExecutionDepth(1), "F1 F1"))
        .isEqualTo(expected("fail RETRY_STORM"));
  }

  @Test
  void disabled_neverDetects() {
    assertThat(
            trace(LoopPolicy.disabled(), "A1 ".repeat(200).trim() + " F1 F1 F1 F1 F1 A1 B1 A1 B1"))
        .doesNotContain("REPEAT", "CYCLE", "RETRY_STORM", "DEPTH");
  }

  @Test
  void detection_withoutASession_neverHappens() {
    Tool<Integer, String> a = tools.get('A');
    for (int i = 0; i < 100; i++) {
      a.call(1);
    }
    assertThat(agents.stats().loopDetections()).isZero();
    assertThat(agents.stats().calls()).isEqualTo(100);
  }
}
