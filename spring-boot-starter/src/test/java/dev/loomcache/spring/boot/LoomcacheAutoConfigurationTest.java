package dev.loomcache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.Loomcache;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.spring.LoomcacheCache;
import dev.loomcache.spring.LoomcacheCacheManager;
import dev.loomcache.spring.TierFactory;
import dev.loomcache.testsupport.RedisServer;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** The auto-configuration in real application contexts, with Boot's own cache configuration. */
class LoomcacheAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  LoomcacheAutoConfiguration.class, CacheAutoConfiguration.class));

  private static boolean stores(org.springframework.cache.Cache cache) {
    cache.put("probe", "value");
    return cache.get("probe") != null;
  }

  @Test
  void cachingEnabled_noCacheManager_configuresLoomcache() {
    runner
        .withUserConfiguration(Caching.class)
        .run(context -> {
          assertThat(context).hasSingleBean(CacheManager.class);
          assertThat(context.getBean(CacheManager.class)).isInstanceOf(LoomcacheCacheManager.class);
          assertThat(context.getBean(CacheManager.class).getCache("any"))
              .isInstanceOf(LoomcacheCache.class);
        });
  }

  @Test
  void cachingNotEnabled_configuresNothing() {
    runner.run(context -> assertThat(context).doesNotHaveBean(CacheManager.class));
  }

  @Test
  void userCacheManager_backsOff() {
    runner
        .withUserConfiguration(Caching.class, UserCacheManager.class)
        .run(context -> {
          assertThat(context).hasSingleBean(CacheManager.class);
          assertThat(context.getBean(CacheManager.class))
              .isInstanceOf(ConcurrentMapCacheManager.class);
          assertThat(context).doesNotHaveBean(LoomcacheCacheManager.class);
        });
  }

  @Test
  void disabledByProperty_leavesItToBoot() {
    runner
        .withUserConfiguration(Caching.class)
        .withPropertyValues("loomcache.enabled=false")
        .run(context -> {
          assertThat(context).hasSingleBean(CacheManager.class);
          assertThat(context).doesNotHaveBean(LoomcacheCacheManager.class);
        });
  }

  @Test
  void properties_createTheNamedCachesWithTheirSpecs() {
    runner
        .withUserConfiguration(Caching.class)
        .withPropertyValues(
            "loomcache.cache.spec=maximumSize=0",
            "loomcache.cache.specs.books=maximumSize=100,defaultTtl=1h",
            "loomcache.cache.names=books,authors")
        .run(context -> {
          var manager = context.getBean(LoomcacheCacheManager.class);
          assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("books", "authors");
          assertThat(manager.getCache("other")).as("names fix the set").isNull();
          assertThat(stores(manager.getCache("books"))).isTrue();
          assertThat(stores(manager.getCache("authors"))).as("the common spec").isFalse();
        });
  }

  @Test
  void allowNullValuesFalse_isApplied() {
    runner
        .withUserConfiguration(Caching.class)
        .withPropertyValues("loomcache.cache.allow-null-values=false")
        .run(context ->
            assertThat(context.getBean(LoomcacheCacheManager.class).isAllowNullValues()).isFalse());
  }

  @Test
  void badSpec_failsStartupNamingTheKey() {
    runner
        .withUserConfiguration(Caching.class)
        .withPropertyValues("loomcache.cache.spec=maximumSize=10,ttl=5m")
        .run(context ->
            assertThat(context)
                .hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageStartingWith("unknown key 'ttl' in cache spec; valid keys:"));
  }

  @Test
  void customizers_ofLoomcache_areApplied_othersAreNot() {
    runner
        .withUserConfiguration(Caching.class, Customizers.class)
        .run(context -> {
          var manager = context.getBean(LoomcacheCacheManager.class);
          assertThat(manager.getCacheNames()).containsExactly("first", "second");
          assertThat(context.getBean(Customizers.class).concurrentMapCustomized).isFalse();
        });
  }

  @Test
  void redisUri_givesEachCacheATierUnderItsOwnPrefix() {
    try (var redis = RedisServer.start()) {
      runner
          .withUserConfiguration(Caching.class)
          .withPropertyValues(
              "loomcache.redis.uri=redis://127.0.0.1:"
                  + redis.port()
                  + "?keyPrefix=app:&commandTimeout=500ms",
              "loomcache.serialization.filter=java.base/*;!*",
              "loomcache.cache.names=books,authors")
          .run(context -> {
            var manager = context.getBean(LoomcacheCacheManager.class);
            manager.getCache("books").put(1L, "Dune");
            manager.getCache("authors").put("herbert", "Frank Herbert");
            manager.getCache("books").put(2L, null);

            try (var jedis = redis.connect()) {
              assertThat(jedis.keys("*"))
                  .containsExactlyInAnyOrder(
                      "app:books:l:1", "app:authors:s:herbert", "app:books:l:2");
            }
            manager.getCache("books").evict(1L);
            try (var jedis = redis.connect()) {
              assertThat(jedis.exists("app:books:l:1")).isFalse();
            }
          });
    }
  }

  @Test
  void redisUri_sharedByTwoApps_nullsAndValuesCrossInstances() {
    try (var redis = RedisServer.start()) {
      var properties =
          new String[] {
            "loomcache.redis.uri=redis://127.0.0.1:" + redis.port() + "?commandTimeout=500ms",
            "loomcache.serialization.filter=java.base/*;!*",
            "loomcache.cache.names=books"
          };
      runner
          .withUserConfiguration(Caching.class)
          .withPropertyValues(properties)
          .run(first ->
              runner
                  .withUserConfiguration(Caching.class)
                  .withPropertyValues(properties)
                  .run(second -> {
                    var a = first.getBean(LoomcacheCacheManager.class).getCache("books");
                    var b = second.getBean(LoomcacheCacheManager.class).getCache("books");
                    a.put("dune", "Dune");
                    a.put("none", null);

                    assertThat(b.get("dune").get()).isEqualTo("Dune");
                    assertThat(b.get("none")).as("a cached null, not a miss").isNotNull();
                    assertThat(b.get("none").get()).isNull();
                  }));
    }
  }

  @Test
  void redisUri_withoutAValueCodec_failsStartupSayingWhatToDo() {
    runner
        .withUserConfiguration(Caching.class)
        .withPropertyValues("loomcache.redis.uri=redis://127.0.0.1:1")
        .run(context ->
            assertThat(context)
                .hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining(
                    "define a ValueCodec bean, or set loomcache.serialization.filter"));
  }

  @Test
  void redisUri_bad_failsStartupWithoutShowingThePassword() {
    runner
        .withUserConfiguration(Caching.class)
        .withPropertyValues(
            "loomcache.redis.uri=redis://app:hunter2@127.0.0.1:1?timeout=5s",
            "loomcache.serialization.filter=java.base/*;!*")
        .run(context ->
            assertThat(context)
                .hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageStartingWith(
                    "unknown key 'timeout' in Redis URI redis://app:****@127.0.0.1:1")
                .message()
                .doesNotContain("hunter2"));
  }

  @Test
  void valueCodecBean_isUsedForTiers() {
    try (var redis = RedisServer.start()) {
      runner
          .withUserConfiguration(Caching.class, StringCodec.class)
          .withPropertyValues(
              "loomcache.redis.uri=redis://127.0.0.1:"
                  + redis.port()
                  + "?keyPrefix=s:&commandTimeout=500ms")
          .run(context -> {
            context.getBean(LoomcacheCacheManager.class).getCache("books").put("k", "plain");
            try (var jedis = redis.connect()) {
              byte[] stored = jedis.get("s:books:s:k".getBytes());
              assertThat(new String(stored, 1, stored.length - 1))
                  .as("after the null tag")
                  .endsWith("plain");
            }
          });
    }
  }

  @Test
  void tierFactoryBean_winsOverProperties() {
    runner
        .withUserConfiguration(Caching.class, OwnTiers.class, StringCodec.class)
        .withPropertyValues("loomcache.redis.uri=redis://127.0.0.1:1", "loomcache.cache.names=b")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(OwnTiers.class).asked).containsExactly("b");
        });
  }

  @Test
  void chronicleFile_givesEachCacheItsOwnFile_thatSurvivesARestart(@TempDir Path dir) {
    var properties =
        new String[] {
          "loomcache.chronicle.file=" + dir.resolve("cache.dat"),
          "loomcache.chronicle.max-entries=1000",
          "loomcache.serialization.filter=java.base/*;!*",
          "loomcache.cache.names=books,authors"
        };
    runner
        .withUserConfiguration(Caching.class)
        .withPropertyValues(properties)
        .run(context ->
            context
                .getBean(LoomcacheCacheManager.class)
                .getCache("books")
                .put("k", (Serializable) "v"));

    assertThat(Files.exists(dir.resolve("cache-books.dat"))).isTrue();
    assertThat(Files.exists(dir.resolve("cache-authors.dat"))).isTrue();
    runner
        .withUserConfiguration(Caching.class)
        .withPropertyValues(properties)
        .run(context ->
            assertThat(
                    context.getBean(LoomcacheCacheManager.class).getCache("books").get("k").get())
                .isEqualTo("v"));
  }

  @Test
  void fileFor_putsTheCacheNameBeforeTheExtension() {
    assertThat(PropertyTiers.fileFor(Path.of("data/cache.dat"), "books"))
        .isEqualTo(Path.of("data/cache-books.dat"));
    assertThat(PropertyTiers.fileFor(Path.of("store"), "books")).isEqualTo(Path.of("store-books"));
  }

  @Test
  void splitKeyPrefix_takesOnlyThePrefixOut() {
    assertThat(PropertyTiers.splitKeyPrefix("redis://:p%3Fw@h:1?keyPrefix=app%3A&poolSize=4"))
        .containsExactly("redis://:p%3Fw@h:1?poolSize=4", "app:");
    assertThat(PropertyTiers.splitKeyPrefix("redis://h:1?poolSize=4"))
        .containsExactly("redis://h:1?poolSize=4", null);
    assertThat(PropertyTiers.splitKeyPrefix("redis://h:1?keyPrefix=a:"))
        .containsExactly("redis://h:1", "a:");
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class Caching {}

  @Configuration(proxyBeanMethods = false)
  static class UserCacheManager {
    @Bean
    CacheManager userCacheManager() {
      return new ConcurrentMapCacheManager("mine");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class StringCodec {
    @Bean
    ValueCodec<String> valueCodec() {
      return ValueCodec.string();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnTiers {
    final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Bean
    TierFactory tierFactory() {
      return name -> {
        asked.add(name);
        return List.of();
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Customizers {
    volatile boolean concurrentMapCustomized;

    @Bean
    @Order(1)
    CacheManagerCustomizer<LoomcacheCacheManager> first() {
      return manager ->
          manager.registerCustomCache("first", Loomcache.newBuilder().maximumSize(10).build());
    }

    @Bean
    @Order(2)
    CacheManagerCustomizer<LoomcacheCacheManager> second() {
      return manager -> manager.getCache("second");
    }

    @Bean
    CacheManagerCustomizer<ConcurrentMapCacheManager> notForLoomcache() {
      return manager -> concurrentMapCustomized = true;
    }
  }
}
