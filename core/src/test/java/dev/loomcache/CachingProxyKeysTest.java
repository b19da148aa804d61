package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Keys through a {@link CachingProxy} (seed defect 11 for methods), several key parameters, generic
 * super-interfaces, and the target's exceptions on the cached path.
 */
class CachingProxyKeysTest {

  interface Lookups {
    @Cached
    String describe(Object value);

    @Cached
    int sum(int[] values);

    @Cached
    String price(String sku, @KeyIgnore Object session, String currency);

    @Invalidates(
        value = "price",
        keys = {"sku", "currency"})
    void setPrice(String currency, String sku, long cents);

    @Cached
    String load(String key) throws IOException;
  }

  static final class RecordingLookups implements Lookups {
    final List<String> calls = new ArrayList<>();
    final Map<String, Long> prices = new ConcurrentHashMap<>();
    Throwable loadFailure = new IOException("not found");

    @Override
    public String describe(Object value) {
      calls.add("describe " + value);
      return value.getClass().getSimpleName() + " " + value;
    }

    @Override
    public int sum(int[] values) {
      calls.add("sum " + Arrays.toString(values));
      return Arrays.stream(values).sum();
    }

    @Override
    public String price(String sku, Object session, String currency) {
      calls.add("price " + sku + " " + currency);
      return prices.getOrDefault(sku + currency, 0L) + " " + currency;
    }

    @Override
    public void setPrice(String currency, String sku, long cents) {
      prices.put(sku + currency, cents);
    }

    @Override
    public String load(String key) throws IOException {
      calls.add("load " + key);
      switch (loadFailure) {
        case IOException io -> throw io;
        case RuntimeException unchecked -> throw unchecked;
        case Error error -> throw error;
        default -> throw new AssertionError(loadFailure);
      }
    }
  }

  private final RecordingLookups target = new RecordingLookups();
  private final Lookups lookups = CachingProxy.of(Lookups.class, target);

  @Test
  void oneOneLongOnePointZeroAndTrue_areFourKeys() {
    assertThat(lookups.describe(1)).isEqualTo("Integer 1");
    assertThat(lookups.describe(1L)).isEqualTo("Long 1");
    assertThat(lookups.describe(1.0)).isEqualTo("Double 1.0");
    assertThat(lookups.describe(true)).isEqualTo("Boolean true");
    assertThat(lookups.describe(1)).isEqualTo("Integer 1");

    assertThat(target.calls).hasSize(4);
  }

  @Test
  void aListAndAnArrayWithEqualElements_areTwoKeys() {
    assertThat(lookups.describe(new ArrayList<>(List.of(1, 2)))).isEqualTo("ArrayList [1, 2]");
    assertThat(lookups.describe(new Integer[] {1, 2})).startsWith("Integer[] ");
    // Lists are equal by elements, whatever their class: the cached ArrayList answers.
    assertThat(lookups.describe(List.of(1, 2))).isEqualTo("ArrayList [1, 2]");

    assertThat(target.calls).hasSize(2);
  }

  @Test
  void arrayArgument_isKeyedByContent_snapshotAtTheCall() {
    var values = new int[] {1, 2, 3};
    assertThat(lookups.sum(values)).isEqualTo(6);
    assertThat(lookups.sum(new int[] {1, 2, 3})).isEqualTo(6);

    values[0] = 10;

    assertThat(lookups.sum(values)).isEqualTo(15);
    assertThat(lookups.sum(new int[] {1, 2, 3})).isEqualTo(6);
    assertThat(target.calls).containsExactly("sum [1, 2, 3]", "sum [10, 2, 3]");
  }

  @Test
  void severalKeyParameters_areMatchedByName_whateverTheirOrderInTheInvalidatingMethod() {
    lookups.price("apple", "session 1", "EUR");
    lookups.price("apple", "session 2", "USD");
    lookups.price("apple", "session 3", "EUR");
    assertThat(target.calls).hasSize(2);

    lookups.setPrice("EUR", "apple", 120);

    assertThat(lookups.price("apple", "session 4", "EUR")).isEqualTo("120 EUR");
    assertThat(lookups.price("apple", "session 4", "USD")).isEqualTo("0 USD");
    assertThat(target.calls)
        .containsExactly("price apple EUR", "price apple USD", "price apple EUR");
  }

  @Test
  void checkedExceptionDeclaredByTheMethod_arrivesAsTheTargetThrewIt_andIsNotCached() {
    var failure = new IOException("not found");
    target.loadFailure = failure;

    assertThatThrownBy(() -> lookups.load("k")).isSameAs(failure);
    assertThatThrownBy(() -> lookups.load("k")).isSameAs(failure);
    assertThat(target.calls).containsExactly("load k", "load k");
    assertThat(CachingProxy.stats(lookups, "load").loadFailureCount()).isEqualTo(2);
  }

  @Test
  void uncheckedExceptionAndError_arriveAsTheTargetThrewThem() {
    var unchecked = new IllegalArgumentException("bad key");
    target.loadFailure = unchecked;
    assertThatThrownBy(() -> lookups.load("k")).isSameAs(unchecked);

    var error = new StackOverflowError("deep");
    target.loadFailure = error;
    assertThatThrownBy(() -> lookups.load("k")).isSameAs(error);
  }

  @Test
  void cacheLoadExceptionThrownByTheTarget_isNotMistakenForTheCachesOwn() {
    var own = new CacheLoadException("the target's own", new IOException("inner"));
    target.loadFailure = own;

    assertThatThrownBy(() -> lookups.load("k")).isSameAs(own);
  }

  interface Repository<T> {
    T find(long id);

    void save(long id, T value);
  }

  interface Names extends Repository<String> {
    @Cached
    @Override
    String find(long id);

    @Invalidates(value = "find", keys = "id")
    @Override
    void save(long id, String value);
  }

  static final class NameStore implements Names {
    final Map<Long, String> names = new ConcurrentHashMap<>();
    int finds;

    @Override
    public String find(long id) {
      finds++;
      return names.getOrDefault(id, "nobody");
    }

    @Override
    public void save(long id, String value) {
      names.put(id, value);
    }
  }

  @Test
  void callsThroughAGenericSuperInterface_areCachedAndInvalidateLikeDirectOnes() {
    var store = new NameStore();
    Names names = CachingProxy.of(Names.class, store);
    Repository<String> repository = names;

    assertThat(repository.find(1)).isEqualTo("nobody");
    assertThat(names.find(1)).isEqualTo("nobody");
    assertThat(store.finds).isEqualTo(1);

    repository.save(1, "ada");

    assertThat(repository.find(1)).isEqualTo("ada");
    assertThat(names.find(1)).isEqualTo("ada");
    assertThat(store.finds).isEqualTo(2);
  }
}
