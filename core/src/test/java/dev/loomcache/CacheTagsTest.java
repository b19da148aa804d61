package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.Concurrently;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tags: the builder's tagger, {@code invalidateTag} and {@code invalidateTags}. */
class CacheTagsTest {
  /** Values are written "tag1,tag2|payload": the tags are the part before the bar. */
  private static List<String> tagsOfValue(String value) {
    int bar = value.indexOf('|');
    return bar <= 0 ? List.of() : List.of(value.substring(0, bar).split(","));
  }

  private final Cache<String, String> cache =
      Loomcache.newBuilder().tags((String key, String value) -> tagsOfValue(value)).build();

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void invalidateTag_removesEveryEntryCarryingIt_andNothingElse() {
    cache.put("a", "user:1|A");
    cache.put("b", "user:1,org:7|B");
    cache.put("c", "user:2|C");
    cache.put("d", "untagged");

    cache.invalidateTag("user:1");

    assertThat(cache.getIfPresent("a")).isNull();
    assertThat(cache.getIfPresent("b")).isNull();
    assertThat(cache.getIfPresent("c")).isEqualTo("user:2|C");
    assertThat(cache.getIfPresent("d")).isEqualTo("untagged");
  }

  @Test
  void invalidateTag_ofLoadedValue_removesIt() {
    assertThat(cache.get("a", () -> "user:1|A")).isEqualTo("user:1|A");

    cache.invalidateTag("user:1");

    assertThat(cache.get("a", () -> "user:1|A2")).isEqualTo("user:1|A2");
  }

  @Test
  void invalidateTags_removesEntriesCarryingAnyOfThem() {
    cache.put("a", "x|A");
    cache.put("b", "y|B");
    cache.put("c", "z|C");

    cache.invalidateTags(List.of("x", "y"));

    assertThat(cache.getIfPresent("a")).isNull();
    assertThat(cache.getIfPresent("b")).isNull();
    assertThat(cache.getIfPresent("c")).isEqualTo("z|C");
  }

  @Test
  void put_replacingAValue_replacesItsTags() {
    cache.put("a", "old|A");
    cache.put("a", "new|A2");

    cache.invalidateTag("old");
    assertThat(cache.getIfPresent("a")).isEqualTo("new|A2");

    cache.invalidateTag("new");
    assertThat(cache.getIfPresent("a")).isNull();
  }

  @Test
  void invalidateTag_ofUnknownTag_isANoOp() {
    cache.put("a", "x|A");

    cache.invalidateTag("nobody");

    assertThat(cache.getIfPresent("a")).isEqualTo("x|A");
  }

  /** Runs a load of "k" returning {@code value}, does {@code during} while it is stuck. */
  private String[] raceALoadWith(String value, Runnable during) throws Exception {
    var started = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var ownerResult = new AtomicReference<String>();
    var waiterResult = new AtomicReference<String>();
    Thread owner =
        Thread.ofVirtual()
            .start(() ->
                ownerResult.set(
                    cache.get(
                        "k",
                        () -> {
                          started.countDown();
                          release.await();
                          return value;
                        })));
    started.await();
    Thread waiter =
        Thread.ofVirtual().start(() -> waiterResult.set(cache.get("k", () -> "waiter's own")));
    Concurrently.awaitUntil(
        Duration.ofSeconds(30), "the waiter parks", () -> CacheHerdTest.parked(cache, "k") == 1);
    during.run();
    release.countDown();
    owner.join();
    waiter.join();
    return new String[] {ownerResult.get(), waiterResult.get()};
  }

  @Test
  void invalidateTag_duringLoadOfATaggedValue_waitersGetIt_cacheDoesNotKeepIt() throws Exception {
    String[] results = raceALoadWith("user:1|old", () -> cache.invalidateTag("user:1"));

    assertThat(results).containsExactly("user:1|old", "user:1|old");
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.get("k", () -> "user:1|new")).isEqualTo("user:1|new");
  }

  @Test
  void invalidateTags_duringLoad_cacheDoesNotKeepAValueCarryingOneOfThem() throws Exception {
    raceALoadWith("a,b|old", () -> cache.invalidateTags(List.of("z", "b")));

    assertThat(cache.getIfPresent("k")).isNull();
  }

  @Test
  void invalidateTag_duringLoadOfAValueWithoutTheTag_storesIt() throws Exception {
    raceALoadWith("user:2|old", () -> cache.invalidateTag("user:1"));

    assertThat(cache.getIfPresent("k")).isEqualTo("user:2|old");
  }

  @Test
  void loadStartedAfterInvalidateTag_storesItsValue() {
    cache.invalidateTag("user:1");

    cache.get("k", () -> "user:1|fresh");

    assertThat(cache.getIfPresent("k")).isEqualTo("user:1|fresh");
  }

  @Test
  void tagIndex_staysBounded_whenEntriesAreEvicted() {
    try (Cache<Integer, String> small =
        Loomcache.newBuilder()
            .maximumSize(100)
            .executor(Runnable::run)
            .tags((Integer key, String value) -> List.of("t" + (key % 10)))
            .build()) {
      for (int i = 0; i < 20_000; i++) {
        small.put(i, "v" + i);
      }
      int[] size = ((LocalCache<Integer, String>) small).tagIndexSize();
      assertThat(size[0]).isLessThanOrEqualTo(2 * 100 + 1_024 + 1);
      assertThat(size[1]).isLessThanOrEqualTo(10);
      // The keys still in L1 are still found by tag.
      small.invalidateTags(List.of("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"));
      ((LocalCache<Integer, String>) small).cleanUp();
      assertThat(small.estimatedSize()).isZero();
    }
  }

  @Test
  void tagIndex_dropsKeysThatWereInvalidated() {
    for (int i = 0; i < 1_000; i++) {
      cache.put("k" + i, "t" + (i % 3) + "|v");
    }
    for (int i = 0; i < 1_000; i++) {
      cache.invalidate("k" + i);
    }
    assertThat(((LocalCache<String, String>) cache).tagIndexSize()).containsExactly(0, 0);

    cache.put("a", "x|A");
    cache.invalidateAll();
    assertThat(((LocalCache<String, String>) cache).tagIndexSize()).containsExactly(0, 0);
  }

  @Test
  void tagger_failingOnALoad_returnsTheValue_storesNothing() {
    try (Cache<String, String> failing =
        Loomcache.newBuilder()
            .tags((String key, String value) -> {
              throw new IllegalArgumentException("no tags for " + value);
            })
            .build()) {
      assertThat(failing.get("k", () -> "v")).isEqualTo("v");
      assertThat(failing.getIfPresent("k")).isNull();
      assertThatThrownBy(() -> failing.put("k", "v"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("no tags for v");
    }
  }

  @Test
  void tagger_returningANullTag_isRejectedByPut() {
    try (Cache<String, String> bad =
        Loomcache.newBuilder()
            .tags((String key, String value) -> java.util.Arrays.asList("ok", null))
            .build()) {
      assertThatThrownBy(() -> bad.put("k", "v"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("a null tag for key 'k'");
    }
  }

  @Test
  void tagger_returningNull_meansNoTags() {
    try (Cache<String, String> none =
        Loomcache.newBuilder().tags((String key, String value) -> null).build()) {
      none.put("k", "v");
      none.invalidateTag("v");
      assertThat(none.getIfPresent("k")).isEqualTo("v");
    }
  }

  @Test
  void invalidateTag_withoutTagger_isANoOp() {
    try (Cache<String, String> plain = Loomcache.newBuilder().build()) {
      plain.put("k", "v");
      plain.invalidateTag("v");
      assertThat(plain.getIfPresent("k")).isEqualTo("v");
    }
  }

  @Test
  void nullArguments_areRejected_namingTheParameter() {
    assertThatThrownBy(() -> cache.invalidateTag(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("tag must not be null");
    assertThatThrownBy(() -> cache.invalidateTags(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("tags must not be null");
    assertThatThrownBy(() -> cache.invalidateTags(java.util.Arrays.asList("a", null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("tags must not contain null");
  }

  @Test
  void builder_tagsTwice_throws() {
    var builder = Loomcache.newBuilder().tags((Object k, Object v) -> Set.of());
    assertThatThrownBy(() -> builder.tags((Object k, Object v) -> Set.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("tags was already set to a tagger");
    assertThat(builder.toString()).contains("tags");
  }

  @Test
  void withATier_tagsTravelWithTheStoredValue_andTheTierIsAskedToInvalidate() {
    var tier = new MapTier("map");
    try (Cache<String, String> tiered =
        Loomcache.newBuilder()
            .keyCodec(dev.loomcache.spi.KeyCodec.string())
            .valueCodec(dev.loomcache.spi.ValueCodec.string())
            .tags((String key, String value) -> tagsOfValue(value))
            .tier(tier)
            .build()) {
      tiered.put("a", "x,y|A");
      tiered.get("b", () -> "z|B");

      assertThat(tier.store().get("a").tags()).containsExactlyInAnyOrder("x", "y");
      assertThat(tier.store().get("b").tags()).containsExactly("z");

      tiered.invalidateTag("x");

      // MapTier keeps no tag index: the SPI's default clears it, which is correct if wasteful.
      assertThat(tier.store().size()).isZero();
      assertThat(tiered.getIfPresent("a")).isNull();
      assertThat(tiered.getIfPresent("b")).isEqualTo("z|B");
    }
  }

  @Test
  void closedCache_rejectsTagInvalidation() {
    cache.close();
    assertThatThrownBy(() -> cache.invalidateTag("t")).isInstanceOf(IllegalStateException.class);
  }

  /**
   * Linearizability under contention: a reader that starts after an {@code invalidateTag} returned
   * never sees a value loaded before it. Loaders read a version number; the writer bumps it, then
   * invalidates the tag, then publishes the bumped version as the floor readers must see.
   */
  @Test
  void invalidateTag_racingManyLoads_neverResurrectsAnOldValue() throws Exception {
    var version = new AtomicInteger();
    var floor = new AtomicInteger();
    var violations = new ArrayList<String>();
    int keys = 8;
    int readers = 8;
    int rounds = 400;
    var done = new CountDownLatch(1);
    var readerThreads = new ArrayList<Thread>();
    for (int r = 0; r < readers; r++) {
      int id = r;
      // Platform threads: busy virtual readers that always hit would never yield their carriers.
      readerThreads.add(
          Thread.ofPlatform()
              .start(() -> {
                int i = 0;
                while (done.getCount() > 0) {
                  String key = "k" + (i++ + id) % keys;
                  int mustSee = floor.get();
                  String value =
                      cache.get(
                          key,
                          () -> {
                            int seen = version.get();
                            Thread.yield();
                            return "t|" + seen;
                          });
                  int got = Integer.parseInt(value.substring(2));
                  if (got < mustSee) {
                    synchronized (violations) {
                      violations.add(
                          key
                              + " returned version "
                              + got
                              + " after version "
                              + mustSee
                              + " was invalidated");
                    }
                  }
                }
              }));
    }
    for (int round = 1; round <= rounds; round++) {
      version.set(round);
      cache.invalidateTag("t");
      floor.set(round);
      Thread.yield();
    }
    done.countDown();
    for (Thread t : readerThreads) {
      t.join(Duration.ofSeconds(60));
      assertThat(t.isAlive()).isFalse();
    }
    assertThat(violations).isEmpty();
  }
}
