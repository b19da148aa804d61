package dev.loomcache.agent.mcp.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.agent.LoopPolicy;
import dev.loomcache.agent.OnLoop;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ProxyConfigTest {
  private static ProxyConfig parse(String text) {
    var properties = new Properties();
    try {
      properties.load(new StringReader(text));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return ProxyConfig.parse(properties);
  }

  @Test
  void parse_empty_givesTheDefaults() {
    ProxyConfig config = parse("");
    assertThat(config.readTools()).isEmpty();
    assertThat(config.writeTools()).isEmpty();
    assertThat(config.loopPolicy()).isEqualTo(LoopPolicy.defaults());
    assertThat(config.hideBlockedTools()).isTrue();
    assertThat(config.maximumSize()).isEqualTo(10_000);
    assertThat(config.upstreamTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void parse_everyKey_isApplied() {
    ProxyConfig config =
        parse(
            """
            read.get_cart = cart, prices
            read.ping =
            write.add_to_cart = cart
            scope.get_cart = session
            ttl.get_cart = 2m
            loop.maxToolRepeats = 7
            loop.maxCyclePeriod = 3
            loop.cycleRepetitions = 3
            loop.maxFailures = 2
            loop.maxExecutionDepth = 99
            loop.onLoop = short_circuit
            loop.hideBlockedTools = false
            cache.maximumSize = 500
            upstream.timeout = PT1M
            """);
    assertThat(config.readTools()).containsExactly("get_cart", "ping");
    assertThat(config.writeTools()).containsExactly("add_to_cart");
    assertThat(config.loopPolicy())
        .isEqualTo(
            LoopPolicy.defaults()
                .maxToolRepeats(7)
                .maxCyclePeriod(3)
                .cycleRepetitions(3)
                .maxFailures(2)
                .maxExecutionDepth(99)
                .onLoop(OnLoop.SHORT_CIRCUIT));
    assertThat(config.hideBlockedTools()).isFalse();
    assertThat(config.maximumSize()).isEqualTo(500);
    assertThat(config.upstreamTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.toString()).contains("get_cart=read[cart, prices] SESSION ttl PT2M");
  }

  @Test
  void parse_loopDisabled_turnsEveryDetectorOff() {
    assertThat(parse("loop.enabled = false").loopPolicy()).isEqualTo(LoopPolicy.disabled());
  }

  @Test
  void parse_unknownKey_namesTheValidOnes() {
    assertThatThrownBy(() -> parse("cache.size = 3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Unknown key 'cache.size'; valid keys: read.<tool>, write.<tool>");
  }

  @Test
  void parse_aToolBothReadAndWrite_isRejected() {
    assertThatThrownBy(() -> parse("read.x = a\nwrite.x = a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'write.x' tool 'x' is configured as both read and write");
  }

  @Test
  void parse_ttlOfAWriteTool_isRejected() {
    assertThatThrownBy(() -> parse("write.x = a\nttl.x = 5s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'ttl.x' write tools have no TTL");
  }

  @Test
  void parse_scopeOfAnUnconfiguredTool_isRejected() {
    assertThatThrownBy(() -> parse("scope.x = SESSION"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'scope.x' tool 'x' is neither read.x nor write.x");
  }

  @Test
  void parse_badValues_nameTheKey() {
    assertThatThrownBy(() -> parse("loop.onLoop = EXPLODE"))
        .hasMessageStartingWith("'loop.onLoop' is not one of");
    assertThatThrownBy(() -> parse("loop.maxFailures = many"))
        .hasMessage("'loop.maxFailures' is not an integer: 'many'");
    assertThatThrownBy(() -> parse("upstream.timeout = soon"))
        .hasMessageStartingWith("'upstream.timeout' is not a duration");
    assertThatThrownBy(() -> parse("read.x = a,,b"))
        .hasMessageStartingWith("'read.x' has an empty resource name");
  }

  @Test
  void parseDuration_shortFormsAndIso() {
    assertThat(ProxyConfig.parseDuration("k", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ProxyConfig.parseDuration("k", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(ProxyConfig.parseDuration("k", "2h")).isEqualTo(Duration.ofHours(2));
    assertThat(ProxyConfig.parseDuration("k", "1d")).isEqualTo(Duration.ofDays(1));
    assertThat(ProxyConfig.parseDuration("k", "PT5M")).isEqualTo(Duration.ofMinutes(5));
  }
}
