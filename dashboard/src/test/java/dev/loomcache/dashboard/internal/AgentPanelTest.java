package dev.loomcache.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentPanelTest {
  private final DemoShop shop = new DemoShop(Duration.ZERO, Duration.ZERO);
  private final AgentPanel panel = new AgentPanel(new SimpleMeterRegistry(), shop);

  @AfterEach
  void close() {
    panel.close();
  }

  @Test
  void shopping_sixToolCalls_reachTheShopFourTimes() {
    panel.perform("shopping", FormValues.empty());
    // Two searches with the same canonical arguments are one; two cart reads before the write are
    // one.
    assertThat(shop.searchCount()).isEqualTo(1);
    assertThat(shop.cartReadCount()).isEqualTo(2);
    assertThat(shop.cartWriteCount()).isEqualTo(1);
  }

  @Test
  void shopping_twice_searchIsCachedAcrossSessions() {
    panel.perform("shopping", FormValues.empty());
    panel.perform("shopping", FormValues.empty());
    assertThat(shop.searchCount()).isEqualTo(1);
    assertThat(shop.cartReadCount()).isEqualTo(4);
  }

  @Test
  void status_afterRuns_keepsTheLatestEventsAndGlobalStats() {
    for (int i = 0; i < 12; i++) {
      panel.perform("loop-warn", FormValues.of(Map.of("calls", new String[] {"10"})));
    }
    Map<String, Object> status = panel.status();
    assertThat((List<?>) status.get("events")).hasSize(80);
    @SuppressWarnings("unchecked")
    Map<String, Object> stats = (Map<String, Object>) status.get("stats");
    assertThat(stats).containsEntry("calls", 120L).containsEntry("loopDetections", 84L);
  }

  @Test
  void perform_afterClose_failsWithoutRunningTheTool() {
    panel.close();
    assertThatThrownBy(() -> panel.perform("shopping", FormValues.empty()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(shop.searchCount()).isZero();
  }
}
