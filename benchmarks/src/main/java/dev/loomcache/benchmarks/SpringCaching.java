package dev.loomcache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.loomcache.spring.LoomcacheCacheManager;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Spring side of benchmarks 7 and 8: a real application context with {@code @EnableCaching},
 * one {@link Catalog} bean behind Spring's proxy, and the cache manager under test. Both managers
 * get the same bound (10,000 entries, no expiry, no statistics beyond what each keeps anyway).
 */
public final class SpringCaching {
  private SpringCaching() {}

  /** The cache managers compared. */
  public enum Manager {
    /** {@code LoomcacheCacheManager} with {@code maximumSize=10000}. */
    LOOMCACHE,
    /** Spring's {@code CaffeineCacheManager} with {@code maximumSize=10000}. */
    CAFFEINE;

    /** The manager's name in the report. */
    public String label() {
      return switch (this) {
        case LOOMCACHE -> "Loomcache manager";
        case CAFFEINE -> "CaffeineCacheManager";
      };
    }

    /** How the manager is built, for the report. */
    public String configuration() {
      return switch (this) {
        case LOOMCACHE ->
            "LoomcacheCacheManager, spec maximumSize=10000;"
                + " @Cacheable(sync = true): Cache.get(key, Callable), Loomcache's single flight";
        case CAFFEINE ->
            "CaffeineCacheManager with Caffeine.newBuilder().maximumSize(10,000);"
                + " @Cacheable(sync = true): CaffeineCache.get(key, Callable), Caffeine's compute"
                + " (the baseline)";
      };
    }

    CacheManager create() {
      return switch (this) {
        case LOOMCACHE -> {
          var manager = new LoomcacheCacheManager();
          manager.setCacheSpecification("maximumSize=10000");
          yield manager;
        }
        case CAFFEINE -> {
          var manager = new CaffeineCacheManager();
          manager.setCaffeine(Caffeine.newBuilder().maximumSize(10_000));
          yield manager;
        }
      };
    }
  }

  /** Starts a context whose {@link Catalog} is cached through {@code manager}. */
  public static AnnotationConfigApplicationContext start(Manager manager, Duration load) {
    var context = new AnnotationConfigApplicationContext();
    context.registerBean(CacheManager.class, manager::create);
    context.registerBean(Catalog.class, () -> new Catalog(load));
    context.register(Config.class);
    context.refresh();
    return context;
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class Config {
    @Bean
    Object marker() {
      return "caching enabled";
    }
  }

  /** The cached bean: a title per id, parking {@code load} per call (zero for the hit path). */
  public static class Catalog {
    private final Duration load;
    private final AtomicInteger calls = new AtomicInteger();

    public Catalog(Duration load) {
      this.load = load;
    }

    /** The classic {@code @Cacheable}: look-up, and on a miss call and put. */
    @Cacheable("titles")
    public String title(Integer id) {
      return compute(id);
    }

    /** {@code @Cacheable(sync = true)}: the cache's {@code get(key, Callable)}. */
    @Cacheable(cacheNames = "syncTitles", sync = true)
    public String syncTitle(Integer id) {
      return compute(id);
    }

    private String compute(Integer id) {
      calls.incrementAndGet();
      if (!load.isZero()) {
        Parking.park(load);
      }
      return "title-" + id;
    }

    /** Method calls that reached the bean (cache misses that loaded). */
    public int calls() {
      return calls.get();
    }
  }
}
