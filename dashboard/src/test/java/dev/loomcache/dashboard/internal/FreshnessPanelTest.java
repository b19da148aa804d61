package dev.loomcache.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FreshnessPanelTest {
  private final FreshnessPanel panel = new FreshnessPanel(Duration.ofMillis(20));

  @AfterEach
  void close() {
    panel.close();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> side(Map<String, Object> result, String side) {
    return (Map<String, Object>) result.get(side);
  }

  private static long count(Map<String, Object> side, String field) {
    return ((Number) side.get(field)).longValue();
  }

  @Test
  void hotKeys_refreshAheadReloadsInTheBackground_withoutItCallersWaitForTheDatabase() {
    Map<String, Object> result =
        panel.perform("hot-keys", FormValues.of(Map.of("seconds", new String[] {"2"})));

    Map<String, Object> on = side(result, "on");
    Map<String, Object> off = side(result, "off");
    assertThat(count(on, "errors")).isZero();
    assertThat(count(off, "errors")).isZero();
    assertThat(count(on, "requests")).isPositive();
    // A 2 s run with a 1 s TTL: every one of the 100 keys expires at least once.
    assertThat(count(off, "refreshes")).isZero();
    assertThat(count(off, "loaderCalls")).isGreaterThanOrEqualTo(FreshnessPanel.KEYS);
    assertThat(count(off, "waitedForDatabase")).isGreaterThanOrEqualTo(FreshnessPanel.KEYS);
    // With refreshAfter 700 ms every key is reloaded in the background at least once, and the
    // reloads are what the database sees: callers do not wait for them.
    assertThat(count(on, "refreshes")).isGreaterThanOrEqualTo(FreshnessPanel.KEYS);
    assertThat(count(on, "loaderCalls")).isGreaterThanOrEqualTo(count(on, "refreshes"));
    assertThat(count(on, "waitedForDatabase")).isLessThan(count(off, "waitedForDatabase"));

    List<?> tables = (List<?>) panel.status().get("tables");
    assertThat(tables).hasSize(1);
    assertThat(tables.getFirst().toString())
        .contains("refreshAfter 700 ms", "TTL only", "caller latency p99, ms", "loader calls");
  }

  @Test
  void databaseDown_staleIfErrorServesEveryRequest_withoutItEveryRequestFails() {
    Map<String, Object> result =
        panel.perform("database-down", FormValues.of(Map.of("requests", new String[] {"640"})));

    Map<String, Object> on = side(result, "on");
    Map<String, Object> off = side(result, "off");
    assertThat(count(on, "requests")).isEqualTo(640);
    assertThat(count(on, "errors")).isZero();
    assertThat(count(on, "staleServed")).isEqualTo(640);
    assertThat(count(on, "loaderCalls")).isPositive();
    assertThat(count(off, "errors")).isEqualTo(640);
    assertThat(count(off, "staleServed")).isZero();

    Map<String, Object> status = panel.status();
    assertThat(status.get("stats")).isEqualTo(Map.of("runs", 1L));
    assertThat(status.get("tables").toString())
        .contains("staleIfError 60 s", "errors seen by callers", "stale values served");
    assertThat((List<?>) status.get("events")).hasSize(1);
  }

  @Test
  void badActionOrField_isRefused() {
    assertThatThrownBy(() -> panel.perform("dance", FormValues.empty()))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("hot-keys, database-down");
    assertThatThrownBy(
            () -> panel.perform("hot-keys", FormValues.of(Map.of("seconds", new String[] {"99"}))))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("seconds");
    assertThatThrownBy(
            () -> panel.perform("database-down", FormValues.of(Map.of("keys", new String[] {"5"}))))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("keys");
    assertThat(panel.status().get("stats")).isEqualTo(Map.of("runs", 0L));
  }

  @Test
  void perform_afterClose_runsNothing() {
    panel.close();
    assertThatThrownBy(() -> panel.perform("database-down", FormValues.empty()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(panel.status().get("stats")).isEqualTo(Map.of("runs", 0L));
  }
}
