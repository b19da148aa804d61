package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.DocSnippets;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.ToolProvider;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Invalidates#keys()} on an interface compiled without {@code -parameters} (the build
 * compiles everything with it, so this test compiles its interfaces itself).
 */
class CachingProxyParameterNamesTest {
  @TempDir Path dir;
  private @Nullable URLClassLoader loader;

  @AfterEach
  void closeLoader() throws IOException {
    if (loader != null) {
      loader.close();
    }
  }

  private Class<?> compileWithoutParameterNames(String name, String body) throws Exception {
    Path source = dir.resolve("gen/" + name + ".java");
    Files.createDirectories(source.getParent());
    Files.writeString(
        source,
        """
        package gen;

        import dev.loomcache.Cached;
        import dev.loomcache.Invalidates;
        import dev.loomcache.KeyIgnore;
        import dev.loomcache.ParamName;

        public interface %s {
        %s
        }
        """
            .formatted(name, body));
    var compiler = ToolProvider.getSystemJavaCompiler();
    int status =
        compiler.run(
            null,
            null,
            null,
            List.of(
                    "-proc:none",
                    "-classpath",
                    System.getProperty("java.class.path"),
                    "-d",
                    dir.toString(),
                    source.toString())
                .toArray(String[]::new));
    assertThat(status).as("javac exit status").isZero();
    loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    Class<?> iface = loader.loadClass("gen." + name);
    assertThat(iface.getMethods()[0].getParameters()[0].isNamePresent()).isFalse();
    return iface;
  }

  /** An account store behind {@code iface}: balance(long) and deposit(long, long). */
  private static Object accounts(Class<?> iface, Map<Long, Long> balances, AtomicInteger reads) {
    return Proxy.newProxyInstance(
        iface.getClassLoader(),
        new Class<?>[] {iface},
        (proxy, method, args) ->
            switch (method.getName()) {
              case "balance" -> {
                reads.incrementAndGet();
                yield balances.getOrDefault((Long) args[0], 0L);
              }
              case "deposit" -> {
                balances.merge((Long) args[0], (Long) args[1], Long::sum);
                yield null;
              }
              default -> throw new UnsupportedOperationException(method.toString());
            });
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<?> iface, Object target) {
    return (T) CachingProxy.of((Class<Object>) iface, target);
  }

  @Test
  void keysByCompiledName_withoutParameterNames_failsWithAHint() throws Exception {
    Class<?> iface =
        compileWithoutParameterNames(
            "Accounts",
            """
              @Cached
              long balance(long account);

              @Invalidates(value = "balance", keys = "account")
              void deposit(long account, long cents);
            """);
    Object target = accounts(iface, new ConcurrentHashMap<>(), new AtomicInteger());

    assertThatThrownBy(() -> proxy(iface, target))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Accounts.deposit(long, long): @Invalidates(value = \"balance\", keys ="
                + " \"account\"): no parameter named 'account'; parameters: (arg0, arg1) (the"
                + " interface was compiled without -parameters, so its parameter names are lost:"
                + " annotate the parameter with @ParamName(\"account\"), or compile the interface with"
                + " javac -parameters; in Maven, <parameters>true</parameters> in the"
                + " maven-compiler-plugin configuration)");
  }

  @Test
  void keysByParamName_withoutParameterNames_invalidateTheEntry() throws Exception {
    Class<?> iface =
        compileWithoutParameterNames(
            "NamedAccounts",
            """
              @Cached
              long balance(long account);

              @Invalidates(value = "balance", keys = "account")
              void deposit(@ParamName("account") long account, long cents);
            """);
    var balances = new ConcurrentHashMap<Long, Long>();
    var reads = new AtomicInteger();
    Object proxy = proxy(iface, accounts(iface, balances, reads));
    Method balance = iface.getMethod("balance", long.class);
    Method deposit = iface.getMethod("deposit", long.class, long.class);

    assertThat(balance.invoke(proxy, 7L)).isEqualTo(0L);
    assertThat(balance.invoke(proxy, 7L)).isEqualTo(0L);
    deposit.invoke(proxy, 7L, 250L);

    assertThat(balance.invoke(proxy, 7L)).isEqualTo(250L);
    assertThat(reads).hasValue(2);
  }

  /**
   * ReadmeExamplesTest's service interface as a consumer compiles it (no {@code -parameters}): it
   * used to fail with "no parameter named 'id'; parameters: (arg0, arg1)", because only this
   * project's build passes {@code -parameters}.
   */
  @Test
  void readmeServiceInterface_compiledWithoutParameterNames_cachesAndInvalidates()
      throws Exception {
    // The methods of ReadmeExamplesTest's service interface, as a consumer's build would see them.
    String methods = DocSnippets.ofTest(ReadmeExamplesTest.class).region("service-methods");
    Class<?> iface =
        compileWithoutParameterNames(
            "UserService",
            methods
                + """

                  record User(long id) {}

                  record RequestContext(String traceId) {}
                """);
    var userType = loader().loadClass("gen.UserService$User");
    var contextType = loader().loadClass("gen.UserService$RequestContext");
    var finds = new AtomicInteger();
    Object target =
        Proxy.newProxyInstance(
            iface.getClassLoader(),
            new Class<?>[] {iface},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "find" -> {
                    finds.incrementAndGet();
                    yield userType.getDeclaredConstructor(long.class).newInstance(args[0]);
                  }
                  case "rename" -> null;
                  default -> throw new UnsupportedOperationException(method.toString());
                });

    Object service = proxy(iface, target);
    Method find = iface.getMethod("find", long.class, contextType);
    Method rename = iface.getMethod("rename", long.class, String.class);
    Object context = contextType.getDeclaredConstructor(String.class).newInstance("trace");
    find.invoke(service, 7L, context);
    find.invoke(service, 7L, context);
    assertThat(finds).as("the second find is a hit").hasValue(1);
    rename.invoke(service, 7L, "Ada");
    find.invoke(service, 7L, context);
    assertThat(finds).as("rename invalidated find(7)").hasValue(2);
  }

  private URLClassLoader loader() {
    if (loader == null) {
      throw new IllegalStateException("nothing compiled yet");
    }
    return loader;
  }
}
