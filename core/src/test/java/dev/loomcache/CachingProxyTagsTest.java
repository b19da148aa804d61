package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link CachingProxy} with key templates and tags: {@code @Cached(key, tags)},
 * {@code @Invalidates(key, tags)}.
 */
class CachingProxyTagsTest {
  public record Org(String id) {}

  public record Order(long userId, String item) {}

  public interface Shop {
    @Cached(tags = {"user:{userId}", "org:{org.id}"})
    List<String> ordersOf(@ParamName("userId") long userId, @ParamName("org") Org org);

    @Cached(key = "profile:{userId}", tags = "user:{userId}")
    String profile(@ParamName("userId") long userId);

    @Cached(key = "item:{order.item}")
    String itemOf(@ParamName("order") Order order);

    @Cached
    String untagged(@ParamName("userId") long userId);

    @Invalidates(tags = "user:{order.userId}")
    void place(@ParamName("order") Order order);

    @Invalidates(value = "ordersOf", tags = "org:{orgId}")
    void reorganize(@ParamName("orgId") String orgId);

    @Invalidates(value = "profile", key = "profile:{userId}")
    void rename(@ParamName("userId") long userId);

    @Invalidates(value = "itemOf", key = "item:{name}")
    void restock(@ParamName("name") String name);
  }

  static final class CountingShop implements Shop {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    int calls(String method) {
      return calls.getOrDefault(method, new AtomicInteger()).get();
    }

    private void count(String method) {
      calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public List<String> ordersOf(long userId, Org org) {
      count("ordersOf");
      return List.of("order of " + userId + " in " + org.id());
    }

    @Override
    public String profile(long userId) {
      count("profile");
      return "profile " + userId;
    }

    @Override
    public String itemOf(Order order) {
      count("itemOf");
      return "item " + order.item();
    }

    @Override
    public String untagged(long userId) {
      count("untagged");
      return "u" + userId;
    }

    @Override
    public void place(Order order) {}

    @Override
    public void reorganize(String orgId) {}

    @Override
    public void rename(long userId) {}

    @Override
    public void restock(String name) {}
  }

  private final CountingShop target = new CountingShop();
  private final Shop shop = CachingProxy.of(Shop.class, target);

  @Test
  void invalidatesTags_withoutACacheName_reachEveryTaggedCachedMethod() {
    shop.ordersOf(1, new Org("o"));
    shop.ordersOf(2, new Org("o"));
    shop.profile(1);
    shop.untagged(1);

    shop.place(new Order(1, "book"));

    shop.ordersOf(1, new Org("o"));
    shop.ordersOf(2, new Org("o"));
    shop.profile(1);
    shop.untagged(1);
    assertThat(target.calls("ordersOf")).isEqualTo(3); // user 1 again, user 2 still cached
    assertThat(target.calls("profile")).isEqualTo(2);
    assertThat(target.calls("untagged")).isEqualTo(1);
  }

  @Test
  void invalidatesTags_ofANamedCache_throughAnAccessorTemplate() {
    shop.ordersOf(1, new Org("a"));
    shop.ordersOf(2, new Org("b"));

    shop.reorganize("a");

    shop.ordersOf(1, new Org("a"));
    shop.ordersOf(2, new Org("b"));
    assertThat(target.calls("ordersOf")).isEqualTo(3);
  }

  @Test
  void keyTemplate_equalRenderedKeysShareOneEntry_andInvalidatesByTemplate() {
    shop.itemOf(new Order(1, "book"));
    shop.itemOf(new Order(2, "book")); // same rendered key "item:book"
    shop.itemOf(new Order(1, "pen"));
    assertThat(target.calls("itemOf")).isEqualTo(2);

    shop.restock("book");

    shop.itemOf(new Order(3, "book"));
    shop.itemOf(new Order(3, "pen"));
    assertThat(target.calls("itemOf")).isEqualTo(3);
  }

  @Test
  void keyTemplateWithTags_invalidatesByKeyTemplate() {
    shop.profile(7);
    shop.rename(7);
    shop.profile(7);
    assertThat(target.calls("profile")).isEqualTo(2);
    assertThat(CachingProxy.stats(shop, "profile").hitCount()).isZero();
  }

  public interface UnknownParameter {
    @Cached(tags = "user:{id}")
    String find(@ParamName("userId") long userId);
  }

  public interface UnknownAccessor {
    @Cached(key = "org:{org.name}")
    String find(@ParamName("org") Org org);
  }

  public interface TagsWithoutTaggedCache {
    @Cached
    String find(@ParamName("id") long id);

    @Invalidates(tags = "user:{id}")
    void change(@ParamName("id") long id);
  }

  public interface TagsOnUntaggedCache {
    @Cached
    String find(@ParamName("id") long id);

    @Invalidates(value = "find", tags = "user:{id}")
    void change(@ParamName("id") long id);
  }

  public interface KeyTemplateOnArgumentCache {
    @Cached
    String find(@ParamName("id") long id);

    @Invalidates(value = "find", key = "{id}")
    void change(@ParamName("id") long id);
  }

  public interface KeysOnTemplateCache {
    @Cached(key = "user:{id}")
    String find(@ParamName("id") long id);

    @Invalidates(value = "find", keys = "id")
    void change(@ParamName("id") long id);
  }

  public interface TagsAndKeys {
    @Cached(tags = "t")
    String find(@ParamName("id") long id);

    @Invalidates(value = "find", keys = "id", tags = "t")
    void change(@ParamName("id") long id);
  }

  public interface NothingNamed {
    @Cached
    String find(@ParamName("id") long id);

    @Invalidates
    void change(@ParamName("id") long id);
  }

  public interface KeyIgnoreWithTemplate {
    @Cached(key = "{id}")
    String find(@ParamName("id") long id, @KeyIgnore @ParamName("trace") String trace);
  }

  public interface BlankTag {
    @Cached(tags = " ")
    String find(@ParamName("id") long id);
  }

  @Test
  void misconfigurations_areRejectedWhenTheProxyIsBuilt_namingTheProblem() {
    assertThatThrownBy(() -> CachingProxy.of(UnknownParameter.class, id -> ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("@Cached(tags = \"user:{id}\")")
        .hasMessageContaining("no parameter named 'id'");
    assertThatThrownBy(() -> CachingProxy.of(UnknownAccessor.class, org -> ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Org has no accessible public no-argument method 'name'");
    assertRejected(
        TagsWithoutTaggedCache.class, "no @Cached method of TagsWithoutTaggedCache declares tags");
    assertRejected(TagsOnUntaggedCache.class, "declares no @Cached(tags = ...)");
    assertRejected(KeyTemplateOnArgumentCache.class, "has no @Cached(key = ...) template");
    assertRejected(KeysOnTemplateCache.class, "is keyed by the template \"user:{id}\"");
    assertRejected(TagsAndKeys.class, "give tags, or keys/key, not both");
    assertRejected(NothingNamed.class, "names no cached method");
    assertRejected(KeyIgnoreWithTemplate.class, "the key template already chooses");
    assertRejected(BlankTag.class, "a tag must not be blank");
  }

  @SuppressWarnings("unchecked")
  private static <T> void assertRejected(Class<T> iface, String message) {
    T target =
        (T)
            java.lang.reflect.Proxy.newProxyInstance(
                iface.getClassLoader(), new Class<?>[] {iface}, (proxy, method, args) -> null);
    assertThatThrownBy(() -> CachingProxy.of(iface, target))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
