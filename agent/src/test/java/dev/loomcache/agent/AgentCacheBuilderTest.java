package dev.loomcache.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.FakeTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builders of the agent module: setters once, arguments checked at once. */
class AgentCacheBuilderTest {

  @Test
  void setters_calledTwice_throwNamingTheOldValue() {
    var builder =
        AgentCache.newBuilder()
            .name("shop")
            .maximumSize(10)
            .sessionMaximumSize(5)
            .defaultTtl(Duration.ofSeconds(3))
            .ticker(new FakeTicker()::read)
            .meterRegistry(new SimpleMeterRegistry());

    assertThatThrownBy(() -> builder.name("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("name was already set to shop");
    assertThatThrownBy(() -> builder.maximumSize(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maximumSize was already set to 10");
    assertThatThrownBy(() -> builder.sessionMaximumSize(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("sessionMaximumSize was already set to 5");
    assertThatThrownBy(() -> builder.defaultTtl(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("defaultTtl was already set to PT3S");
    assertThatThrownBy(() -> builder.ticker(new FakeTicker()::read))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("ticker was already set to");
    assertThatThrownBy(() -> builder.meterRegistry(new SimpleMeterRegistry()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("meterRegistry was already set to");
    try (AgentCache cache = builder.build()) {
      assertThat(cache.toString()).contains("name=shop");
    }
  }

  @Test
  void setters_rejectBadArgumentsAtOnce() {
    var builder = AgentCache.newBuilder();
    assertThatThrownBy(() -> builder.name(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank");
    assertThatThrownBy(() -> builder.maximumSize(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximumSize must not be negative, but was -1");
    assertThatThrownBy(() -> builder.sessionMaximumSize(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sessionMaximumSize must not be negative, but was -1");
    assertThatThrownBy(() -> builder.defaultTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("defaultTtl must be positive, but was PT0S");
    assertThatThrownBy(() -> builder.ticker(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ticker must not be null");
    assertThatThrownBy(() -> builder.meterRegistry(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("registry must not be null");
  }

  @Test
  void toolBuilders_setTheirOptionsOnceAndCheckThem() {
    try (AgentCache agents = AgentCache.newBuilder().build()) {
      var read =
          agents
              .readTool("r", (String s) -> s)
              .resource("a")
              .scope(Scope.SESSION)
              .ttl(Duration.ofSeconds(1));
      assertThatThrownBy(() -> read.resource("b"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("resource was already set to [a]");
      assertThatThrownBy(() -> read.scope(Scope.GLOBAL))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("scope was already set to SESSION");
      assertThatThrownBy(() -> read.ttl(Duration.ZERO))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("ttl was already set to PT1S");

      var write = agents.writeTool("w", (String s) -> s).invalidates("a").scope(Scope.GLOBAL);
      assertThatThrownBy(() -> write.invalidates("b"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("invalidates was already set to [a]");
      assertThatThrownBy(() -> write.scope(Scope.SESSION))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("scope was already set to GLOBAL");

      assertThatThrownBy(() -> agents.readTool("x", (String s) -> s).ttl(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("ttl must not be negative, but was PT-1S");
      assertThatThrownBy(() -> agents.readTool("x", (String s) -> s).resource("ok", " "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("resources must not contain a blank name");
      assertThatThrownBy(() -> agents.writeTool("x", (String s) -> s).invalidates((String) null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("resources must not contain null");
      assertThatThrownBy(() -> agents.readTool(" ", (String s) -> s))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("name must not be blank");
      assertThatThrownBy(() -> agents.readTool("x", null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("function must not be null");
    }
  }

  @Test
  void build_secondToolWithTheSameName_isRejected() {
    try (AgentCache agents = AgentCache.newBuilder().build()) {
      agents.readTool("get_cart", (String s) -> s).build();

      assertThatThrownBy(() -> agents.writeTool("get_cart", (String s) -> s).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("A tool named 'get_cart' was already built");
    }
  }

  @Test
  void build_afterClose_isRejected() {
    AgentCache agents = AgentCache.newBuilder().name("gone").build();
    agents.close();
    agents.close();

    assertThatThrownBy(() -> agents.readTool("t", (String s) -> s).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("AgentCache 'gone' is closed");
    assertThatThrownBy(() -> agents.invalidateResources("cart"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(agents.stats().calls()).isZero();
  }

  @Test
  void sessionMaximumSize_boundsEachSessionsEntries() {
    var runs = new java.util.concurrent.atomic.AtomicInteger();
    try (AgentCache agents = AgentCache.newBuilder().sessionMaximumSize(0).build()) {
      Tool<String, String> notes =
          agents
              .readTool("notes", (String s) -> s + runs.incrementAndGet())
              .scope(Scope.SESSION)
              .build();
      try (AgentSession session = agents.openSession("s")) {
        session.run(() -> {
          notes.call("a");
          notes.call("a");
        });
      }
      assertThat(runs).hasValue(2); // a session that may keep nothing runs the tool every time
    }
  }
}
