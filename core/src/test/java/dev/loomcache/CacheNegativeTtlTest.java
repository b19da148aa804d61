package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code negativeTtl}: a loader's {@code null}, or a key a batch loader leaves out, remembered. */
class CacheNegativeTtlTest {
  private final FakeTicker ticker = new FakeTicker();
  private final Cache<String, String> cache =
      Loomcache.newBuilder().ticker(ticker::read).negativeTtl(Duration.ofSeconds(30)).build();
  private final AtomicInteger loads = new AtomicInteger();

  @AfterEach
  void close() {
    cache.close();
  }

  private String nothing() {
    loads.incrementAndGet();
    return null;
  }

  @Test
  void null_isRememberedForNegativeTtlOnly() {
    assertThat(cache.get("k", this::nothing)).isNull();
    assertThat(cache.get("k", this::nothing)).isNull();
    assertThat(loads).hasValue(1);
    assertThat(cache.stats().negativeHitCount()).isEqualTo(1);
    assertThat(cache.stats().hitCount()).isEqualTo(1);

    ticker.advance(Duration.ofSeconds(30));

    assertThat(cache.get("k", this::nothing)).isNull();
    assertThat(loads).hasValue(2);
  }

  @Test
  void put_replacesARememberedAbsence() {
    cache.get("k", this::nothing);

    cache.put("k", "v");

    assertThat(cache.get("k", this::nothing)).isEqualTo("v");
    assertThat(loads).hasValue(1);
  }

  @Test
  void invalidate_removesARememberedAbsence() {
    cache.get("k", this::nothing);

    cache.invalidate("k");

    assertThat(cache.get("k", () -> "v")).isEqualTo("v");
  }

  @Test
  void getIfPresent_returnsNullForARememberedAbsence() {
    cache.get("k", this::nothing);

    assertThat(cache.getIfPresent("k")).isNull();
  }

  @Test
  void withoutNegativeTtl_nullIsNeverRemembered() {
    try (Cache<String, String> plain = Loomcache.newBuilder().ticker(ticker::read).build()) {
      plain.get("k", this::nothing);
      plain.get("k", this::nothing);
      assertThat(loads).hasValue(2);
    }
  }

  @Test
  void getAll_remembersKeysTheBatchLoaderLeftOut() {
    var calls = new CopyOnWriteArrayList<Set<String>>();
    BatchLoader<String, String> loader =
        keys -> {
          calls.add(Set.copyOf(keys));
          Map<String, String> found = new HashMap<>();
          if (keys.contains("a")) {
            found.put("a", "A");
          }
          return found;
        };

    assertThat(cache.getAll(List.of("a", "b"), loader)).containsExactly(Map.entry("a", "A"));
    assertThat(cache.getAll(List.of("a", "b"), loader)).containsExactly(Map.entry("a", "A"));

    assertThat(calls).containsExactly(Set.of("a", "b"));
    assertThat(cache.get("b", this::nothing)).isNull();
    assertThat(loads).hasValue(0);

    ticker.advance(Duration.ofSeconds(31));
    cache.getAll(List.of("a", "b"), loader);
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1)).containsExactly("b");
  }

  @Test
  void batcher_remembersKeysTheBatchLoaderLeftOut() {
    var calls = new AtomicInteger();
    Batcher<String, String> batcher =
        cache.batcher(keys -> {
          calls.incrementAndGet();
          return Map.of();
        });

    assertThat(batcher.get("x")).isNull();
    assertThat(batcher.get("x")).isNull();
    assertThat(batcher.getAll(List.of("x"))).isEmpty();

    assertThat(calls).hasValue(1);
  }

  @Test
  void warmup_skipsARememberedAbsence() {
    cache.get("k", this::nothing);

    WarmupResult<String> result = cache.warmup(Map.of("k", () -> "v"));

    assertThat(result.skipped()).containsExactly("k");
  }
}
