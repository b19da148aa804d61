package dev.loomcache.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.agent.ToolOutcome.Source;
import dev.loomcache.testsupport.FakeTicker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a session does when its detector fires: raise, warn, or short-circuit. */
class LoopReactionTest {
  record CartQuery(String userId) {}

  private final FakeTicker ticker = new FakeTicker();
  private final AgentCache agents = AgentCache.newBuilder().ticker(ticker::read).build();
  private final AtomicInteger runs = new AtomicInteger();
  private final Tool<CartQuery, String> getCart =
      agents
          .readTool("get_cart", (CartQuery q) -> "cart#" + runs.incrementAndGet())
          .resource("cart")
          .ttl(Duration.ofSeconds(1))
          .build();

  @AfterEach
  void closeCache() {
    agents.close();
  }

  private static LoopPolicy repeatsAfterThree(OnLoop onLoop) {
    return LoopPolicy.disabled().maxToolRepeats(3).onLoop(onLoop);
  }

  @Test
  void raise_throwsATypedExceptionAndTheToolDoesNotRun() {
    try (AgentSession session = agents.openSession("agent-A", repeatsAfterThree(OnLoop.RAISE))) {
      session.run(() -> {
        for (int i = 0; i < 3; i++) {
          getCart.call(new CartQuery("user_1"));
        }
        ticker.advance(Duration.ofSeconds(5)); // the entry expired: the tool would run if allowed
        assertThatThrownBy(() -> getCart.call(new CartQuery("user_1")))
            .isInstanceOfSatisfying(
                AgentLoopDetectedException.class,
                e -> {
                  assertThat(e.kind()).isEqualTo(LoopKind.REPEAT);
                  assertThat(e.sessionId()).isEqualTo("agent-A");
                  assertThat(e.toolName()).isEqualTo("get_cart");
                  assertThat(e.calls())
                      .containsExactly(ToolCall.of("get_cart", new CartQuery("user_1")));
                  assertThat(e.observedCount()).isEqualTo(4);
                  assertThat(e.getMessage())
                      .isEqualTo(
                          "Agent loop (REPEAT) in session 'agent-A': get_cart({\"userId\":\"user_1\"}) called 4 times");
                });
      });
      assertThat(runs).hasValue(1);
      AgentStats stats = session.stats();
      assertThat(stats.loopDetections()).isEqualTo(1);
      assertThat(stats.loopDetections(LoopKind.REPEAT)).isEqualTo(1);
      assertThat(stats.calls()).isEqualTo(4);
      assertThat(stats.hits() + stats.misses()).isEqualTo(3);
      assertThat(agents.stats().loopDetections(LoopKind.REPEAT)).isEqualTo(1);
    }
  }

  @Test
  void raise_callOutcomeThrowsToo() {
    try (AgentSession session = agents.openSession("s", repeatsAfterThree(OnLoop.RAISE))) {
      session.run(() -> {
        for (int i = 0; i < 3; i++) {
          getCart.callOutcome(new CartQuery("u"));
        }
        assertThatThrownBy(() -> getCart.callOutcome(new CartQuery("u")))
            .isInstanceOf(AgentLoopDetectedException.class);
      });
    }
  }

  @Test
  void raise_cycleReportsOnePeriodOfCallsOldestFirst() {
    Tool<CartQuery, String> getStock =
        agents.readTool("get_stock", (CartQuery q) -> "stock").build();
    try (AgentSession session = agents.openSession("s", LoopPolicy.defaults())) {
      session.run(() -> {
        getCart.call(new CartQuery("u"));
        getStock.call(new CartQuery("u"));
        getCart.call(new CartQuery("u"));
        assertThatThrownBy(() -> getStock.call(new CartQuery("u")))
            .isInstanceOfSatisfying(
                AgentLoopDetectedException.class,
                e -> {
                  assertThat(e.kind()).isEqualTo(LoopKind.CYCLE);
                  assertThat(e.toolName()).isEqualTo("get_stock");
                  assertThat(e.calls())
                      .containsExactly(
                          ToolCall.of("get_cart", new CartQuery("u")),
                          ToolCall.of("get_stock", new CartQuery("u")));
                  assertThat(e.observedCount()).isEqualTo(2);
                });
      });
    }
  }

  @Test
  void warn_logsCountsAndRunsTheTool() {
    var stderr = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    try (AgentSession session = agents.openSession("agent-W", repeatsAfterThree(OnLoop.WARN))) {
      session.run(() -> {
        for (int i = 0; i < 3; i++) {
          assertThat(getCart.callOutcome(new CartQuery("u")).detectedLoop()).isNull();
        }
        ticker.advance(Duration.ofSeconds(5));
        ToolOutcome<String> fourth = getCart.callOutcome(new CartQuery("u"));

        assertThat(fourth.source()).isEqualTo(Source.EXECUTED);
        assertThat(fourth.value()).isEqualTo("cart#2");
        assertThat(fourth.detectedLoop()).isEqualTo(LoopKind.REPEAT);
      });
      assertThat(session.stats().loopDetections(LoopKind.REPEAT)).isEqualTo(1);
      assertThat(session.stats().shortCircuits()).isZero();
    } finally {
      System.setErr(original);
    }
    assertThat(stderr.toString(StandardCharsets.UTF_8))
        .contains("WARN")
        .contains(
            "Agent loop (REPEAT) in session 'agent-W': get_cart({\"userId\":\"u\"}) called 4 times")
        .contains("onLoop=WARN");
  }

  @Test
  void shortCircuit_returnsTheLastResultWithoutRunning_evenAfterTheEntryExpired() {
    try (AgentSession session = agents.openSession("s", repeatsAfterThree(OnLoop.SHORT_CIRCUIT))) {
      session.run(() -> {
        for (int i = 0; i < 3; i++) {
          getCart.call(new CartQuery("u"));
        }
        ticker.advance(Duration.ofSeconds(5));
        agents.invalidateResources("cart");
        ToolOutcome<String> fourth = getCart.callOutcome(new CartQuery("u"));

        assertThat(fourth.source()).isEqualTo(Source.SHORT_CIRCUITED);
        assertThat(fourth.shortCircuited()).isTrue();
        assertThat(fourth.value()).isEqualTo("cart#1");
        assertThat(fourth.detectedLoop()).isEqualTo(LoopKind.REPEAT);
        assertThat(getCart.call(new CartQuery("u"))).isEqualTo("cart#1");
      });
      assertThat(runs).hasValue(1);
      AgentStats stats = session.stats();
      assertThat(stats.shortCircuits()).isEqualTo(2);
      assertThat(stats.loopDetections()).isEqualTo(2);
      assertThat(stats.calls()).isEqualTo(5);
      assertThat(stats.hits() + stats.misses()).isEqualTo(3);
      assertThat(agents.stats().shortCircuits()).isEqualTo(2);
    }
  }

  @Test
  void shortCircuit_withNoEarlierResult_returnsNull() {
    try (AgentSession session =
        agents.openSession(
            "s", LoopPolicy.disabled().maxExecutionDepth(2).onLoop(OnLoop.SHORT_CIRCUIT))) {
      session.run(() -> {
        getCart.call(new CartQuery("a"));
        getCart.call(new CartQuery("b"));
        ToolOutcome<String> third = getCart.callOutcome(new CartQuery("c"));

        assertThat(third.shortCircuited()).isTrue();
        assertThat(third.value()).isNull();
        assertThat(third.detectedLoop()).isEqualTo(LoopKind.DEPTH);
      });
      assertThat(runs).hasValue(2);
    }
  }

  @Test
  void shortCircuit_ofAWriteTool_returnsItsLastResultAndDoesNotInvalidate() {
    var writes = new AtomicInteger();
    Tool<String, String> addToCart =
        agents
            .writeTool("add_to_cart", (String sku) -> "receipt#" + writes.incrementAndGet())
            .invalidates("cart")
            .build();
    try (AgentSession session = agents.openSession("s", repeatsAfterThree(OnLoop.SHORT_CIRCUIT))) {
      session.run(() -> {
        List<String> receipts =
            List.of(addToCart.call("sku"), addToCart.call("sku"), addToCart.call("sku"));
        getCart.call(new CartQuery("u"));
        ToolOutcome<String> fourth = addToCart.callOutcome("sku");

        assertThat(receipts).containsExactly("receipt#1", "receipt#2", "receipt#3");
        assertThat(fourth.shortCircuited()).isTrue();
        assertThat(fourth.value()).isEqualTo("receipt#3");
        assertThat(getCart.callOutcome(new CartQuery("u")).fromCache()).isTrue();
      });
      assertThat(writes).hasValue(3);
      assertThat(session.stats().invalidations()).isEqualTo(3);
    }
  }

  @Test
  void shortCircuit_ofARetryStorm_returnsNullWhenTheCallNeverSucceeded() {
    Tool<String, String> broken =
        agents
            .<String, String>readTool(
                "broken",
                s -> {
                  runs.incrementAndGet();
                  throw new IllegalStateException("down");
                })
            .build();
    try (AgentSession session =
        agents.openSession(
            "s", LoopPolicy.disabled().maxFailures(2).onLoop(OnLoop.SHORT_CIRCUIT))) {
      session.run(() -> {
        assertThatThrownBy(() -> broken.call("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> broken.call("x")).isInstanceOf(IllegalStateException.class);
        ToolOutcome<String> third = broken.callOutcome("x");

        assertThat(third.shortCircuited()).isTrue();
        assertThat(third.value()).isNull();
        assertThat(third.detectedLoop()).isEqualTo(LoopKind.RETRY_STORM);
      });
      assertThat(runs).hasValue(2);
    }
  }
}
