package dev.loomcache.chronicle;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.KeyGlob;
import dev.loomcache.spi.StoredValue;
import dev.loomcache.spi.ValueCodec;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tags kept in the records, so that they survive a restart; pattern invalidation by iteration. */
class ChronicleStoreTagsTest {
  @TempDir Path dir;

  private ChronicleStore store() {
    return ChronicleStore.newBuilder(dir.resolve("tags.cmap")).maxEntries(10_000).build();
  }

  /** Values are written "tag1,tag2|payload": the tags are the part before the bar. */
  private static List<String> tagsOfValue(String value) {
    int bar = value.indexOf('|');
    return bar <= 0 ? List.of() : List.of(value.substring(0, bar).split(","));
  }

  private static Cache<String, String> cacheOver(ChronicleStore store) {
    return Loomcache.newBuilder()
        .keyCodec(KeyCodec.string())
        .valueCodec(ValueCodec.string())
        .tags((String key, String value) -> tagsOfValue(value))
        .tier(store)
        .build();
  }

  @Test
  void taggedRecord_readsBackWithItsTags_andUntaggedOnesAsBefore() {
    try (ChronicleStore store = store()) {
      store.write(
          "t", StoredValue.of("v".getBytes(UTF_8), StoredValue.NEVER_EXPIRES, Set.of("a", "é|b")));
      store.write("u", StoredValue.of("w".getBytes(UTF_8), StoredValue.NEVER_EXPIRES));

      assertThat(store.read("t").tags()).containsExactlyInAnyOrder("a", "é|b");
      assertThat(store.read("t").bytes()).isEqualTo("v".getBytes(UTF_8));
      assertThat(store.read("u").tags()).isEmpty();
      assertThat(store.read("u").bytes()).isEqualTo("w".getBytes(UTF_8));
    }
  }

  @Test
  void invalidateTag_afterARestart_removesTheEntriesTaggedBeforeIt() {
    try (ChronicleStore store = store();
        Cache<String, String> cache = cacheOver(store)) {
      cache.put("a", "user:1|A");
      cache.put("b", "user:1,org:2|B");
      cache.put("c", "user:2|C");
      cache.get("d", () -> "user:1|D");
    }

    try (ChronicleStore reopened = store();
        Cache<String, String> cache = cacheOver(reopened)) {
      assertThat(reopened.read("a").tags()).containsExactly("user:1");

      cache.invalidateTag("user:1");

      assertThat(reopened.read("a")).isNull();
      assertThat(reopened.read("b")).isNull();
      assertThat(reopened.read("d")).isNull();
      assertThat(cache.getIfPresent("c")).isEqualTo("user:2|C");
      assertThat(reopened.estimatedSize()).isEqualTo(1);
    }
  }

  @Test
  void invalidateMatching_removesMatchingKeysOnly() {
    try (ChronicleStore store = store();
        Cache<String, String> cache = cacheOver(store)) {
      cache.put("page:1", "P1");
      cache.put("page:2", "P2");
      cache.put("detail:1", "D1");

      cache.invalidateMatching("page:*");

      assertThat(store.read("page:1")).isNull();
      assertThat(store.read("page:2")).isNull();
      assertThat(store.read("detail:1")).isNotNull();
      assertThat(cache.getIfPresent("page:1")).isNull();
      assertThat(cache.getIfPresent("detail:1")).isEqualTo("D1");
    }
  }

  @Test
  void invalidateMatching_everything_clears() {
    try (ChronicleStore store = store()) {
      store.write("a", StoredValue.of("v".getBytes(UTF_8), StoredValue.NEVER_EXPIRES));
      store.invalidateMatching(KeyGlob.of("*"));
      assertThat(store.estimatedSize()).isZero();
    }
  }
}
