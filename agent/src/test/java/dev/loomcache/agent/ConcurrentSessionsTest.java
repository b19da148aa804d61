package dev.loomcache.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Concurrently;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many sessions at once on virtual threads: exact counts and no cross-talk. */
class ConcurrentSessionsTest {
  record Note(int k) {}

  @Test
  void thousandSessionsTimesHundredCalls_exactCounts_noCrossTalk() throws Exception {
    int sessions = 1_000;
    int rounds = 25; // 4 calls per round: 100 calls per session
    var noteRuns = new AtomicInteger();
    var catalogRuns = new AtomicInteger();

    try (AgentCache agents = AgentCache.newBuilder().build()) {
      Tool<Note, String> notes =
          agents
              .readTool(
                  "notes",
                  (Note n) -> {
                    noteRuns.incrementAndGet();
                    return AgentSession.current().orElseThrow().id() + ":" + n.k();
                  })
              .resource("notes")
              .scope(Scope.SESSION)
              .build();
      Tool<Integer, String> catalog =
          agents
              .readTool(
                  "catalog",
                  (Integer page) -> {
                    catalogRuns.incrementAndGet();
                    return "page " + page;
                  })
              .resource("catalog")
              .build();
      // Each catalog page is asked for exactly 5 times per session: at maxToolRepeats, not past it;
      // the 100th call is exactly maxExecutionDepth.
      LoopPolicy policy = LoopPolicy.defaults().maxExecutionDepth(100);

      var results =
          Concurrently.run(
              sessions,
              Duration.ofSeconds(60),
              i ->
                  () -> {
                    try (AgentSession session = agents.openSession("agent-" + i, policy)) {
                      session.run(() -> {
                        for (int k = 0; k < rounds; k++) {
                          String expected = "agent-" + i + ":" + k;
                          if (!notes.call(new Note(k)).equals(expected)
                              || !notes.call(new Note(k)).equals(expected)) {
                            throw new AssertionError(
                                "agent-" + i + " was served another session's note " + k);
                          }
                          if (!catalog.call(k % 10).equals("page " + k % 10)
                              || !catalog.call((k + 5) % 10).equals("page " + (k + 5) % 10)) {
                            throw new AssertionError("wrong catalog page");
                          }
                        }
                      });
                      return session.stats();
                    }
                  });

      long catalogMisses = 0;
      for (var result : results) {
        assertThat(result.failed()).as("%s", result.failure()).isFalse();
        AgentStats stats = result.value();
        assertThat(stats.calls()).isEqualTo(100);
        assertThat(stats.hits() + stats.misses()).isEqualTo(100);
        assertThat(stats.misses())
            .isBetween(25L, 35L); // 25 own notes, plus catalog pages it loaded
        assertThat(stats.loopDetections()).isZero();
        assertThat(stats.invalidations()).isZero();
        catalogMisses += stats.misses() - 25;
      }
      assertThat(noteRuns).hasValue(sessions * rounds);
      assertThat(catalogRuns).hasValue(10);
      assertThat(catalogMisses).isEqualTo(10);

      AgentStats global = agents.stats();
      assertThat(global.calls()).isEqualTo(100_000);
      assertThat(global.misses()).isEqualTo(25_010);
      assertThat(global.hits()).isEqualTo(74_990);
      assertThat(global.loopDetections()).isZero();
    }
  }
}
