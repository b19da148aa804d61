package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.DocSnippets;
import dev.loomcache.testsupport.FakeTicker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The examples of {@code docs/function-caching.md}, compiled and run so that they cannot rot. Keep
 * the two in step: each README-BEGIN/README-END region appears in the document, and every Java
 * block of the document is in this file.
 */
class FunctionCachingReadmeTest {

  public record User(long id, String name) {}

  public record RequestContext(String traceId) {}

  /** Stands in for the database of the examples; counts its queries. */
  static final class Database {
    final Map<Long, String> names = new ConcurrentHashMap<>(Map.of(42L, "Ada", 7L, "Alan"));
    final AtomicInteger queries = new AtomicInteger();

    User loadUser(long id) throws IOException {
      queries.incrementAndGet();
      String name = names.get(id);
      if (name == null) {
        throw new IOException("no user " + id);
      }
      return new User(id, name);
    }

    List<User> loadUsers() {
      queries.incrementAndGet();
      return new TreeMap<>(names)
          .entrySet().stream().map(e -> new User(e.getKey(), e.getValue())).toList();
    }

    void updateName(long id, String name) throws IOException {
      if (name.isBlank()) {
        throw new IOException("a name must not be blank");
      }
      names.put(id, name);
    }
  }

  private final Database database = new Database();

  // README-BEGIN service-interface
  public interface UserService {
    @Cached(maximumSize = 1_000, ttl = "5m")
    User findUser(long id, @KeyIgnore RequestContext context) throws IOException;

    @Cached(ttl = "30s")
    List<User> listUsers();

    @Invalidates(value = "findUser", keys = "id")
    @Invalidates("listUsers")
    void rename(@ParamName("id") long id, String name) throws IOException;
  }
  // README-END service-interface

  // README-BEGIN service-implementation
  final class DatabaseUserService implements UserService {
    private final Database database;

    DatabaseUserService(Database database) {
      this.database = database;
    }

    @Override
    public User findUser(long id, RequestContext context) throws IOException {
      return database.loadUser(id);
    }

    @Override
    public List<User> listUsers() {
      return database.loadUsers();
    }

    @Override
    public void rename(long id, String name) throws IOException {
      database.updateName(id, name);
    }
  }
  // README-END service-implementation

  @Test
  void cachedFunction() {
    // README-BEGIN cached-function
    CachedFunction<Long, User> findUser = Loomcache.newBuilder()
        .maximumSize(128)
        .defaultTtl(Duration.ofMinutes(5))
        .buildFunction(database::loadUser);

    User ada = findUser.apply(42L);      // runs database.loadUser(42)
    User again = findUser.apply(42L);    // served from the cache
    findUser.invalidate(42L);            // the next apply(42L) runs again
    findUser.invalidateAll();            // forget every result
    CacheStats stats = findUser.stats(); // hits 1, misses 1
    // README-END cached-function

    assertThat(ada).isEqualTo(new User(42, "Ada")).isSameAs(again);
    assertThat(stats.hitCount()).isEqualTo(1);
    assertThat(stats.missCount()).isEqualTo(1);
    assertThat(database.queries).hasValue(1);
  }

  @Test
  void cachedFunction_checkedFailure() {
    CachedFunction<Long, User> findUser = Loomcache.newBuilder().buildFunction(database::loadUser);

    // README-BEGIN cached-function-failure
    try {
      findUser.apply(99L);
    } catch (CacheLoadException e) {
      // e.getCause() is the IOException database.loadUser threw; nothing was cached
    }
    // README-END cached-function-failure

    assertThatThrownBy(() -> findUser.apply(99L))
        .isInstanceOf(CacheLoadException.class)
        .hasCauseInstanceOf(IOException.class);
    assertThat(database.queries).hasValue(2);
  }

  @Test
  void cachingProxy() throws IOException {
    // README-BEGIN proxy
    UserService users = CachingProxy.of(UserService.class, new DatabaseUserService(database));

    User ada = users.findUser(42, new RequestContext("trace-1"));  // runs the query
    users.findUser(42, new RequestContext("trace-2"));             // a hit: the context is ignored
    users.rename(42, "Ada Lovelace");      // invalidates findUser(42) and listUsers, before and after
    User renamed = users.findUser(42, new RequestContext("trace-3"));  // runs the query again

    CacheStats stats = CachingProxy.stats(users, "findUser");      // hits 1, misses 2
    // README-END proxy

    assertThat(ada.name()).isEqualTo("Ada");
    assertThat(renamed.name()).isEqualTo("Ada Lovelace");
    assertThat(stats.hitCount()).isEqualTo(1);
    assertThat(stats.missCount()).isEqualTo(2);
    assertThat(database.queries).hasValue(2);
  }

  @Test
  void cachingProxy_failuresAndBuilder() {
    var clock = new FakeTicker();
    Ticker ticker = clock::read;
    // README-BEGIN proxy-builder
    UserService users = CachingProxy.newBuilder(UserService.class, new DatabaseUserService(database))
        .ticker(ticker)                   // a fake clock in tests
        .build();
    // README-END proxy-builder

    users.listUsers();
    clock.advance(Duration.ofSeconds(31));
    users.listUsers();
    assertThat(database.queries).hasValue(2);

    // README-BEGIN proxy-failure
    try {
      users.rename(42, " ");
    } catch (IOException e) {
      // the IOException the target threw, not wrapped; findUser(42) was still invalidated
    }
    // README-END proxy-failure

    assertThatThrownBy(() -> users.rename(42, " "))
        .isInstanceOf(IOException.class)
        .hasMessage("a name must not be blank");
  }

  @Test
  void document_showsEveryRegion_andEveryCodeBlockIsCodeOfThisTest() {
    var snippets = DocSnippets.ofTest(FunctionCachingReadmeTest.class);
    assertThat(snippets.names()).hasSize(8);
    Path document = Path.of("..", "docs", "function-caching.md");
    snippets.assertShownIn(document);
    snippets.assertEveryJavaBlockIsIn(document);
  }

  public record Org(String id) {}

  public record Order(long userId, String item) {}

  // README-BEGIN key-and-tag-templates
  interface Shop {
    @Cached(tags = {"user:{userId}", "org:{org.id}"})
    List<String> ordersOf(@ParamName("userId") long userId, @ParamName("org") Org org);

    @Cached(key = "item:{order.item}")          // orders of the same item share one entry
    String itemOf(@ParamName("order") Order order);

    @Invalidates(tags = "user:{order.userId}")   // in every cached method that declares tags
    void place(@ParamName("order") Order order);

    @Invalidates(value = "itemOf", key = "item:{name}")
    void restock(@ParamName("name") String name);
  }
  // README-END key-and-tag-templates

  @Test
  void keyAndTagTemplates() {
    var loads = new java.util.concurrent.atomic.AtomicInteger();
    Shop real =
        new Shop() {
          @Override
          public List<String> ordersOf(long userId, Org org) {
            loads.incrementAndGet();
            return List.of(userId + "@" + org.id());
          }

          @Override
          public String itemOf(Order order) {
            loads.incrementAndGet();
            return order.item();
          }

          @Override
          public void place(Order order) {}

          @Override
          public void restock(String name) {}
        };
    Shop shop = CachingProxy.of(Shop.class, real);
    shop.ordersOf(1, new Org("o"));
    shop.itemOf(new Order(1, "book"));
    shop.itemOf(new Order(2, "book"));
    assertThat(loads).hasValue(2);

    shop.place(new Order(1, "pen"));
    shop.restock("book");
    shop.ordersOf(1, new Org("o"));
    shop.itemOf(new Order(2, "book"));
    assertThat(loads).hasValue(4);
  }

  interface Broken {
    @Cached(ttl = "5 minutes")
    String find(long id);
  }

  @Test
  void misconfiguration() {
    assertThatThrownBy(() -> CachingProxy.of(Broken.class, id -> "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Broken.find(long): @Cached(ttl = \"5 minutes\"): \"5 minutes\" is"
                + " not a duration; use an ISO-8601 duration (PT30S, P1D) or a whole number with one"
                + " unit of ms, s, m, h, d (500ms, 30s, 5m, 2h, 1d)");
  }
}
