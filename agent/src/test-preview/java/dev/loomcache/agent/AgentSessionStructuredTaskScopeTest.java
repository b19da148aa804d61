package dev.loomcache.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session binding reaches {@link StructuredTaskScope} subtasks (a preview API in Java 25: this
 * class alone is compiled and run with {@code --enable-preview}, see the module's pom).
 */
class AgentSessionStructuredTaskScopeTest {
  record Key(int k) {}

  private final AgentCache agents = AgentCache.newBuilder().build();
  private final AtomicInteger runs = new AtomicInteger();

  @AfterEach
  void closeCache() {
    agents.close();
  }

  @Test
  void run_subtasksForkedInside_seeTheSession() throws Exception {
    try (AgentSession session = agents.openSession("agent-A")) {
      List<String> seen =
          session.call(() -> {
            try (var scope = StructuredTaskScope.<String>open()) {
              var subtasks = new ArrayList<Subtask<String>>();
              for (int i = 0; i < 8; i++) {
                subtasks.add(scope.fork(() -> AgentSession.current().orElseThrow().id()));
              }
              scope.join();
              return subtasks.stream().map(Subtask::get).toList();
            }
          });

      assertThat(seen).hasSize(8).containsOnly("agent-A");
    }
  }

  @Test
  void call_sessionToolInSubtasks_usesTheSessionsEntriesAndCounters() throws Exception {
    Tool<Key, String> notes =
        agents
            .readTool(
                "notes",
                (Key key) -> {
                  runs.incrementAndGet();
                  return AgentSession.current().orElseThrow().id() + ":" + key.k();
                })
            .resource("notes")
            .scope(Scope.SESSION)
            .build();

    try (AgentSession session = agents.openSession("agent-A", LoopPolicy.disabled())) {
      List<String> values =
          session.call(() -> {
            try (var scope = StructuredTaskScope.<String>open()) {
              var subtasks = new ArrayList<Subtask<String>>();
              for (int i = 0; i < 20; i++) {
                subtasks.add(scope.fork(() -> notes.call(new Key(1)))); // identical: one run
              }
              scope.join();
              return subtasks.stream().map(Subtask::get).toList();
            }
          });

      assertThat(values).hasSize(20).containsOnly("agent-A:1");
      assertThat(runs).hasValue(1);
      AgentStats stats = session.stats();
      assertThat(stats.calls()).isEqualTo(20);
      assertThat(stats.misses()).isEqualTo(1);
      assertThat(stats.hits()).isEqualTo(19);
      // The entry belongs to the session: the calling thread, outside the subtasks, sees it too.
      assertThat(session.call(() -> notes.callOutcome(new Key(1))).fromCache()).isTrue();
    }
  }

  @Test
  void call_subtasksFeedTheSessionsLoopDetector() throws Exception {
    Tool<Key, String> lookup = agents.readTool("lookup", (Key key) -> "v" + key.k()).build();

    try (AgentSession session =
        agents.openSession("agent-A", LoopPolicy.disabled().maxToolRepeats(5))) {
      List<Subtask<String>> subtasks =
          session.call(() -> {
            try (var scope = StructuredTaskScope.open(Joiner.<String>awaitAll())) {
              var forked = new ArrayList<Subtask<String>>();
              for (int i = 0; i < 6; i++) {
                forked.add(scope.fork(() -> lookup.call(new Key(7))));
              }
              scope.join();
              return forked;
            }
          });

      // Six identical calls from six subtasks: whichever reached the detector sixth was stopped.
      assertThat(subtasks).filteredOn(t -> t.state() == Subtask.State.SUCCESS).hasSize(5);
      assertThat(subtasks)
          .filteredOn(t -> t.state() == Subtask.State.FAILED)
          .singleElement()
          .satisfies(t -> assertThat(t.exception()).isInstanceOf(AgentLoopDetectedException.class));
      assertThat(session.stats().loopDetections(LoopKind.REPEAT)).isEqualTo(1);
    }
  }
}
