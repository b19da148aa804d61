package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the README promises about invalidating around a mutation. "Invalidate, then mutate" alone is
 * not safe: a read that starts between the two loads the old data and stores it. Invalidating
 * before and after the mutation is, and {@code @Invalidates} does both.
 */
class InvalidateAroundMutationTest {
  private final Cache<String, String> cache = Loomcache.newBuilder().build();
  private final Map<String, String> database = new ConcurrentHashMap<>(Map.of("k", "old"));

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void invalidateThenMutate_readBetweenThem_leavesTheOldValueCached() {
    cache.invalidate("k");
    String between = cache.get("k", () -> database.get("k")); // a read from another request
    database.put("k", "new");

    assertThat(between).isEqualTo("old");
    assertThat(cache.getIfPresent("k")).as("no cache can know this value is old").isEqualTo("old");
  }

  @Test
  void invalidateBeforeAndAfterMutation_readBetweenThem_leavesNothingStale() {
    cache.invalidate("k");
    cache.get("k", () -> database.get("k"));
    database.put("k", "new");
    cache.invalidate("k");

    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.get("k", () -> database.get("k"))).isEqualTo("new");
  }

  interface Catalog {
    @Cached
    String fetch(String key);

    @Invalidates(value = "fetch", keys = "key")
    void update(@ParamName("key") String key, String value);
  }

  /**
   * The target reads through the proxy in the middle of its own update, as another request might.
   */
  static final class Target implements Catalog {
    final Map<String, String> values = new ConcurrentHashMap<>(Map.of("k", "old"));
    final AtomicInteger fetches = new AtomicInteger();
    Catalog proxy;

    @Override
    public String fetch(String key) {
      fetches.incrementAndGet();
      return values.get(key);
    }

    @Override
    public void update(String key, String value) {
      assertThat(proxy.fetch(key))
          .isEqualTo("old"); // after the first invalidation, before the write
      values.put(key, value);
    }
  }

  @Test
  void invalidatesMethod_readDuringTheMutation_isInvalidatedAfterIt() {
    var target = new Target();
    target.proxy = CachingProxy.of(Catalog.class, target);
    assertThat(target.proxy.fetch("k")).isEqualTo("old");

    target.proxy.update("k", "new");

    assertThat(target.fetches).as("the read during the update ran the target").hasValue(2);
    assertThat(target.proxy.fetch("k")).isEqualTo("new");
    assertThat(target.fetches).hasValue(3);
  }
}
