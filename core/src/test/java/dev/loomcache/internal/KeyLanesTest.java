package dev.loomcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Concurrently;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyLanesTest {
  private final KeyLanes<String> lanes = new KeyLanes<>();

  @Test
  void enter_writersOfOneKeyNeverOverlap_otherKeysDoNotWait_andNoLaneOutlivesItsUsers()
      throws Exception {
    var inside = new ConcurrentHashMap<String, AtomicInteger>();
    var overlaps = new AtomicInteger();

    Concurrently.run(
        64,
        Duration.ofSeconds(30),
        t ->
            () -> {
              String key = "k" + (t % 4);
              for (int i = 0; i < 500; i++) {
                KeyLanes.Lane lane = lanes.enter(key);
                try {
                  if (inside.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet()
                      != 1) {
                    overlaps.incrementAndGet();
                  }
                  Thread.yield();
                  inside.get(key).decrementAndGet();
                } finally {
                  lanes.leave(key, lane);
                }
              }
              return null;
            });

    assertThat(overlaps).hasValue(0);
    assertThat(lanes.size()).isZero(); // lanes are removed once nobody holds or waits for them
  }

  @Test
  void enter_laneOfOneKeyHeld_anotherKeyEntersAtOnce() throws Exception {
    KeyLanes.Lane held = lanes.enter("a");
    try {
      var other =
          Concurrently.run(
              1,
              Duration.ofSeconds(10),
              t ->
                  () -> {
                    KeyLanes.Lane lane = lanes.enter("b");
                    lanes.leave("b", lane);
                    return "entered";
                  });
      assertThat(other.getFirst().value()).isEqualTo("entered");
    } finally {
      lanes.leave("a", held);
    }
    assertThat(lanes.size()).isZero();
  }
}
