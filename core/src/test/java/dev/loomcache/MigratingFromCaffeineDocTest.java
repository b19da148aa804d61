package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.loomcache.testsupport.DocSnippets;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The examples of {@code docs/migrating-from-caffeine.md}, compiled and run so that they cannot
 * rot: every {@code java} block of the page is code of this test (compared line by line, without
 * indentation).
 */
class MigratingFromCaffeineDocTest {

  public record User(long id, String name) {}

  /** Stands in for the database of the examples; counts its queries. */
  static final class Database {
    final Map<Long, String> names = new ConcurrentHashMap<>(Map.of(42L, "Ada", 7L, "Alan"));
    final AtomicInteger queries = new AtomicInteger();

    User load(long id) throws IOException {
      queries.incrementAndGet();
      String name = names.get(id);
      if (name == null) {
        throw new IOException("no user " + id);
      }
      return new User(id, name);
    }

    Map<Long, User> loadAll(java.util.Set<Long> ids) {
      queries.incrementAndGet();
      var found = new java.util.HashMap<Long, User>();
      for (long id : ids) {
        String name = names.get(id);
        if (name != null) {
          found.put(id, new User(id, name));
        }
      }
      return found;
    }

    User loadUnchecked(long id) {
      try {
        return load(id);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final Database database = new Database();
  private final List<String> log = new CopyOnWriteArrayList<>();

  @Test
  void builder() {
    // README-BEGIN caffeine-builder
    com.github.benmanes.caffeine.cache.Cache<String, byte[]> before = Caffeine.newBuilder()
        .maximumWeight(64 * 1024 * 1024)
        .weigher((String key, byte[] value) -> value.length)
        .expireAfterWrite(Duration.ofMinutes(30))
        .expireAfterAccess(Duration.ofMinutes(10))
        .removalListener((String key, byte[] value,
            com.github.benmanes.caffeine.cache.RemovalCause cause) -> log.add(key + " " + cause))
        .recordStats()
        .build();
    // README-END caffeine-builder

    // README-BEGIN loomcache-builder
    Cache<String, byte[]> images = Loomcache.newBuilder()
        .maximumWeight(64 * 1024 * 1024)
        .weigher((String key, byte[] value) -> value.length)
        .defaultTtl(Duration.ofMinutes(30))                  // expireAfterWrite
        .expireAfterAccess(Duration.ofMinutes(10))
        .removalListener((String key, byte[] value, RemovalCause cause) -> log.add(key + " " + cause))
        .build();                                            // statistics are always on
    // README-END loomcache-builder

    images.put("logo", new byte[] {1, 2, 3});
    images.invalidate("logo");
    images.close(); // delivers the queued notification before it returns
    assertThat(log).containsExactly("logo EXPLICIT");
    assertThat(before.estimatedSize()).isZero();
  }

  @Test
  void loading() throws IOException {
    var caffeine = Caffeine.newBuilder().maximumSize(10_000).<Long, User>build();
    try (Cache<Long, User> users = Loomcache.newBuilder().maximumSize(10_000).build()) {
      long id = 42;
      // README-BEGIN caffeine-get
      User before = caffeine.get(id, key -> database.loadUnchecked(key)); // runs inside the map's lock
      // README-END caffeine-get

      // README-BEGIN loomcache-get
      User user = users.get(id, () -> database.load(id)); // outside every lock; may throw IOException
      // README-END loomcache-get

      assertThat(user).isEqualTo(before);
      assertThat(users.get(id, () -> database.load(id))).isSameAs(user);
      assertThat(database.queries).hasValue(2);
    }
  }

  @Test
  void mapView() {
    try (Cache<Long, User> users = Loomcache.newBuilder().build()) {
      // README-BEGIN map-view
      ConcurrentMap<Long, User> map = users.asMap();
      User ada = map.computeIfAbsent(42L, database::loadUnchecked); // single flight, no lock held
      map.putIfAbsent(7L, new User(7, "Alan"));
      map.remove(42L);                                  // = invalidate: a load in flight won't store
      // README-END map-view

      assertThat(ada.name()).isEqualTo("Ada");
      assertThat(map).containsOnlyKeys(7L);
    }
  }

  @Test
  void async() throws Exception {
    AsyncCache<Long, User> caffeine = Caffeine.newBuilder().buildAsync();
    try (Cache<Long, User> users = Loomcache.newBuilder().build()) {
      long id = 42;
      // README-BEGIN caffeine-async
      CompletableFuture<User> before = caffeine.get(id, key -> database.loadUnchecked(key));
      // README-END caffeine-async

      // README-BEGIN loomcache-async
      CompletableFuture<User> user = users.async().get(id, () -> database.load(id));
      // README-END loomcache-async

      assertThat(user.get()).isEqualTo(before.get());
    }
  }

  @Test
  void refresh() throws Exception {
    LoadingCache<Long, User> loading = Caffeine.newBuilder().build(database::loadUnchecked);
    try (Cache<Long, User> users = Loomcache.newBuilder().build()) {
      long id = 42;
      users.put(id, new User(id, "old"));
      loading.put(id, new User(id, "old"));
      {
        // README-BEGIN caffeine-refresh
        CompletableFuture<User> before = loading.refresh(id);
        CompletableFuture<Map<Long, User>> all = loading.refreshAll(List.of(7L, 42L));
        // README-END caffeine-refresh
        assertThat(before.get().name()).isEqualTo("Ada");
        assertThat(all.get()).containsOnlyKeys(7L, 42L);
      }

      // README-BEGIN loomcache-refresh
      CompletableFuture<User> user = users.refresh(id, () -> database.load(id));
      CompletableFuture<Map<Long, User>> all = users.refreshAll(List.of(7L, 42L), database::loadAll);
      // README-END loomcache-refresh

      assertThat(user.get().name()).isEqualTo("Ada");
      assertThat(all.get()).containsOnlyKeys(7L, 42L);
      assertThat(users.getIfPresent(id)).isEqualTo(new User(42, "Ada"));
    }
  }

  @Test
  void spec() {
    // README-BEGIN spec
    Cache<String, String> sessions =
        Loomcache.from("maximumSize=50000,defaultTtl=1h,expireAfterAccess=15m").build();
    // README-END spec

    assertThat(Loomcache.from("maximumSize=50000,defaultTtl=1h,expireAfterAccess=15m").toString())
        .isEqualTo("Loomcache{maximumSize=50000,defaultTtl=1h,expireAfterAccess=15m}");
    sessions.close();
  }

  @Test
  void document_showsEveryRegion_andEveryCodeBlockIsCodeOfThisTest() {
    var snippets = DocSnippets.ofTest(MigratingFromCaffeineDocTest.class);
    assertThat(snippets.names()).hasSize(10);
    Path document = Path.of("..", "docs", "migrating-from-caffeine.md");
    snippets.assertShownIn(document);
    snippets.assertEveryJavaBlockIsIn(document);
  }
}
