package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * Every misconfiguration fails when the proxy is built, with a message naming the method; none
 * waits for the first call. This file: {@link Cached}, and what a proxy cannot implement; {@link
 * CachingProxyInvalidatesMisconfigurationTest}: {@link Invalidates} and parameters.
 */
class CachingProxyMisconfigurationTest {

  /** A target for any interface: every method returns null. */
  @SuppressWarnings("unchecked")
  static <T> T anyTarget(Class<T> iface) {
    return (T)
        Proxy.newProxyInstance(
            iface.getClassLoader(), new Class<?>[] {iface}, (proxy, method, args) -> null);
  }

  static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(Class<?> iface) {
    return assertThatThrownBy(() -> build(iface)).isInstanceOf(IllegalArgumentException.class);
  }

  static <T> T build(Class<T> iface) {
    return CachingProxy.of(iface, anyTarget(iface));
  }

  interface BadTtl {
    @Cached(ttl = "5 minutes")
    String findUser(long id);
  }

  interface ZeroTtl {
    @Cached(ttl = "0s")
    String findUser(long id);
  }

  interface MonthsTtl {
    @Cached(ttl = "5M")
    String findUser(long id);
  }

  @Test
  void cachedWithABadTtl() {
    assertRejected(BadTtl.class)
        .hasMessage(
            "BadTtl.findUser(long): @Cached(ttl = \"5 minutes\"): \"5 minutes\" is not a duration;"
                + " use an ISO-8601 duration (PT30S, P1D) or a whole number with one unit of ms, s,"
                + " m, h, d (500ms, 30s, 5m, 2h, 1d)");
    assertRejected(ZeroTtl.class)
        .hasMessage(
            "ZeroTtl.findUser(long): @Cached(ttl = \"0s\"): \"0s\" is not a positive duration");
    assertRejected(MonthsTtl.class)
        .hasMessageStartingWith("MonthsTtl.findUser(long): @Cached(ttl = \"5M\"): \"5M\" is not");
  }

  interface VoidCached {
    @Cached
    void refresh(long id);
  }

  interface BoxedVoidCached {
    @Cached
    Void refresh(long id);
  }

  @Test
  void cachedOnAVoidMethod() {
    assertRejected(VoidCached.class)
        .hasMessage(
            "VoidCached.refresh(long): @Cached on a method that returns void: there is no result to"
                + " cache");
    assertRejected(BoxedVoidCached.class)
        .hasMessageStartingWith(
            "BoxedVoidCached.refresh(long): @Cached on a method that returns Void");
  }

  interface NegativeSize {
    @Cached(maximumSize = -1)
    String findUser(long id);
  }

  interface BlankName {
    @Cached(name = " ")
    String findUser(long id);
  }

  @Test
  void cachedWithANegativeSizeOrABlankName() {
    assertRejected(NegativeSize.class)
        .hasMessage("NegativeSize.findUser(long): @Cached(maximumSize = -1): must not be negative");
    assertRejected(BlankName.class)
        .hasMessageStartingWith(
            "BlankName.findUser(long): @Cached(name = \" \"): a name must not be blank");
  }

  interface UnnamedOverloads {
    @Cached
    String find(long id);

    @Cached
    String find(String name);
  }

  interface SameExplicitName {
    @Cached(name = "users")
    String findUser(long id);

    @Cached(name = "users")
    String findByEmail(String email);
  }

  @Test
  void twoCachedMethodsWithOneName() {
    assertRejected(UnnamedOverloads.class)
        .hasMessageContaining("@Cached name 'find' is also the name of UnnamedOverloads.find(")
        .hasMessageEndingWith("give each cached method a distinct @Cached(name = ...)");
    assertRejected(SameExplicitName.class)
        .hasMessageContaining("@Cached name 'users' is also the name of SameExplicitName.find");
  }

  interface NamedOverloads {
    @Cached(name = "findById")
    String find(long id);

    @Cached(name = "findByName")
    String find(String name);

    @Invalidates(value = "findById", keys = "id")
    void rename(long id, String name);
  }

  @Test
  void overloadsWithDistinctNames_areAccepted_andReferredToByName() {
    var target =
        new NamedOverloads() {
          int calls;

          @Override
          public String find(long id) {
            return "by id " + id + " #" + ++calls;
          }

          @Override
          public String find(String name) {
            return "by name " + name + " #" + ++calls;
          }

          @Override
          public void rename(long id, String name) {}
        };
    NamedOverloads proxy = CachingProxy.of(NamedOverloads.class, target);

    assertThat(proxy.find(1)).isEqualTo("by id 1 #1");
    assertThat(proxy.find("ada")).isEqualTo("by name ada #2");
    proxy.rename(1, "grace");
    assertThat(proxy.find(1)).isEqualTo("by id 1 #3");
    assertThat(proxy.find("ada")).isEqualTo("by name ada #2");
    assertThat(CachingProxy.stats(proxy, "findByName").hitCount()).isEqualTo(1);
  }

  interface AnnotatedStatic {
    @Cached
    static String helper(long id) {
      return "x" + id;
    }

    String findUser(long id);
  }

  interface AnnotatedPrivate {
    default String findUser(long id) {
      return helper(id);
    }

    @Cached
    private String helper(long id) {
      return "x" + id;
    }
  }

  @Test
  void annotationsOnMethodsAProxyNeverSees() {
    assertRejected(AnnotatedStatic.class)
        .hasMessage(
            "AnnotatedStatic.helper(long): annotated, but static methods are never called through a"
                + " proxy");
    assertRejected(AnnotatedPrivate.class)
        .hasMessage(
            "AnnotatedPrivate.helper(long): annotated, but private methods are never called through"
                + " a proxy");
  }

  interface Left {
    @Cached
    String find(long id);
  }

  interface Right {
    String find(long id);
  }

  interface Diamond extends Left, Right {}

  @Test
  void annotatedMethodInheritedTwice() {
    assertRejected(Diamond.class)
        .hasMessage(
            "Left.find(long): declared in Left and Right with annotations; redeclare it in Diamond"
                + " with the annotations it should have");
  }

  interface CachedToString {
    @Cached
    @Override
    String toString();
  }

  @Test
  void cachedObjectMethod() {
    assertRejected(CachedToString.class)
        .hasMessage(
            "CachedToString.toString(): @Cached on an Object method: equals, hashCode and toString"
                + " always go to the target");
  }

  interface CachedThenBroken {
    @Cached
    String findUser(long id);

    @Invalidates("nothing")
    void rename(long id, String name);
  }

  @Test
  void rejectedProxy_leavesNoMetersBehind() {
    var registry = new SimpleMeterRegistry();
    var builder =
        CachingProxy.newBuilder(CachedThenBroken.class, anyTarget(CachedThenBroken.class))
            .meterRegistry(registry);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no @Cached method named 'nothing'");
    assertThat(registry.getMeters()).isEmpty();
  }

  record Hidden(String value) {}

  public interface PublicWithHiddenTypes {
    @Cached
    Hidden find(long id);
  }

  interface PackagePrivateWithHiddenTypes {
    @Cached
    Hidden find(long id);
  }

  @Test
  void publicInterfaceWithAPackagePrivateTypeInASignature() {
    assertRejected(PublicWithHiddenTypes.class)
        .hasMessage(
            "PublicWithHiddenTypes.find(long): uses dev.loomcache.CachingProxyMisconfigurationTest$Hidden,"
                + " which is not public, but the proxy class of a public interface can only reach"
                + " public types; make Hidden public, or PublicWithHiddenTypes package-private");
    PackagePrivateWithHiddenTypes proxy =
        CachingProxy.of(PackagePrivateWithHiddenTypes.class, id -> new Hidden("h" + id));
    assertThat(proxy.find(1)).isSameAs(proxy.find(1)).isEqualTo(new Hidden("h1"));
  }

  sealed interface Shape permits Circle {
    @Cached
    double area();
  }

  record Circle(double radius) implements Shape {
    @Override
    public double area() {
      return Math.PI * radius * radius;
    }
  }

  abstract static class NotAnInterface {}

  @Test
  void typesAProxyCannotImplement() {
    assertThatThrownBy(() -> CachingProxy.of(Shape.class, new Circle(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Shape is sealed");
    assertThatThrownBy(() -> CachingProxy.of(NotAnInterface.class, new NotAnInterface() {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("NotAnInterface is not an interface");
    assertThatThrownBy(() -> CachingProxy.of(Cached.class, anyTarget(Cached.class)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dev.loomcache.Cached is not an interface");
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aTargetThatDoesNotImplementTheInterface() {
    Class raw = VoidCached.class;
    assertThatThrownBy(() -> CachingProxy.of(raw, "not a service"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("The target, a java.lang.String, does not implement");
  }
}
