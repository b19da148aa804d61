package dev.loomcache.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SampleHistoryTest {

  @Test
  void add_pastCapacity_keepsTheLatestNumberedInOrder() {
    var history = new SampleHistory(3);
    for (int i = 0; i < 5; i++) {
      history.add(Map.of("i", i));
    }
    assertThat(history.since(0)).extracting(s -> s.get("seq")).containsExactly(3L, 4L, 5L);
    assertThat(history.since(4)).extracting(s -> s.get("i")).containsExactly(4);
  }

  @Test
  void awaitSince_parkedReader_wakesOnTheNextSample() throws Exception {
    var history = new SampleHistory(10);
    var reader =
        CompletableFuture.supplyAsync(
            () -> await(history, Duration.ofSeconds(30)),
            runnable -> Thread.ofVirtual().start(runnable));
    history.add(Map.of("loads", 3));
    assertThat(reader.get(10, TimeUnit.SECONDS)).extracting(s -> s.get("loads")).containsExactly(3);
  }

  @Test
  void awaitSince_closedHistory_returnsAtOnceEmpty() throws Exception {
    var history = new SampleHistory(10);
    var reader =
        CompletableFuture.supplyAsync(
            () -> await(history, Duration.ofMinutes(5)),
            runnable -> Thread.ofVirtual().start(runnable));
    history.close();
    assertThat(reader.get(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(history.isClosed()).isTrue();
  }

  private static List<Map<String, Object>> await(SampleHistory history, Duration timeout) {
    try {
      return history.awaitSince(0, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
