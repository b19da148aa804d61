package dev.loomcache.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.agent.ToolOutcome.Source;
import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Read tools: cached per canonical arguments, single flight, failures and nulls never cached. */
class ReadToolTest {
  record CartQuery(String userId) {}

  private final FakeTicker ticker = new FakeTicker();
  private final AgentCache agents = AgentCache.newBuilder().ticker(ticker::read).build();
  private final AtomicInteger runs = new AtomicInteger();

  @AfterEach
  void closeCache() {
    agents.close();
  }

  private Tool<CartQuery, String> cartTool() {
    return agents
        .readTool(
            "get_cart", (CartQuery q) -> "cart of " + q.userId() + " #" + runs.incrementAndGet())
        .resource("cart")
        .build();
  }

  @Test
  void call_secondIdenticalCall_isAHitAndDoesNotRunTheTool() {
    Tool<CartQuery, String> getCart = cartTool();

    String first = getCart.call(new CartQuery("u1"));
    String second = getCart.call(new CartQuery("u1"));

    assertThat(first).isEqualTo("cart of u1 #1");
    assertThat(second).isEqualTo(first);
    assertThat(runs).hasValue(1);
    AgentStats stats = agents.stats();
    assertThat(stats.hits()).isEqualTo(1);
    assertThat(stats.misses()).isEqualTo(1);
    assertThat(stats.calls()).isEqualTo(2);
    assertThat(stats.hitRate()).isEqualTo(0.5);
  }

  @Test
  void call_differentArguments_areDifferentEntries() {
    Tool<CartQuery, String> getCart = cartTool();

    assertThat(getCart.call(new CartQuery("u1"))).isEqualTo("cart of u1 #1");
    assertThat(getCart.call(new CartQuery("u2"))).isEqualTo("cart of u2 #2");
    assertThat(agents.stats().misses()).isEqualTo(2);
  }

  @Test
  void call_jsonArgumentsSpelledDifferently_shareOneEntry() {
    Tool<String, String> search =
        agents.readTool("search", (String json) -> "result #" + runs.incrementAndGet()).build();

    String first = search.call("{\"query\": \"shoes\", \"limit\": 10}");
    String second = search.call("{\"limit\":10.0,\"query\":\"shoes\"}");

    assertThat(second).isEqualTo(first);
    assertThat(runs).hasValue(1);
  }

  @Test
  void call_twoToolsWithTheSameArguments_doNotShareEntries() {
    Tool<CartQuery, String> getCart = cartTool();
    Tool<CartQuery, String> getWishlist =
        agents.readTool("get_wishlist", (CartQuery q) -> "wishlist").build();

    assertThat(getCart.call(new CartQuery("u1"))).isEqualTo("cart of u1 #1");
    assertThat(getWishlist.call(new CartQuery("u1"))).isEqualTo("wishlist");
  }

  @Test
  void callOutcome_saysWhetherTheToolRanOrTheCacheAnswered() {
    Tool<CartQuery, String> getCart = cartTool();

    ToolOutcome<String> first = getCart.callOutcome(new CartQuery("u1"));
    ToolOutcome<String> second = getCart.callOutcome(new CartQuery("u1"));

    assertThat(first.source()).isEqualTo(Source.EXECUTED);
    assertThat(first.executed()).isTrue();
    assertThat(first.value()).isEqualTo("cart of u1 #1");
    assertThat(first.detectedLoop()).isNull();
    assertThat(second.source()).isEqualTo(Source.CACHED);
    assertThat(second.fromCache()).isTrue();
    assertThat(second.shortCircuited()).isFalse();
    assertThat(second.value()).isEqualTo("cart of u1 #1");
  }

  @Test
  void call_ttlPassed_runsTheToolAgain() {
    Tool<CartQuery, String> getCart =
        agents
            .readTool("get_cart", (CartQuery q) -> "v" + runs.incrementAndGet())
            .ttl(Duration.ofSeconds(120))
            .build();

    assertThat(getCart.call(new CartQuery("u1"))).isEqualTo("v1");
    ticker.advance(Duration.ofSeconds(119));
    assertThat(getCart.call(new CartQuery("u1"))).isEqualTo("v1");
    ticker.advance(Duration.ofSeconds(1));
    assertThat(getCart.call(new CartQuery("u1"))).isEqualTo("v2");
  }

  @Test
  void call_cacheDefaultTtl_appliesToToolsWithoutTheirOwn() {
    try (AgentCache expiring =
        AgentCache.newBuilder().ticker(ticker::read).defaultTtl(Duration.ofMinutes(1)).build()) {
      Tool<CartQuery, String> getCart =
          expiring.readTool("get_cart", (CartQuery q) -> "v" + runs.incrementAndGet()).build();

      assertThat(getCart.call(new CartQuery("u1"))).isEqualTo("v1");
      ticker.advance(Duration.ofMinutes(1));
      assertThat(getCart.call(new CartQuery("u1"))).isEqualTo("v2");
    }
  }

  @Test
  void call_zeroTtl_storesNothing() {
    Tool<CartQuery, String> live =
        agents
            .readTool("live", (CartQuery q) -> "v" + runs.incrementAndGet())
            .ttl(Duration.ZERO)
            .build();

    assertThat(live.call(new CartQuery("u1"))).isEqualTo("v1");
    assertThat(live.call(new CartQuery("u1"))).isEqualTo("v2");
  }

  @Test
  void call_failingTool_isNotCachedAndTheNextCallRunsAgain() {
    var fail = new boolean[] {true};
    Tool<CartQuery, String> flaky =
        agents
            .readTool(
                "flaky",
                (CartQuery q) -> {
                  runs.incrementAndGet();
                  if (fail[0]) {
                    throw new IllegalStateException("backend down");
                  }
                  return "ok";
                })
            .build();

    assertThatThrownBy(() -> flaky.call(new CartQuery("u1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("backend down");
    fail[0] = false;
    assertThat(flaky.call(new CartQuery("u1"))).isEqualTo("ok");
    assertThat(runs).hasValue(2);
    assertThat(agents.stats().misses()).isEqualTo(2);
  }

  @Test
  void call_checkedException_isWrappedWithItsCause() {
    var cause = new IOException("disk");
    Tool<CartQuery, String> broken =
        agents
            .<CartQuery, String>readTool(
                "broken",
                q -> {
                  throw cause;
                })
            .build();

    assertThatThrownBy(() -> broken.call(new CartQuery("u1")))
        .isInstanceOf(ToolExecutionException.class)
        .hasCause(cause)
        .hasMessageContaining("broken")
        .satisfies(e -> assertThat(((ToolExecutionException) e).toolName()).isEqualTo("broken"));
  }

  @Test
  void call_errorFromTool_passesThroughUnchanged() {
    var error = new AssertionError("boom");
    Tool<CartQuery, String> broken =
        agents
            .<CartQuery, String>readTool(
                "broken",
                q -> {
                  throw error;
                })
            .build();

    assertThatThrownBy(() -> broken.call(new CartQuery("u1"))).isSameAs(error);
  }

  @Test
  void call_nullResult_isReturnedButNotCached() {
    Tool<CartQuery, String> nothing =
        agents
            .<CartQuery, String>readTool(
                "nothing",
                q -> {
                  runs.incrementAndGet();
                  return null;
                })
            .build();

    assertThat(nothing.call(new CartQuery("u1"))).isNull();
    assertThat(nothing.call(new CartQuery("u1"))).isNull();
    assertThat(runs).hasValue(2);
  }

  /** Makes the tool wait until every other caller is parked on its run. */
  private static void awaitOthersParked(Queue<Thread> others, int count) {
    Concurrently.awaitUntil(
        Duration.ofSeconds(30),
        count + " callers park on the running call",
        () ->
            others.size() == count
                && others.stream()
                    .allMatch(t ->
                        t.getState() == Thread.State.WAITING
                            || t.getState() == Thread.State.TIMED_WAITING));
  }

  @Test
  void call_concurrentIdenticalCalls_runTheToolOnce() throws Exception {
    int callers = 100;
    var others = new ConcurrentLinkedQueue<Thread>();
    var entered = new CountDownLatch(1);
    Tool<CartQuery, String> slow =
        agents
            .readTool(
                "slow",
                (CartQuery q) -> {
                  runs.incrementAndGet();
                  entered.countDown();
                  awaitOthersParked(others, callers - 1);
                  return "shared";
                })
            .build();

    var results =
        Concurrently.run(
            callers,
            Duration.ofSeconds(30),
            i ->
                () -> {
                  if (i != 0) {
                    entered.await(); // everyone else arrives while the first call runs the tool
                    others.add(Thread.currentThread());
                  }
                  return slow.callOutcome(new CartQuery("u1"));
                });

    assertThat(runs).hasValue(1);
    assertThat(results).allSatisfy(r -> assertThat(r.value().value()).isEqualTo("shared"));
    assertThat(results).filteredOn(r -> r.value().executed()).hasSize(1);
    assertThat(results).filteredOn(r -> r.value().fromCache()).hasSize(callers - 1);
    AgentStats stats = agents.stats();
    assertThat(stats.misses()).isEqualTo(1);
    assertThat(stats.hits()).isEqualTo(callers - 1);
  }

  @Test
  void call_concurrentIdenticalCallsOfAFailingTool_allGetTheFailure_nothingCached()
      throws Exception {
    int callers = 20;
    var others = new ConcurrentLinkedQueue<Thread>();
    var entered = new CountDownLatch(1);
    var failure = new IllegalStateException("down");
    Tool<CartQuery, String> failing =
        agents
            .readTool(
                "failing",
                (CartQuery q) -> {
                  if (runs.incrementAndGet() == 1) {
                    entered.countDown();
                    awaitOthersParked(others, callers - 1);
                    throw failure;
                  }
                  return "recovered";
                })
            .build();

    var results =
        Concurrently.run(
            callers,
            Duration.ofSeconds(30),
            i ->
                () -> {
                  if (i != 0) {
                    entered.await();
                    others.add(Thread.currentThread());
                  }
                  return failing.call(new CartQuery("u1"));
                });

    assertThat(runs).hasValue(1);
    assertThat(results).allSatisfy(r -> assertThat(r.failure()).isSameAs(failure));
    assertThat(agents.stats().misses()).isEqualTo(callers);
    assertThat(agents.stats().hits()).isZero();
    assertThat(failing.call(new CartQuery("u1"))).isEqualTo("recovered");
    assertThat(runs).hasValue(2);
  }

  @Test
  void call_argumentsWithoutCanonicalForm_areRejectedBeforeTheToolRuns() {
    Tool<Object, String> tool =
        agents.readTool("any", (Object o) -> "v" + runs.incrementAndGet()).build();

    assertThatThrownBy(() -> tool.call(Map.of("x", new Object())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("arguments.x");
    assertThat(runs).hasValue(0);
  }

  @Test
  void call_nullArguments_throwNullPointerException() {
    Tool<CartQuery, String> getCart = cartTool();

    assertThatThrownBy(() -> getCart.call(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("arguments must not be null");
  }

  @Test
  void call_globalToolWithoutSession_worksAndCountsOnlyGlobally() {
    Tool<CartQuery, String> getCart = cartTool();

    getCart.call(new CartQuery("u1"));

    assertThat(agents.stats().calls()).isEqualTo(1);
    assertThat(AgentSession.current()).isEmpty();
  }

  @Test
  void tool_describesItself() {
    Tool<CartQuery, String> getCart =
        agents
            .readTool("get_cart", (CartQuery q) -> "x")
            .resource("cart", "user", "cart")
            .scope(Scope.SESSION)
            .build();

    assertThat(getCart.name()).isEqualTo("get_cart");
    assertThat(getCart.scope()).isEqualTo(Scope.SESSION);
    assertThat(getCart.resources()).containsExactlyInAnyOrder("cart", "user");
    assertThat(getCart.isWrite()).isFalse();
    assertThat(getCart.toString()).contains("get_cart");
  }

  @Test
  void call_afterTheCacheCloses_throwsIllegalStateException() {
    Tool<CartQuery, String> getCart = cartTool();
    agents.close();

    assertThatThrownBy(() -> getCart.call(new CartQuery("u1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void call_listArguments_work() {
    Tool<List<Integer>, Integer> sum =
        agents
            .readTool(
                "sum",
                (List<Integer> xs) -> {
                  runs.incrementAndGet();
                  return xs.stream().mapToInt(Integer::intValue).sum();
                })
            .build();

    assertThat(sum.call(List.of(1, 2, 3))).isEqualTo(6);
    assertThat(sum.call(List.of(1, 2, 3))).isEqualTo(6);
    assertThat(runs).hasValue(1);
  }
}
