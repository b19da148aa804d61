package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.FakeTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoomcacheBuilderTest {

  @Test
  void build_typesComeFromTheTarget() {
    Cache<String, Integer> cache = Loomcache.newBuilder().maximumSize(10).build();
    cache.put("one", 1);
    assertThat(cache.getIfPresent("one")).isEqualTo(1);
    cache.close();
  }

  @Test
  void setters_calledTwice_throwNamingTheOldValue() {
    assertThatThrownBy(() -> Loomcache.newBuilder().maximumSize(5).maximumSize(6))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maximumSize was already set to 5");
    assertThatThrownBy(() -> Loomcache.newBuilder().name("a").name("b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("name was already set to a");
    assertThatThrownBy(() ->
            Loomcache.newBuilder()
                .defaultTtl(Duration.ofSeconds(1))
                .defaultTtl(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("defaultTtl was already set");
    var ticker = new FakeTicker();
    assertThatThrownBy(() -> Loomcache.newBuilder().ticker(ticker::read).ticker(ticker::read))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ticker was already set");
    var registry = new SimpleMeterRegistry();
    assertThatThrownBy(() -> Loomcache.newBuilder().meterRegistry(registry).meterRegistry(registry))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("meterRegistry was already set");
  }

  @Test
  void badArguments_areRejectedAtOnce() {
    assertThatThrownBy(() -> Loomcache.newBuilder().maximumSize(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maximumSize");
    assertThatThrownBy(() -> Loomcache.newBuilder().defaultTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("defaultTtl must be positive");
    assertThatThrownBy(() -> Loomcache.newBuilder().defaultTtl(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("defaultTtl");
    assertThatThrownBy(() -> Loomcache.newBuilder().name(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
    assertThatThrownBy(() -> Loomcache.newBuilder().name(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("name");
    assertThatThrownBy(() -> Loomcache.newBuilder().ticker(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("ticker");
    assertThatThrownBy(() -> Loomcache.newBuilder().meterRegistry(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("registry");
    assertThatThrownBy(() -> Loomcache.newBuilder().defaultTtl(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("ttl");
  }

  @Test
  void maximumSizeZero_storesNothing() {
    try (Cache<String, String> cache = Loomcache.newBuilder().maximumSize(0).build()) {
      assertThat(cache.get("k", () -> "v")).isEqualTo("v");
      cache.put("p", "v");
      assertThat(cache.getIfPresent("k")).isNull(); // at once, not after maintenance
      assertThat(cache.getIfPresent("p")).isNull();
      assertThat(cache.estimatedSize()).isZero();
    }
  }

  @Test
  void builder_canBuildSeveralIndependentCaches() {
    var builder = Loomcache.newBuilder().maximumSize(10);
    try (Cache<String, String> a = builder.build();
        Cache<String, String> b = builder.build()) {
      a.put("k", "a");
      assertThat(b.getIfPresent("k")).isNull();
    }
  }
}
