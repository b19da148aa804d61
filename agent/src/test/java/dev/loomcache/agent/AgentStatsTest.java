package dev.loomcache.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** AgentStats per session and per cache, and the Micrometer meters. */
class AgentStatsTest {

  @Test
  void stats_ofAnUnusedCache_areZeroWithHitRateZero() {
    try (AgentCache agents = AgentCache.newBuilder().build()) {
      AgentStats stats = agents.stats();

      assertThat(stats.calls()).isZero();
      assertThat(stats.hits()).isZero();
      assertThat(stats.misses()).isZero();
      assertThat(stats.invalidations()).isZero();
      assertThat(stats.shortCircuits()).isZero();
      assertThat(stats.loopDetections()).isZero();
      assertThat(stats.hitRate()).isEqualTo(0.0);
      assertThatThrownBy(() -> stats.loopDetections(null)).isInstanceOf(NullPointerException.class);
    }
  }

  @Test
  void stats_sessionCountsItsOwnCalls_cacheCountsEverything() {
    try (AgentCache agents = AgentCache.newBuilder().build()) {
      Tool<String, String> read = agents.readTool("read", (String s) -> s).resource("r").build();
      Tool<String, String> write =
          agents.writeTool("write", (String s) -> s).invalidates("r").build();

      read.call("a"); // outside any session: a miss that stores the entry
      try (AgentSession session =
          agents.openSession("s", LoopPolicy.disabled().maxToolRepeats(2))) {
        session.run(() -> {
          read.call("a"); // hit on the entry stored outside
          write.call("x");
          read.call("a"); // miss: invalidated; the write also restarted the repeat count
          read.call("a"); // hit, second call since the write
          assertThatThrownBy(() -> read.call("a")) // third: more than maxToolRepeats
              .isInstanceOf(AgentLoopDetectedException.class);
        });

        AgentStats mine = session.stats();
        assertThat(mine.calls()).isEqualTo(5);
        assertThat(mine.hits()).isEqualTo(2);
        assertThat(mine.misses()).isEqualTo(1);
        assertThat(mine.invalidations()).isEqualTo(1);
        assertThat(mine.loopDetections()).isEqualTo(1);
      }

      AgentStats global = agents.stats();
      assertThat(global.calls()).isEqualTo(6);
      assertThat(global.hits()).isEqualTo(2);
      assertThat(global.misses()).isEqualTo(2);
      assertThat(global.hitRate()).isEqualTo(0.5);
      assertThat(global.invalidations()).isEqualTo(1);
      assertThat(global.loopDetections(LoopKind.REPEAT)).isEqualTo(1);
      assertThat(global.toString()).contains("calls=6", "loops.REPEAT=1");
    }
  }

  @Test
  void stats_snapshotsAreValues() {
    try (AgentCache agents = AgentCache.newBuilder().build()) {
      AgentStats before = agents.stats();
      assertThat(before).isEqualTo(agents.stats()).hasSameHashCodeAs(agents.stats());

      agents.readTool("t", (String s) -> s).build().call("x");

      assertThat(agents.stats()).isNotEqualTo(before);
      assertThat(before.calls()).isZero();
    }
  }

  @Test
  void meterRegistry_exposesTheAgentMeters() {
    var registry = new SimpleMeterRegistry();
    try (AgentCache agents = AgentCache.newBuilder().name("shop").meterRegistry(registry).build()) {
      Tool<String, String> read = agents.readTool("read", (String s) -> s).resource("r").build();
      Tool<String, String> write =
          agents.writeTool("write", (String s) -> s).invalidates("r").build();
      try (AgentSession session =
          agents.openSession(
              "s", LoopPolicy.disabled().maxToolRepeats(1).onLoop(OnLoop.SHORT_CIRCUIT))) {
        assertThat(registry.get("agent.sessions.open").tag("cache", "shop").gauge().value())
            .isEqualTo(1.0);
        session.run(() -> {
          read.call("a");
          read.call("a"); // REPEAT, short-circuited
          write.call("x");
        });
      }
      read.call("b");
      read.call("b");

      assertThat(registry.get("agent.tool.calls").tag("cache", "shop").functionCounter().count())
          .isEqualTo(5);
      assertThat(
              registry
                  .get("agent.tool.gets")
                  .tags("cache", "shop", "result", "hit")
                  .functionCounter()
                  .count())
          .isEqualTo(1);
      assertThat(
              registry
                  .get("agent.tool.gets")
                  .tags("cache", "shop", "result", "miss")
                  .functionCounter()
                  .count())
          .isEqualTo(2);
      assertThat(registry.get("agent.tool.invalidations").functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("agent.tool.short.circuits").functionCounter().count()).isEqualTo(1);
      assertThat(
              registry
                  .get("agent.loops")
                  .tags("cache", "shop", "kind", "repeat")
                  .functionCounter()
                  .count())
          .isEqualTo(1);
      assertThat(registry.get("agent.loops").tags("kind", "cycle").functionCounter().count())
          .isZero();
      assertThat(registry.get("agent.sessions.open").gauge().value()).isZero();
      // The shared entries' core cache meters come along, under the same name.
      assertThat(
              registry
                  .get("cache.gets")
                  .tags("cache", "shop", "result", "hit")
                  .functionCounter()
                  .count())
          .isEqualTo(1);
    }
  }
}
