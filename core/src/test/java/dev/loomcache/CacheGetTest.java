package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TierSetup.class)
class CacheGetTest {
  private final Cache<String, String> cache;

  CacheGetTest(TierSetup tiers) {
    this.cache = tiers.builder().build();
  }

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void get_miss_callsLoaderOnceThenHits() {
    var calls = new AtomicInteger();

    String first = cache.get("k", () -> "v" + calls.incrementAndGet());
    String second = cache.get("k", () -> "v" + calls.incrementAndGet());

    assertThat(first).isEqualTo("v1");
    assertThat(second).isEqualTo("v1");
    assertThat(calls).hasValue(1);
  }

  @Test
  void put_thenGetIfPresent_returnsValue_andSecondPutReplaces() {
    cache.put("k", "a");
    assertThat(cache.getIfPresent("k")).isEqualTo("a");

    cache.put("k", "b");
    assertThat(cache.getIfPresent("k")).isEqualTo("b");
    assertThat(cache.get("k", () -> "loaded")).isEqualTo("b");
  }

  @Test
  void getIfPresent_absentKey_returnsNullAndNeverLoads() {
    assertThat(cache.getIfPresent("absent")).isNull();
    assertThat(cache.estimatedSize()).isZero();
  }

  @Test
  void invalidate_absentKey_isNoOp() {
    cache.invalidate("absent");
    cache.invalidateAll(List.of("absent", "other"));
    assertThat(cache.estimatedSize()).isZero();
  }

  @Test
  void invalidate_presentKey_nextGetLoadsAgain() {
    var calls = new AtomicInteger();
    cache.get("k", () -> "v" + calls.incrementAndGet());

    cache.invalidate("k");

    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.get("k", () -> "v" + calls.incrementAndGet())).isEqualTo("v2");
  }

  @Test
  void invalidateAllKeys_removesOnlyThoseKeys() {
    cache.put("a", "1");
    cache.put("b", "2");
    cache.put("c", "3");

    cache.invalidateAll(List.of("a", "b"));

    assertThat(cache.getIfPresent("a")).isNull();
    assertThat(cache.getIfPresent("b")).isNull();
    assertThat(cache.getIfPresent("c")).isEqualTo("3");
  }

  @Test
  void invalidateAll_emptiesCache_butKeepsStatistics() {
    cache.get("a", () -> "1");
    cache.get("a", () -> "1");
    cache.put("b", "2");

    cache.invalidateAll();

    assertThat(cache.estimatedSize()).isZero();
    assertThat(cache.getIfPresent("a")).isNull();
    assertThat(cache.getIfPresent("b")).isNull();
    CacheStats stats = cache.stats();
    assertThat(stats.hitCount()).isEqualTo(1);
    assertThat(stats.missCount()).isEqualTo(3); // the first get and the two getIfPresent
    assertThat(stats.loadCount()).isEqualTo(1);
  }

  @Test
  void get_loaderReturnsNull_returnsNullAndCachesNothing() {
    var calls = new AtomicInteger();

    assertThat(
            cache.get(
                "k",
                () -> {
                  calls.incrementAndGet();
                  return null;
                }))
        .isNull();
    assertThat(cache.get("k", () -> "v" + calls.incrementAndGet())).isEqualTo("v2");
  }

  @Test
  void get_loaderThrowsChecked_wrapsInCacheLoadException_cachesNothing() {
    var failure = new IOException("database down");

    assertThatThrownBy(() ->
            cache.get(
                "k",
                () -> {
                  throw failure;
                }))
        .isInstanceOf(CacheLoadException.class)
        .hasCause(failure);
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.get("k", () -> "ok")).isEqualTo("ok");
    assertThat(cache.stats().loadFailureCount()).isEqualTo(1);
  }

  @Test
  void get_loaderThrowsUnchecked_rethrowsSameInstance_cachesNothing() {
    var failure = new IllegalArgumentException("bad id");

    assertThatThrownBy(() ->
            cache.get(
                "k",
                () -> {
                  throw failure;
                }))
        .isSameAs(failure);
    assertThat(cache.get("k", () -> "ok")).isEqualTo("ok");
  }

  @Test
  void get_loaderThrowsError_rethrowsSameInstance_cachesNothing() {
    var failure = new StackOverflowError("deep");

    assertThatThrownBy(() ->
            cache.get(
                "k",
                () -> {
                  throw failure;
                }))
        .isSameAs(failure);
    assertThat(cache.get("k", () -> "ok")).isEqualTo("ok");
  }

  @Test
  void get_loaderAsksForItsOwnKey_throwsIllegalStateException() {
    assertThatThrownBy(() -> cache.get("k", () -> cache.get("k", () -> "inner")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Recursive load")
        .hasMessageContaining("'k'");
    // the failed flight completed: the key loads normally afterwards
    assertThat(cache.get("k", () -> "ok")).isEqualTo("ok");
  }

  @Test
  void get_loaderCycleOnSameThread_throwsIllegalStateException() {
    assertThatThrownBy(() -> cache.get("a", () -> cache.get("b", () -> cache.get("a", () -> "x"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'a'");
  }

  @Test
  void get_loaderAsksForOtherKey_works() {
    String value = cache.get("outer", () -> "outer+" + cache.get("inner", () -> "inner"));

    assertThat(value).isEqualTo("outer+inner");
    assertThat(cache.getIfPresent("inner")).isEqualTo("inner");
  }

  @Test
  void nullArguments_throwNullPointerExceptionNamingTheParameter() {
    assertThatThrownBy(() -> cache.get(null, () -> "v"))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("key");
    assertThatThrownBy(() -> cache.get("k", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("loader");
    assertThatThrownBy(() -> cache.get("k", () -> "v", (Duration) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("ttl");
    assertThatThrownBy(() -> cache.put("k", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("value");
    assertThatThrownBy(() -> cache.put(null, "v"))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("key");
    assertThatThrownBy(() -> cache.put("k", "v", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("ttl");
    assertThatThrownBy(() -> cache.getIfPresent(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("key");
    assertThatThrownBy(() -> cache.invalidate(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("key");
    assertThatThrownBy(() -> cache.invalidateAll(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("keys");
    assertThatThrownBy(() -> cache.invalidateAll(java.util.Arrays.asList("a", null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("keys");
  }

  @Test
  void negativeTtl_throwsIllegalArgumentException() {
    assertThatThrownBy(() -> cache.get("k", () -> "v", Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl must not be negative");
    assertThatThrownBy(() -> cache.put("k", "v", Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl must not be negative");
    assertThat(cache.estimatedSize()).isZero();
  }

  @Test
  void close_laterCallsThrowIllegalStateException_andCloseIsIdempotent() {
    cache.put("k", "v");

    cache.close();
    cache.close();

    assertThatThrownBy(() -> cache.get("k", () -> "v"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> cache.getIfPresent("k")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> cache.put("k", "v")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> cache.invalidate("k")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(cache::invalidateAll).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(cache::stats).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(cache::estimatedSize).isInstanceOf(IllegalStateException.class);
  }
}
