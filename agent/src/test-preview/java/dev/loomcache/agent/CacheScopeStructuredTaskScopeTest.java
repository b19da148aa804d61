package dev.loomcache.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.CacheScope;
import dev.loomcache.Loomcache;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Core's bypass scopes reach {@link StructuredTaskScope} subtasks forked inside them, and only
 * those (a preview API in Java 25: compiled and run with {@code --enable-preview} here, where the
 * preview test set lives). Run with both scoped-context implementations, see the module's pom.
 */
class CacheScopeStructuredTaskScopeTest {
  private final Cache<Integer, String> cache = Loomcache.newBuilder().name("users").build();
  private final AtomicInteger loads = new AtomicInteger();

  @AfterEach
  void closeCache() {
    cache.close();
  }

  private List<String> forkGets(int n) throws InterruptedException {
    try (var scope = StructuredTaskScope.<String>open()) {
      var subtasks = new ArrayList<Subtask<String>>();
      for (int i = 0; i < n; i++) {
        int key = i;
        subtasks.add(scope.fork(() -> cache.get(key, () -> "load-" + loads.incrementAndGet())));
      }
      scope.join();
      return subtasks.stream().map(Subtask::get).toList();
    }
  }

  @Test
  void disabled_subtasksForkedInside_loadAndDoNotStore() throws Exception {
    for (int i = 0; i < 8; i++) {
      cache.put(i, "cached");
    }

    List<String> values = CacheScope.disabled().call(() -> forkGets(8));

    assertThat(values).hasSize(8).allMatch(v -> v.startsWith("load-"));
    assertThat(loads).hasValue(8);
    assertThat(cache.getIfPresent(3)).isEqualTo("cached");
    assertThat(cache.stats().bypassCount()).isEqualTo(8);
  }

  @Test
  void noStore_inNestedScopesOfSubtasks_addsUpWithTheOuterScope() throws Exception {
    List<String> values =
        CacheScope.noCache()
            .call(() -> {
              try (var scope = StructuredTaskScope.<String>open()) {
                Subtask<String> inner =
                    scope.fork(() -> CacheScope.noStore().call(() -> cache.get(1, () -> "inner")));
                Subtask<String> outer = scope.fork(() -> cache.get(2, () -> "outer"));
                scope.join();
                return List.of(inner.get(), outer.get());
              }
            });

    assertThat(values).containsExactly("inner", "outer");
    assertThat(cache.getIfPresent(1)).as("noCache + noStore = disabled").isNull();
    assertThat(cache.getIfPresent(2)).as("noCache stores").isEqualTo("outer");
  }

  @Test
  void subtasksForkedOutsideTheScope_areNotBypassed() throws Exception {
    cache.put(0, "cached");
    List<String> outside = forkGets(1);
    CacheScope.disabled().run(() -> assertThat(cache.get(0, () -> "fresh")).isEqualTo("fresh"));
    assertThat(outside).containsExactly("cached");
    assertThat(forkGets(1)).containsExactly("cached");
    assertThat(cache.stats().bypassCount()).isEqualTo(1);
  }
}
