package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.ProxyUsers.InMemoryUsers;
import dev.loomcache.ProxyUsers.UserService;
import dev.loomcache.testsupport.FakeTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link CachingProxy}: caching, keys, invalidation and statistics through a small service. */
class CachingProxyTest {
  private final InMemoryUsers target = new InMemoryUsers();
  private final UserService users = CachingProxy.of(UserService.class, target);

  @Test
  void cachedMethod_runsTheTargetOncePerDistinctArgument() {
    assertThat(users.findUser(1)).isEqualTo("ada");
    assertThat(users.findUser(2)).isEqualTo("alan");
    assertThat(users.findUser(1)).isEqualTo("ada");
    assertThat(users.findUser(2)).isEqualTo("alan");

    assertThat(target.calls("findUser")).isEqualTo(2);
  }

  @Test
  void cachedMethodWithoutParameters_cachesOneValue() {
    assertThat(users.listUsers()).containsExactly("ada", "alan");
    assertThat(users.listUsers()).containsExactly("ada", "alan");
    assertThat(target.calls("listUsers")).isEqualTo(1);
  }

  @Test
  void keyIgnoreParameter_doesNotSplitTheCache() {
    assertThat(users.findByName("ada", new Object())).isEqualTo(1L);
    assertThat(users.findByName("ada", new Object())).isEqualTo(1L);
    assertThat(users.findByName("alan", new Object())).isEqualTo(2L);

    assertThat(target.calls("findByName")).isEqualTo(2);
  }

  @Test
  void stats_perCachedMethod_byName() {
    users.findUser(1);
    users.findUser(1);
    users.findByName("ada", "session");

    CacheStats findUser = CachingProxy.stats(users, "findUser");
    assertThat(findUser.hitCount()).isEqualTo(1);
    assertThat(findUser.missCount()).isEqualTo(1);
    assertThat(findUser.hitRate()).isEqualTo(0.5);
    assertThat(CachingProxy.stats(users, "byName").missCount()).isEqualTo(1);
    assertThat(CachingProxy.stats(users, "listUsers").requestCount()).isZero();
  }

  @Test
  void stats_unknownNameOrNotAProxy_isRejected() {
    assertThatThrownBy(() -> CachingProxy.stats(users, "findByName"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "UserService has no @Cached method named 'findByName';"
                + " cached methods: [byName, findUser, listUsers]");
    assertThatThrownBy(() -> CachingProxy.stats(target, "findUser"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Not a caching proxy");
    assertThatThrownBy(() -> CachingProxy.stats(users, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
  }

  @Test
  void invalidatesWithKeys_reloadsThatEntryOnly() throws IOException {
    users.findUser(1);
    users.findUser(2);

    users.rename(1, "grace");

    assertThat(users.findUser(1)).isEqualTo("grace");
    assertThat(users.findUser(2)).isEqualTo("alan");
    assertThat(target.calls("findUser")).isEqualTo(3);
  }

  @Test
  void invalidatesWithoutKeys_clearsEveryEntry() {
    users.findByName("ada", "s");
    users.findByName("alan", "s");

    users.clearNames();
    users.findByName("ada", "s");
    users.findByName("alan", "s");

    assertThat(target.calls("findByName")).isEqualTo(4);
  }

  @Test
  void severalInvalidates_onOneMethod_allApply_andParamNameNamesTheKey() {
    users.listUsers();
    users.findUser(1);
    users.findUser(2);

    users.delete(1);

    assertThat(users.listUsers()).containsExactly("alan");
    assertThat(users.findUser(1)).isNull();
    assertThat(users.findUser(2)).isEqualTo("alan");
    assertThat(target.calls("listUsers")).isEqualTo(2);
    assertThat(target.calls("findUser")).isEqualTo(3);
  }

  @Test
  void invalidates_readDuringTheMutation_isNotLeftBehindAfterIt() throws IOException {
    users.findUser(1);
    var seenDuring = new AtomicReference<String>();
    // A read that lands while the mutation runs: it misses (the entry was invalidated before the
    // mutation) and caches the old name; the invalidation after the mutation removes it.
    target.duringRename = () -> seenDuring.set(users.findUser(1));

    users.rename(1, "grace");

    assertThat(seenDuring).hasValue("ada");
    assertThat(users.findUser(1)).isEqualTo("grace");
    assertThat(target.calls("findUser")).isEqualTo(3);
  }

  @Test
  void invalidates_whenTheMethodThrows_stillInvalidates_andTheExceptionIsUnwrapped() {
    users.findUser(1);
    var failure = new IOException("database down");
    target.renameFailure = failure;
    var seenDuring = new AtomicReference<String>();
    target.duringRename =
        () -> {
          seenDuring.set(users.findUser(1)); // a miss: the entry went before the mutation ran
          target.names.put(1L, "half-written");
        };

    assertThatThrownBy(() -> users.rename(1, "grace")).isSameAs(failure);

    assertThat(seenDuring).hasValue("ada");
    assertThat(users.findUser(1)).isEqualTo("half-written");
    assertThat(target.calls("findUser")).isEqualTo(3);
  }

  @Test
  void invalidates_uncheckedFailure_arrivesAsItIs_andStillInvalidates() {
    users.findUser(1);
    var failure = new IllegalStateException("constraint violated");
    target.renameFailure = failure;

    assertThatThrownBy(() -> users.rename(1, "grace")).isSameAs(failure);
    users.findUser(1);

    assertThat(target.calls("findUser")).isEqualTo(2);
  }

  @Test
  void nullResult_isReturnedButNotCached() {
    assertThat(users.findUser(99)).isNull();
    assertThat(users.findUser(99)).isNull();
    assertThat(target.calls("findUser")).isEqualTo(2);
  }

  @Test
  void ttl_fromTheAnnotation_expiresEntries() {
    var ticker = new FakeTicker();
    UserService timed =
        CachingProxy.newBuilder(UserService.class, target).ticker(ticker::read).build();

    timed.findByName("ada", "s");
    ticker.advance(Duration.ofMinutes(4));
    timed.findByName("ada", "s");
    ticker.advance(Duration.ofMinutes(2));
    timed.findByName("ada", "s");
    ticker.advance(Duration.ofDays(365));
    timed.findUser(1);
    timed.findUser(1);

    assertThat(target.calls("findByName")).isEqualTo(2);
    assertThat(target.calls("findUser")).isEqualTo(1);
  }

  @Test
  void meterRegistry_bindsEachMethodsCacheUnderItsName() {
    var registry = new SimpleMeterRegistry();
    UserService metered =
        CachingProxy.newBuilder(UserService.class, target).meterRegistry(registry).build();

    metered.findUser(1);
    metered.findUser(1);
    metered.findByName("ada", "s");

    assertThat(
            registry
                .get("cache.gets")
                .tag("cache", "findUser")
                .tag("result", "hit")
                .functionCounter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("cache.gets")
                .tag("cache", "byName")
                .tag("result", "miss")
                .functionCounter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void eachProxy_hasCachesOfItsOwn() {
    UserService other = CachingProxy.of(UserService.class, target);

    users.findUser(1);
    other.findUser(1);

    assertThat(target.calls("findUser")).isEqualTo(2);
  }

  @Test
  void unannotatedMethod_isForwarded() {
    users.audit("first");
    users.audit("first");
    assertThat(target.audits).containsExactly("first", "first");
  }

  @Test
  void defaultMethod_isForwardedToTheTarget() {
    assertThat(users.greet(1)).isEqualTo("hello ada");

    var overriding =
        new InMemoryUsers() {
          @Override
          public String greet(long id) {
            return "hi " + id;
          }
        };
    assertThat(CachingProxy.of(UserService.class, overriding).greet(1)).isEqualTo("hi 1");
  }

  @Test
  void objectMethods_goToTheTarget_andAProxyEqualsItself() {
    UserService sameTarget = CachingProxy.of(UserService.class, target);

    assertThat(users.toString()).isEqualTo("InMemoryUsers{1=ada, 2=alan}");
    assertThat(users.hashCode()).isEqualTo(target.hashCode());
    assertThat(users).isEqualTo(users).isEqualTo(sameTarget).isNotEqualTo(new InMemoryUsers());
    assertThat(users.equals(null)).isFalse();
    assertThat(List.of(users)).contains(sameTarget);
  }

  @Test
  void builder_setterTwice_throwsNamingTheOldValue() {
    var ticker = new FakeTicker();
    var builder = CachingProxy.newBuilder(UserService.class, target).ticker(ticker::read);
    assertThatThrownBy(() -> builder.ticker(ticker::read))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("ticker was already set");
    var registry = new SimpleMeterRegistry();
    var metered = CachingProxy.newBuilder(UserService.class, target).meterRegistry(registry);
    assertThatThrownBy(() -> metered.meterRegistry(registry))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("meterRegistry was already set");
  }

  @Test
  void nullArguments_areRejectedNamingTheParameter() {
    assertThatThrownBy(() -> CachingProxy.of(null, target))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("iface must not be null");
    assertThatThrownBy(() -> CachingProxy.of(UserService.class, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("target must not be null");
    assertThatThrownBy(() -> CachingProxy.newBuilder(UserService.class, target).ticker(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ticker must not be null");
    assertThatThrownBy(() -> CachingProxy.newBuilder(UserService.class, target).meterRegistry(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("registry must not be null");
  }
}
