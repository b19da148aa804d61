package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Concurrently;
import dev.loomcache.testsupport.DocSnippets;
import dev.loomcache.testsupport.FakeTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The code shown in README.md (the quick start) and in the docs pages on semantics, scopes,
 * freshness, batching and tags, compiled and run so that it cannot rot; {@code DocPagesTest} checks
 * that each page shows its regions as they are. Keep the two in step.
 */
class ReadmeExamplesTest {
  public record User(String id, String name) {}

  /** Stands in for the database of the README example. */
  static final class UserRepository {
    final AtomicInteger queries = new AtomicInteger();

    User load(String id) {
      queries.incrementAndGet();
      return new User(id, "User " + id);
    }
  }

  @Test
  void quickStart() {
    var database = new UserRepository();
    var registry = new SimpleMeterRegistry();

    // README-BEGIN quick-start
    Cache<String, User> users = Loomcache.newBuilder()
        .name("users")
        .maximumSize(10_000)
        .defaultTtl(Duration.ofMinutes(5))
        .meterRegistry(registry)
        .build();

    User user = users.get("u1", () -> database.load("u1"));      // loads once, even if 10,000 threads ask
    User again = users.get("u1", () -> database.load("u1"));     // a hit
    users.get("u2", () -> database.load("u2"), Duration.ofSeconds(30)); // a TTL of its own
    users.invalidate("u1");                                      // a load already running won't re-store it
    CacheStats stats = users.stats();                            // hits 1, misses 2, hitRate 0.33
    users.close();
    // README-END quick-start

    assertThat(user).isSameAs(again);
    assertThat(database.queries).hasValue(2);
    assertThat(stats.hitCount()).isEqualTo(1);
    assertThat(stats.missCount()).isEqualTo(2);
    assertThat(
            registry
                .get("cache.gets")
                .tag("cache", "users")
                .tag("result", "hit")
                .functionCounter()
                .count())
        .isEqualTo(1);
  }

  /** Stands in for a repository with a bulk query. */
  static final class Users {
    final java.util.List<java.util.Set<Long>> queries =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    java.util.Map<Long, User> findAllById(java.util.Set<Long> ids) {
      queries.add(ids);
      var found = new java.util.HashMap<Long, User>();
      for (Long id : ids) {
        if (id != 404) {
          found.put(id, new User(String.valueOf(id), "User " + id));
        }
      }
      return found;
    }
  }

  @Test
  void batching() throws Exception {
    var repository = new Users();
    var requests = java.util.List.of(1L, 2L, 3L, 404L);

    // README-BEGIN batching
    Cache<Long, User> users = Loomcache.newBuilder()
        .batchWindow(Duration.ofMillis(5))   // a window opens with the first queued key...
        .maxBatchSize(100)                   // ...and closes early when 100 keys are queued
        .build();
    Batcher<Long, User> batcher = users.batcher(repository::findAllById);

    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long id : requests) {                    // four request threads, one key each:
        executor.submit(() -> batcher.get(id));     // one findAllById call for all four
      }
    }
    User cached = users.getIfPresent(1L);            // batched values are cached
    User absent = batcher.get(404L);                 // left out by the loader: null, not cached

    Map<Long, User> some = users.getAll(List.of(1L, 5L, 6L), repository::findAllById);
    // 1 is a hit; only 5 and 6 go to findAllById
    // README-END batching
    users.close();

    assertThat(cached).isNotNull();
    assertThat(absent).isNull();
    assertThat(some).containsOnlyKeys(1L, 5L, 6L);
    assertThat(repository.queries.getLast()).containsExactlyInAnyOrder(5L, 6L);
    assertThat(repository.queries.stream().flatMap(java.util.Set::stream).filter(id -> id == 2L))
        .hasSize(1);
  }

  public record RequestContext(String traceId) {}

  /**
   * The service interface the README showed before docs/function-caching.md took over; kept as a
   * region because {@code CachingProxyParameterNamesTest} compiles it without {@code -parameters}
   * (public: a proxied interface must be).
   */
  public interface UserService {
    // README-BEGIN service-methods
    @Cached(ttl = "5m") User find(long id, @KeyIgnore RequestContext context);
    @Invalidates(value = "find", keys = "id") void rename(@ParamName("id") long id, String name);
    // README-END service-methods
  }

  static final class RealUserService implements UserService {
    final AtomicInteger finds = new AtomicInteger();
    final java.util.Map<Long, String> names = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public User find(long id, RequestContext context) {
      finds.incrementAndGet();
      return new User(String.valueOf(id), names.getOrDefault(id, "User " + id));
    }

    @Override
    public void rename(long id, String name) {
      names.put(id, name);
    }
  }

  static final class LongRepository {
    final AtomicInteger loads = new AtomicInteger();

    User load(Long id) {
      loads.incrementAndGet();
      return new User(String.valueOf(id), "User " + id);
    }
  }

  @Test
  void functionAndInterfaceCaching() {
    var repository = new LongRepository();
    var realService = new RealUserService();

    CachedFunction<Long, User> byId =
        Loomcache.newBuilder().maximumSize(128).buildFunction(repository::load);
    User user = byId.apply(42L); // runs once per distinct argument, concurrent calls once
    UserService service = CachingProxy.of(UserService.class, realService);

    assertThat(byId.apply(42L)).isSameAs(user);
    assertThat(repository.loads).hasValue(1);
    service.find(7, new RequestContext("a"));
    service.find(7, new RequestContext("b")); // the context is not part of the key
    assertThat(realService.finds).hasValue(1);
    service.rename(7, "Renamed");
    assertThat(service.find(7, new RequestContext("c")).name()).isEqualTo("Renamed");
  }

  /** Stands in for the README's report, which reads a cache. */
  static final class Report {
    final Cache<String, User> users;
    final UserRepository database;

    Report(Cache<String, User> users, UserRepository database) {
      this.users = users;
      this.database = database;
    }

    void render() {
      users.get("u1", () -> database.load("u1"));
    }
  }

  public record Price(long id, long cents) {}

  /** Stands in for a price feed whose calls take 30 ms on the test's clock. */
  static final class PriceFeed {
    final FakeTicker ticker;
    final AtomicInteger calls = new AtomicInteger();

    PriceFeed(FakeTicker ticker) {
      this.ticker = ticker;
    }

    Price price(long id) {
      ticker.advance(Duration.ofMillis(30));
      return new Price(id, 100 + calls.incrementAndGet());
    }
  }

  @Test
  void bypassScopes() throws Exception {
    var database = new UserRepository();
    Cache<String, User> users = Loomcache.newBuilder().name("users").build();
    var report = new Report(users, database);
    users.put("u1", new User("u1", "Stale"));

    // README-BEGIN bypass-scopes
    User fresh = CacheScope.noCache().call(() -> users.get("u1", () -> database.load("u1")));
    CacheScope.noStore("users").run(() -> users.get("u9", () -> database.load("u9")));
    CacheScope.disabled().run(() -> report.render());           // every cache, every get inside
    // README-END bypass-scopes

    assertThat(fresh.name()).isEqualTo("User u1");
    assertThat(users.getIfPresent("u1")).isEqualTo(fresh); // noCache stored the fresh value
    assertThat(users.getIfPresent("u9")).isNull(); // noStore did not
    assertThat(database.queries).hasValue(3); // disabled loaded again
    assertThat(users.stats().bypassCount()).isEqualTo(3);
    users.close();
  }

  public record Order(long userId, long shopId) {}

  @Test
  void tagsAndPatternInvalidation() {
    // README-BEGIN tags-and-pattern-invalidation
    Cache<Long, Order> orders = Loomcache.newBuilder()
        .tags((Long id, Order order) -> List.of("user:" + order.userId(), "shop:" + order.shopId()))
        .build();
    // README-END tags-and-pattern-invalidation
    orders.put(1L, new Order(42, 1));
    orders.put(2L, new Order(7, 2));
    orders.put(15L, new Order(7, 3));
    orders.put(30L, new Order(7, 3));

    // README-BEGIN tags-and-pattern-invalidation-calls
    orders.invalidateTag("user:42");                   // every order of user 42, in L1 and the tiers
    orders.invalidateTags(List.of("shop:1", "shop:2"));
    orders.invalidateMatching("1?");                  // keys 10..19 (as the KeyCodec encodes them)
    // README-END tags-and-pattern-invalidation-calls

    assertThat(orders.getIfPresent(1L)).isNull();
    assertThat(orders.getIfPresent(2L)).isNull();
    assertThat(orders.getIfPresent(15L)).isNull();
    assertThat(orders.getIfPresent(30L)).isEqualTo(new Order(7, 3));
    orders.close();
  }

  @Test
  void freshness() {
    var ticker = new FakeTicker();
    var feed = new PriceFeed(ticker);

    // README-BEGIN freshness
    Cache<Long, Price> prices = Loomcache.newBuilder()
        .ticker(ticker::read)
        .defaultTtl(Duration.ofMinutes(5))        // hard expiry, as before
        .refreshAfter(Duration.ofMinutes(4))      // refresh-ahead: serve, and reload in the background
        .earlyRefresh(1.0)                        // XFetch beta (0 = off, the default)
        .staleIfError(Duration.ofMinutes(30))     // serve an expired value when its reload fails
        .negativeTtl(Duration.ofSeconds(30))      // remember a loader's null this long
        .ttlJitter(0.1)                           // shorten each stored TTL by a random 0-10%
        .expireAfterHits(1_000)                   // drop an entry after this many hits
        .cacheIf((price, loadTime) -> loadTime.compareTo(Duration.ofMillis(20)) > 0)
        .build();

    Price price = prices.get(7L, () -> feed.price(7L));         // a slow load (30 ms): stored
    ticker.advance(Duration.ofMinutes(4));
    Price same = prices.get(7L, () -> feed.price(7L));          // due: returned at once, reloaded behind
    Price perCall = prices.get(8L, () -> feed.price(8L),        // per call: overrides the builder's
        Freshness.ttl(Duration.ofMinutes(1)).refreshAfter(Duration.ofSeconds(50)));
    // README-END freshness

    assertThat(same).isSameAs(price);
    assertThat(perCall.id()).isEqualTo(8L);
    Concurrently.awaitUntil(
        Duration.ofSeconds(30), "the refresh is counted", () -> prices.stats().refreshCount() == 1);
    assertThat(prices.getIfPresent(7L)).isNotSameAs(price);
    prices.close();
  }

  @Test
  void readme_showsTheTestedQuickStart_andNoUntestedJava() {
    var snippets = DocSnippets.ofTest(ReadmeExamplesTest.class);
    snippets.assertShownIn(Path.of("..", "README.md"), "quick-start");
    snippets.assertEveryJavaBlockIsIn(Path.of("..", "README.md"));
  }
}
