package dev.loomcache.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The panel's real LangChain4j agent, driven by its scripted model, through the agent cache. */
class LangChain4jPanelTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DemoShop shop = new DemoShop(Duration.ZERO, Duration.ZERO);
  private final LangChain4jPanel panel = new LangChain4jPanel(registry, shop);

  @AfterEach
  void close() {
    panel.close();
  }

  @Test
  void shopping_cachedReadsAndAnInvalidatingWrite_reachTheShopFourTimes() {
    Map<String, Object> result = panel.perform("shopping", FormValues.empty());

    // Two searches with differently written JSON are one entry; two cart reads before the write
    // are one shop call; the read after the write is a miss that sees the new item.
    assertThat(shop.searchCount()).isEqualTo(1);
    assertThat(shop.cartReadCount()).isEqualTo(2);
    assertThat(shop.cartWriteCount()).isEqualTo(1);
    assertThat(kinds(result))
        .containsExactly(
            "session",
            "executed",
            "cached",
            "executed",
            "cached",
            "invalidated",
            "executed",
            "answer");
    assertThat(strings(result.get("modelRead")))
        .hasSize(6)
        .last()
        .asString()
        .isEqualTo("user-1: [sku-1]");
    assertThat(result.get("answer")).isEqualTo("Added sku-1 to your cart.");
    assertThat(map(result.get("session")))
        .containsEntry("calls", 6L)
        .containsEntry("hits", 2L)
        .containsEntry("misses", 3L)
        .containsEntry("invalidations", 1L);

    Map<String, Map<String, Object>> tools = tools();
    assertThat(tools.get("searchProducts"))
        .containsEntry("calls", 2L)
        .containsEntry("hits", 1L)
        .containsEntry("misses", 1L)
        .containsEntry("shopCalls", 1L);
    assertThat(tools.get("getCart"))
        .containsEntry("calls", 3L)
        .containsEntry("hits", 1L)
        .containsEntry("misses", 2L)
        .containsEntry("shopCalls", 2L);
    assertThat(tools.get("addToCart"))
        .containsEntry("calls", 1L)
        .containsEntry("invalidations", 1L)
        .containsEntry("hits", 0L)
        .containsEntry("shopCalls", 1L);
  }

  @Test
  void shopping_twice_searchIsCachedAcrossConversations() {
    panel.perform("shopping", FormValues.empty());
    Map<String, Object> second = panel.perform("shopping", FormValues.empty());

    assertThat(shop.searchCount()).isEqualTo(1);
    assertThat(kinds(second).get(1)).isEqualTo("cached");
    assertThat(tools().get("searchProducts")).containsEntry("calls", 4L).containsEntry("hits", 3L);
  }

  @Test
  void loopRaise_fourthRepeat_isRaisedAndTheModelReadsTheError() {
    Map<String, Object> result =
        panel.perform("loop-raise", FormValues.of(Map.of("calls", new String[] {"6"})));

    assertThat(kinds(result))
        .containsExactly(
            "session", "executed", "cached", "cached", "raised", "raised", "raised", "answer");
    List<String> read = strings(result.get("modelRead"));
    assertThat(read.subList(0, 3)).containsOnly("user-1: []");
    assertThat(read.get(3)).startsWith("Agent loop (REPEAT)").contains("lc4j-looper-1");
    assertThat(shop.cartReadCount()).isEqualTo(1);
    assertThat(tools().get("getCart"))
        .containsEntry("calls", 6L)
        .containsEntry("hits", 2L)
        .containsEntry("loopDetections", 3L)
        .containsEntry("raised", 3L)
        .containsEntry("shortCircuits", 0L);
  }

  @Test
  void loopShortCircuit_repeatsAreNotRunAndTheModelReadsTheLastResult() {
    Map<String, Object> result = panel.perform("loop-short-circuit", FormValues.empty());

    assertThat(kinds(result))
        .containsExactly(
            "session",
            "executed",
            "cached",
            "cached",
            "short-circuited",
            "short-circuited",
            "short-circuited",
            "answer");
    assertThat(strings(result.get("modelRead")).get(3))
        .startsWith("Loop detected (REPEAT): 'getCart' was not run again")
        .endsWith("Its last result was: user-1: []");
    assertThat(map(result.get("session"))).containsEntry("shortCircuits", 3L);
    assertThat(tools().get("getCart"))
        .containsEntry("shortCircuits", 3L)
        .containsEntry("loopDetections", 3L)
        .containsEntry("raised", 0L);
  }

  @Test
  void loopWarn_repeatsStillHitAndAreMarked() {
    Map<String, Object> result = panel.perform("loop-warn", FormValues.empty());

    assertThat(kinds(result))
        .containsExactly(
            "session", "executed", "cached", "cached", "warned", "warned", "warned", "answer");
    assertThat(strings(result.get("modelRead"))).containsOnly("user-1: []");
    assertThat(shop.cartReadCount()).isEqualTo(1);
    assertThat(tools().get("getCart"))
        .containsEntry("hits", 5L)
        .containsEntry("loopDetections", 3L);
  }

  @Test
  void runs_inMemoryIdSessions_endWithTheirConversation() {
    panel.perform("loop-raise", FormValues.empty());
    // A second conversation starts with a fresh session: its first reads are not repeats.
    Map<String, Object> second = panel.perform("loop-raise", FormValues.empty());
    assertThat(kinds(second).subList(1, 4)).containsExactly("executed", "cached", "cached");
    assertThat(registry.find("agent.sessions.open").gauge())
        .isNotNull()
        .satisfies(g -> assertThat(g.value()).isZero());
  }

  @Test
  void perform_badInput_isAClearApiError() {
    assertThatThrownBy(() -> panel.perform("dance", FormValues.empty()))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("no action 'dance'")
        .hasMessageContaining("shopping, loop-raise, loop-warn, loop-short-circuit");
    assertThatThrownBy(
            () -> panel.perform("loop-warn", FormValues.of(Map.of("calls", new String[] {"500"}))))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("calls");
    assertThat(shop.cartReadCount()).isZero();
  }

  @Test
  void perform_afterClose_failsWithoutRunningTheTool() {
    panel.close();
    assertThatThrownBy(() -> panel.perform("shopping", FormValues.empty()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(shop.searchCount()).isZero();
  }

  @Test
  void status_listsActionsToolsAndTheLatestEvents() {
    for (int i = 0; i < 12; i++) {
      panel.perform("loop-warn", FormValues.of(Map.of("calls", new String[] {"10"})));
    }
    Map<String, Object> status = panel.status();
    assertThat(status.get("available")).isEqualTo(true);
    assertThat((List<?>) status.get("events")).hasSize(80);
    assertThat(((List<?>) status.get("actions")))
        .extracting(a -> map(a).get("id"))
        .containsExactly("shopping", "loop-raise", "loop-warn", "loop-short-circuit");
    assertThat(tools().keySet()).containsExactly("searchProducts", "getCart", "addToCart");
    assertThat(map(status.get("stats")))
        .containsEntry("calls", 120L)
        .containsEntry("loopDetections", 84L);
  }

  private Map<String, Map<String, Object>> tools() {
    var byName = new LinkedHashMap<String, Map<String, Object>>();
    for (Object row : (List<?>) panel.status().get("tools")) {
      byName.put((String) map(row).get("tool"), map(row));
    }
    return byName;
  }

  private static List<String> kinds(Map<String, Object> result) {
    return ((List<?>) result.get("events")).stream().map(e -> (String) map(e).get("kind")).toList();
  }

  private static List<String> strings(Object list) {
    return ((List<?>) list).stream().map(String.class::cast).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }
}
