package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.limit.RateLimitDecision;
import dev.loomcache.limit.RateLimitExceededException;
import dev.loomcache.limit.RateLimited;
import dev.loomcache.limit.RateLimiter;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Code shown in the {@code docs/} pages that no other test shows (tiers, configuration from text,
 * in-process rate limits), compiled and run here; {@code DocPagesTest} checks that the pages show
 * it as it is.
 */
class DocsExamplesTest {
  public record User(String id, String name) {}

  @Test
  void tiers() {
    var chronicleStore = new MapTier("chronicle"); // stands in for a ChronicleStore
    var redisTier = new MapTier("redis"); // stands in for a RedisTier

    // README-BEGIN tiers
    Cache<String, String> cache = Loomcache.newBuilder()
        .keyCodec(KeyCodec.string())                 // keys -> stable strings
        .valueCodec(ValueCodec.string())             // values -> bytes; fixed per cache
        .tier(chronicleStore)                        // e.g. a crash-safe file
        .tier(redisTier)                             // e.g. shared between instances
        .build();
    // README-END tiers

    cache.put("k", "v");
    assertThat(chronicleStore.store().size()).isEqualTo(1);
    assertThat(redisTier.store().size()).isEqualTo(1);
    cache.close();

    Cache<String, String> restarted =
        Loomcache.newBuilder()
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(new MapTier("chronicle", chronicleStore.store()))
            .build();
    assertThat(restarted.get("k", () -> "loaded")).isEqualTo("v"); // a tier hit: no load
    restarted.close();
  }

  @Test
  void spec() {
    // README-BEGIN spec
    Cache<String, User> users =
        Loomcache.from("name=users,maximumSize=10000,defaultTtl=5m,batchWindow=5ms").build();
    // README-END spec

    assertThat(
            Loomcache.from("name=users,maximumSize=10000,defaultTtl=5m,batchWindow=5ms").toString())
        .contains("maximumSize=10000", "defaultTtl=5m");
    assertThat(users.get("u1", () -> new User("u1", "Ada")).name()).isEqualTo("Ada");
    users.close();
  }

  /** The receipt of the rate-limits page's payment API. */
  public record Receipt(String userId, long cents) {}

  // The rate-limits page's API.
  // README-BEGIN rate-limited-method
  interface PaymentApi {
    @RateLimited(limit = 10, period = "1m", ban = "10m", key = "{userId}")
    Receipt charge(String userId, long cents);      // denied: RateLimitExceededException(retryAfter())
  }
  // README-END rate-limited-method

  @Test
  void rateLimits() {
    String userId = "ada";

    // README-BEGIN rate-limiter
    RateLimiter perUser = RateLimiter.fixedWindow(10, Duration.ofMinutes(1))   // in process
        .banFor(Duration.ofMinutes(10))                                        // optional
        .build();
    RateLimitDecision d = perUser.acquire(userId);   // allowed(), remaining(), retryAfter()
    boolean ok = perUser.tryAcquire(userId);         // the same decision, without the details
    // README-END rate-limiter

    assertThat(d.allowed()).isTrue();
    assertThat(d.remaining()).isEqualTo(9);
    assertThat(ok).isTrue();
    for (int i = 2; i < 10; i++) {
      assertThat(perUser.tryAcquire(userId)).isTrue();
    }
    RateLimitDecision denied = perUser.acquire(userId);
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10));
    perUser.close();

    var calls = new AtomicInteger();
    PaymentApi payments =
        CachingProxy.of(
            PaymentApi.class,
            (user, cents) -> {
              calls.incrementAndGet();
              return new Receipt(user, cents);
            });
    for (int i = 0; i < 10; i++) {
      assertThat(payments.charge("ada", i)).isEqualTo(new Receipt("ada", i));
    }
    assertThatThrownBy(() -> payments.charge("ada", 10))
        .isInstanceOfSatisfying(
            RateLimitExceededException.class, e -> assertThat(e.retryAfter()).isPositive());
    assertThat(calls).hasValue(10);
  }
}
