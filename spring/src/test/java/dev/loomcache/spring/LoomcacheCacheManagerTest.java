package dev.loomcache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.spi.ValueCodec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class LoomcacheCacheManagerTest {
  private final LoomcacheCacheManager manager = new LoomcacheCacheManager();

  @AfterEach
  void closeManager() {
    manager.close();
  }

  private static boolean stores(org.springframework.cache.Cache cache) {
    cache.put("probe", "value");
    return cache.get("probe") != null;
  }

  @Test
  void getCache_dynamic_createsOnDemand_onceEach() {
    var books = manager.getCache("books");

    assertThat(books).isInstanceOf(LoomcacheCache.class);
    assertThat(books.getName()).isEqualTo("books");
    assertThat(manager.getCache("books")).isSameAs(books);
    assertThat(manager.getCacheNames()).containsExactly("books");
  }

  @Test
  void setCacheNames_static_createsThoseAndNoOthers() {
    manager.setCacheNames(List.of("books", "authors"));

    assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("books", "authors");
    assertThat(manager.getCache("books")).isNotNull();
    assertThat(manager.getCache("other")).isNull();
  }

  @Test
  void setCacheSpecification_appliesToEveryCacheWithoutItsOwn() {
    manager.setCacheSpecification("maximumSize=0");

    assertThat(stores(manager.getCache("any"))).isFalse();
  }

  @Test
  void setCacheSpecifications_perName_winOverTheCommonSpec_andCreateTheCaches() {
    manager.setCacheSpecification("maximumSize=0");
    manager.setCacheSpecifications(Map.of("books", "maximumSize=100,defaultTtl=1h"));

    assertThat(manager.getCacheNames()).containsExactly("books");
    assertThat(stores(manager.getCache("books"))).isTrue();
    assertThat(stores(manager.getCache("authors"))).isFalse();
  }

  @Test
  void setCacheSpecification_later_recreatesTheCachesMadeBefore() {
    var before = manager.getCache("books");
    assertThat(stores(before)).isTrue();

    manager.setCacheSpecification("maximumSize=0");

    var after = manager.getCache("books");
    assertThat(after).isNotSameAs(before);
    assertThat(stores(after)).isFalse();
    assertThatThrownBy(() -> ((LoomcacheCache) before).getNativeCache().getIfPresent("probe"))
        .as("the old cache was closed")
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void specs_settingName_areRejected() {
    assertThatThrownBy(() -> manager.setCacheSpecification("name=x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the common spec sets name: the manager names each cache after its Spring name");
    assertThatThrownBy(() -> manager.setCacheSpecifications(Map.of("books", "name=x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the spec of cache 'books' sets name: the manager names each cache after its"
                + " Spring name");
  }

  @Test
  void setCacheSpecification_invalid_isRejectedAtOnce() {
    assertThatThrownBy(() -> manager.setCacheSpecification("maximumSize=lots"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad value for key 'maximumSize' in cache spec");
    assertThatThrownBy(() -> manager.setCacheSpecifications(Map.of("books", "size=1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown key 'size' in cache spec; valid keys:");
  }

  @Test
  void registerCustomCache_isUsedAsIs_andNotClosedByTheManager() {
    Cache<Object, Object> own = Loomcache.newBuilder().maximumSize(5).build();
    var other = new LoomcacheCacheManager();
    other.registerCustomCache("own", own);

    other.getCache("own").put("k", "v");
    assertThat(own.getIfPresent("k")).isEqualTo("v");
    other.resetCaches();
    assertThat(own.getIfPresent("k")).as("reset empties it").isNull();
    other.close();
    own.put("still", "open");
    own.close();
  }

  @Test
  void resetCaches_dynamic_dropsManagedCaches() {
    var books = manager.getCache("books");
    books.put("k", "v");

    manager.resetCaches();

    assertThat(manager.getCacheNames()).isEmpty();
    assertThat(manager.getCache("books")).isNotSameAs(books);
    assertThat(manager.getCache("books").get("k")).isNull();
  }

  @Test
  void resetCaches_static_emptiesThem() {
    manager.setCacheNames(List.of("books"));
    var books = manager.getCache("books");
    books.put("k", "v");

    manager.resetCaches();

    assertThat(manager.getCache("books")).isSameAs(books);
    assertThat(books.get("k")).isNull();
  }

  @Test
  void tiers_withoutAValueCodec_areRefusedWithAClearMessage() {
    var tier = new SharedMapTier(SharedMapTier.newStore(), "");
    manager.setTierFactory(name -> List.of(tier));

    assertThatThrownBy(() -> manager.getCache("books"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "cache 'books' has tiers but the manager has no value codec: call setValueCodec");
  }

  @Test
  void tiers_defaultKeyCodec_keepsKeyTypesApart() {
    var store = SharedMapTier.newStore();
    manager.setValueCodec(ValueCodec.string());
    manager.setTierFactory(name -> List.of(new SharedMapTier(store, name + ":")));
    var books = manager.getCache("books");

    books.put(1, "int");
    books.put(1L, "long");
    books.put("1", "string");

    assertThat(store).containsOnlyKeys("books:i:1", "books:l:1", "books:s:1");
    assertThatThrownBy(() -> books.put(List.of(1, 2), "list"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no default tier encoding for keys of type");
  }

  @Test
  void close_closesManagedCaches_andIsIdempotent() {
    var books = (LoomcacheCache) manager.getCache("books");

    manager.close();
    manager.close();

    assertThatThrownBy(() -> books.getNativeCache().getIfPresent("k"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> manager.getCache("new"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void cacheable_inAnApplicationContext_goesThroughTheManager() {
    try (var context = new AnnotationConfigApplicationContext(CachingConfig.class)) {
      var repository = context.getBean(Repository.class);

      assertThat(repository.find(7)).isEqualTo("book-7");
      assertThat(repository.find(7)).isEqualTo("book-7");

      assertThat(repository.calls()).isEqualTo(1);
      var manager = context.getBean(LoomcacheCacheManager.class);
      assertThat(manager.getCache("books").get(7).get()).isEqualTo("book-7");
    }
  }

  @Configuration
  @EnableCaching
  static class CachingConfig {
    @Bean
    LoomcacheCacheManager cacheManager() {
      var manager = new LoomcacheCacheManager();
      manager.setCacheSpecification("maximumSize=100");
      return manager;
    }

    @Bean
    Repository repository() {
      return new Repository();
    }
  }

  static class Repository {
    private final AtomicInteger calls = new AtomicInteger();

    public int calls() { // through the proxy: its own fields are not the target's
      return calls.get();
    }

    // README-BEGIN cacheable-sync
    @Cacheable(cacheNames = "books", sync = true)
    public String find(int id) {
      calls.incrementAndGet();
      return "book-" + id;
    }
    // README-END cacheable-sync
  }
}
