package dev.loomcache.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.Concurrently;
import java.io.IOException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sessions: ScopedValue binding, session-scoped entries, isolation and lifecycle. */
class AgentSessionTest {
  record Key(String name) {}

  private final AgentCache agents = AgentCache.newBuilder().build();
  private final AtomicInteger runs = new AtomicInteger();

  @AfterEach
  void closeCache() {
    agents.close();
  }

  /** A session-scoped read tool whose result names the session it ran in. */
  private Tool<Key, String> notes() {
    return agents
        .readTool(
            "notes",
            (Key k) -> {
              runs.incrementAndGet();
              return AgentSession.current().orElseThrow().id() + ":" + k.name();
            })
        .resource("notes")
        .scope(Scope.SESSION)
        .build();
  }

  @Test
  void call_sessionEntries_areNotVisibleInAnotherSession() {
    Tool<Key, String> notes = notes();

    try (AgentSession a = agents.openSession("a");
        AgentSession b = agents.openSession("b")) {
      assertThat(a.call(() -> notes.call(new Key("k")))).isEqualTo("a:k");
      ToolOutcome<String> inB = b.call(() -> notes.callOutcome(new Key("k")));
      ToolOutcome<String> againInA = a.call(() -> notes.callOutcome(new Key("k")));

      assertThat(inB.executed()).isTrue();
      assertThat(inB.value()).isEqualTo("b:k");
      assertThat(againInA.fromCache()).isTrue();
      assertThat(againInA.value()).isEqualTo("a:k");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void close_dropsTheSessionsEntries_evenForANewSessionWithTheSameId() throws Exception {
    Tool<Key, String> notes = notes();
    AgentSession first = agents.openSession("agent-A");
    first.run(() -> notes.call(new Key("k")));
    first.close();

    try (AgentSession second = agents.openSession("agent-A")) {
      ToolOutcome<String> outcome = second.call(() -> notes.callOutcome(new Key("k")));
      assertThat(outcome.executed()).isTrue();
    }
    assertThat(runs).hasValue(2);
    assertThat(first.isClosed()).isTrue();
  }

  @Test
  void call_sessionToolWithNoSessionBound_throwsIllegalStateException() {
    Tool<Key, String> notes = notes();

    assertThatThrownBy(() -> notes.call(new Key("k")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no session is bound");
    assertThat(runs).hasValue(0);
  }

  @Test
  void call_inAClosedSession_throwsIllegalStateException() {
    Tool<Key, String> notes = notes();
    AgentSession session = agents.openSession("s");
    session.run(() -> {
      session.close();
      assertThatThrownBy(() -> notes.call(new Key("k")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Session 's' is closed");
    });
    assertThatThrownBy(() -> session.run(() -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Session 's' is closed");
  }

  @Test
  void call_sessionOfAnotherAgentCache_throwsIllegalStateException() {
    Tool<Key, String> notes = notes();
    try (AgentCache other = AgentCache.newBuilder().build();
        AgentSession foreign = other.openSession("f")) {
      foreign.run(() ->
          assertThatThrownBy(() -> notes.call(new Key("k")))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("another AgentCache"));
    }
  }

  @Test
  void openSession_idAlreadyOpen_throwsIllegalStateException() {
    try (AgentSession session = agents.openSession("dup")) {
      assertThatThrownBy(() -> agents.openSession("dup"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("A session with id 'dup' is already open");
      assertThat(session.id()).isEqualTo("dup");
    }
  }

  @Test
  void openSession_blankOrNullArguments_areRejected() {
    assertThatThrownBy(() -> agents.openSession(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must not be blank");
    assertThatThrownBy(() -> agents.openSession(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("id must not be null");
    assertThatThrownBy(() -> agents.openSession("x", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("policy must not be null");
  }

  @Test
  void current_isBoundOnlyInsideRunAndCall() throws Exception {
    try (AgentSession session = agents.openSession("s")) {
      assertThat(AgentSession.current()).isEmpty();
      session.run(() -> assertThat(AgentSession.current()).containsSame(session));
      assertThat(session.call(() -> AgentSession.current().orElseThrow())).isSameAs(session);
      assertThat(AgentSession.current()).isEmpty();
    }
  }

  @Test
  void run_nestedSession_bindsTheInnerOneForItsExtent() {
    try (AgentSession outer = agents.openSession("outer");
        AgentSession inner = agents.openSession("inner")) {
      outer.run(() -> {
        inner.run(() -> assertThat(AgentSession.current()).containsSame(inner));
        assertThat(AgentSession.current()).containsSame(outer);
      });
    }
  }

  @Test
  void call_rethrowsWhatTheCallableThrows_unchanged() {
    var failure = new IOException("checked");
    try (AgentSession session = agents.openSession("s")) {
      assertThatThrownBy(() ->
              session.call(() -> {
                throw failure;
              }))
          .isSameAs(failure);
    }
  }

  @Test
  void call_bindingDoesNotReachAPlainExecutorThread() throws Exception {
    try (AgentSession session = agents.openSession("s");
        ExecutorService pool = Executors.newFixedThreadPool(1)) {
      // The task runs while the block is open (the call waits for it): a ScopedValue never reaches
      // a pool thread; the Java 21 seam (an inheritable thread-local) reaches a thread the pool
      // starts inside the block while the block runs, as docs/java21.md says.
      Boolean bound =
          session.call(() ->
              pool.submit(() -> AgentSession.current().isPresent()).get(30, TimeUnit.SECONDS));
      boolean inherits =
          dev.loomcache.internal.context.ScopedContexts.selected()
              .name()
              .equals("inheritable-thread-local");
      assertThat(bound).isEqualTo(inherits);
    }
  }

  @Test
  void wrap_bindsTheSessionOnAFrameworksWorkerThread() throws Exception {
    Tool<Key, String> notes = notes();
    try (AgentSession session = agents.openSession("s");
        ExecutorService pool = Executors.newFixedThreadPool(2)) {
      Future<String> called = pool.submit(session.wrap(() -> notes.call(new Key("k"))));
      var seen = new String[1];
      Future<?> ran =
          pool.submit(
              session.wrap(() -> {
                seen[0] = AgentSession.current().orElseThrow().id();
              }));

      assertThat(called.get(30, TimeUnit.SECONDS)).isEqualTo("s:k");
      ran.get(30, TimeUnit.SECONDS);
      assertThat(seen[0]).isEqualTo("s");
      assertThat(session.stats().calls()).isEqualTo(1);
    }
  }

  @Test
  void wrap_ofAClosedSession_failsWhenRun() {
    AgentSession session = agents.openSession("s");
    Runnable task = session.wrap(() -> {});
    session.close();

    assertThatThrownBy(task::run).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void call_twoSessionsOnTwoVirtualThreadsAtOnce_neverSeeEachOthersEntriesOrCounters()
      throws Exception {
    Tool<Key, String> notes = notes();
    Tool<Key, String> shared = agents.readTool("shared", (Key k) -> "shared:" + k.name()).build();
    int rounds = 200;
    var barrier = new CyclicBarrier(2);

    try (AgentSession a = agents.openSession("a", LoopPolicy.disabled());
        AgentSession b = agents.openSession("b", LoopPolicy.disabled())) {
      var results =
          Concurrently.run(
              2,
              java.time.Duration.ofSeconds(30),
              i ->
                  () -> {
                    AgentSession mine = i == 0 ? a : b;
                    return mine.call(() -> {
                      for (int n = 0; n < rounds; n++) {
                        barrier.await(); // both sessions call the same keys in lockstep
                        String value = notes.call(new Key("k" + n));
                        if (!value.equals(mine.id() + ":k" + n)) {
                          throw new AssertionError("session " + mine.id() + " saw " + value);
                        }
                        shared.call(new Key("s"));
                      }
                      return mine.stats();
                    });
                  });

      for (var result : results) {
        assertThat(result.failed()).as("%s", result.failure()).isFalse();
        AgentStats stats = result.value();
        assertThat(stats.calls()).isEqualTo(2 * rounds);
        assertThat(stats.misses() + stats.hits()).isEqualTo(2 * rounds);
      }
      // Each session ran its own notes once per key: no session was served the other's entry.
      assertThat(runs).hasValue(2 * rounds);
      assertThat(a.stats().misses()).isBetween((long) rounds, rounds + 1L);
      assertThat(b.stats().misses()).isBetween((long) rounds, rounds + 1L);
      assertThat(a.stats().misses() + b.stats().misses()).isEqualTo(2 * rounds + 1);
      assertThat(agents.stats().calls()).isEqualTo(4 * rounds);
    }
  }

  @Test
  void close_isIdempotent_andStatsStayReadable() {
    AgentSession session = agents.openSession("s");
    Tool<Key, String> notes = notes();
    session.run(() -> notes.call(new Key("k")));
    session.close();
    session.close();

    assertThat(session.stats().calls()).isEqualTo(1);
    assertThat(session.toString()).contains("closed=true");
  }

  @Test
  void closingTheAgentCache_closesItsOpenSessions() {
    AgentSession session = agents.openSession("s");

    agents.close();

    assertThat(session.isClosed()).isTrue();
    assertThatThrownBy(() -> agents.openSession("t"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
