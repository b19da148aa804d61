package dev.loomcache;

import static dev.loomcache.CachingProxyMisconfigurationTest.assertRejected;
import static dev.loomcache.CachingProxyMisconfigurationTest.build;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Misconfigured {@link Invalidates}, {@link KeyIgnore} and {@link ParamName} fail when the proxy is
 * built, with a message naming the method.
 */
class CachingProxyInvalidatesMisconfigurationTest {

  interface UnknownCachedMethod {
    @Cached
    String findUser(long id);

    @Invalidates("findUsr")
    void rename(long id, String name);
  }

  @Test
  void invalidatesAnUnknownMethod() {
    assertRejected(UnknownCachedMethod.class)
        .hasMessage(
            "UnknownCachedMethod.rename(long, String): @Invalidates(value = \"findUsr\"):"
                + " UnknownCachedMethod has no @Cached method named 'findUsr'; cached methods:"
                + " [findUser]");
  }

  interface InvalidatesAnUncachedMethod {
    String findUser(long id);

    @Invalidates("findUser")
    void rename(long id, String name);
  }

  @Test
  void invalidatesAMethodThatIsNotCached() {
    assertRejected(InvalidatesAnUncachedMethod.class)
        .hasMessageStartingWith("InvalidatesAnUncachedMethod.rename(long, String):")
        .hasMessageEndingWith("has no @Cached method named 'findUser'; cached methods: []");
  }

  interface UnknownParameter {
    @Cached
    String findUser(long id);

    @Invalidates(value = "findUser", keys = "userId")
    void rename(long id, String name);
  }

  @Test
  void invalidatesWithAParameterNameThatDoesNotExist() {
    assertRejected(UnknownParameter.class)
        .hasMessage(
            "UnknownParameter.rename(long, String): @Invalidates(value = \"findUser\", keys ="
                + " \"userId\"): no parameter named 'userId'; parameters: (id, name)");
  }

  interface WrongKeyCount {
    @Cached
    String price(String sku, @KeyIgnore Object session, String currency);

    @Invalidates(value = "price", keys = "sku")
    void setPrice(String sku, String currency, long cents);
  }

  @Test
  void invalidatesWithFewerKeysThanTheCachedMethodHas() {
    assertRejected(WrongKeyCount.class)
        .hasMessage(
            "WrongKeyCount.setPrice(String, String, long): @Invalidates(value = \"price\", keys ="
                + " \"sku\"): the key of WrongKeyCount.price(String, Object, String) has 2"
                + " parameter(s) (sku, currency), but keys names 1");
  }

  interface WrongKeyType {
    @Cached
    String findUser(long id);

    @Invalidates(value = "findUser", keys = "id")
    void rename(int id, String name);
  }

  @Test
  void invalidatesWithAParameterThatCanNeverEqualTheKey() {
    assertRejected(WrongKeyType.class)
        .hasMessage(
            "WrongKeyType.rename(int, String): @Invalidates(value = \"findUser\", keys = \"id\"):"
                + " parameter 'id' has type int, but key parameter 1 of WrongKeyType.findUser(long)"
                + " has type long, so they can never be equal keys");
  }

  interface CompatibleKeyTypes {
    @Cached
    String describe(Object value);

    @Cached
    String findUser(long id);

    @Invalidates(value = "describe", keys = "id")
    @Invalidates(value = "findUser", keys = "id")
    void touch(Long id);
  }

  @Test
  void invalidatesWithABoxedOrNarrowerParameter_isAccepted() {
    assertThat(build(CompatibleKeyTypes.class)).isNotNull();
  }

  interface KeyIgnoreOutsideCached {
    @Cached
    String findUser(long id);

    @Invalidates("findUser")
    void rename(long id, @KeyIgnore String name);
  }

  @Test
  void keyIgnoreOnAMethodThatIsNotCached() {
    assertRejected(KeyIgnoreOutsideCached.class)
        .hasMessage(
            "KeyIgnoreOutsideCached.rename(long, String): @KeyIgnore on parameter 'name', but only"
                + " parameters of @Cached methods can be left out of a key");
  }

  interface CachedAndInvalidates {
    @Cached
    String findUser(long id);

    @Cached
    @Invalidates("findUser")
    String findAndForget(long id);
  }

  @Test
  void cachedAndInvalidatesOnOneMethod() {
    assertRejected(CachedAndInvalidates.class)
        .hasMessage(
            "CachedAndInvalidates.findAndForget(long): @Cached and @Invalidates on one method: a"
                + " method either reads through its cache or invalidates one, not both");
  }

  interface BlankParamName {
    @Cached
    String findUser(long id);

    @Invalidates(value = "findUser", keys = "id")
    void rename(@ParamName(" ") long id);
  }

  interface DuplicateParamName {
    @Cached
    String findUser(long id);

    @Invalidates(value = "findUser", keys = "id")
    void rename(long id, @ParamName("id") long other);
  }

  @Test
  void paramNameBlankOrDuplicate() {
    assertRejected(BlankParamName.class)
        .hasMessage("BlankParamName.rename(long): @ParamName on parameter 1 is blank");
    assertRejected(DuplicateParamName.class)
        .hasMessage(
            "DuplicateParamName.rename(long, long): parameters 1 and 2 are both named 'id'");
  }
}
