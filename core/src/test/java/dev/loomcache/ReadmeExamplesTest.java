package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The code shown in README.md, compiled and run so that it cannot rot. Keep the two in step. */
class ReadmeExamplesTest {
  record User(String id, String name) {}

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

    // README: quick start
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
    // README: end

    assertThat(user).isSameAs(again);
    assertThat(database.queries).hasValue(2);
    assertThat(stats.hitCount()).isEqualTo(1);
    assertThat(stats.missCount()).isEqualTo(2);
    assertThat(registry.get("cache.gets").tag("cache", "users").tag("result", "hit")
        .functionCounter().count()).isEqualTo(1);
  }
}
