package dev.loomcache.internal.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.internal.FanOut;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scoped-context contract, run against both implementations: the Java 25 one (a {@code
 * ScopedValue}, from {@code META-INF/versions/25}) and the Java 21 one (an inheritable
 * thread-local). Surefire runs this class without and with preview enabled; with preview, fan-out
 * forks are {@code StructuredTaskScope} subtasks, which both implementations must follow.
 */
class ScopedContextTest {
  static final boolean PREVIEW = Boolean.getBoolean("loomcache.test.preview");
  static final String FORCED = System.getProperty(ScopedContexts.PROPERTY, "");

  static Stream<ScopedContext.Factory> factories() {
    return Stream.of(ScopedContexts.scopedValue().orElseThrow(), ScopedContexts.inheritable());
  }

  @Test
  void selected_onJava25_isTheScopedValue_unlessForced() {
    // The test class path holds META-INF/versions/25 as a Java 25 runtime sees it in the jar.
    assertThat(ScopedContexts.selected().name())
        .isEqualTo(FORCED.isEmpty() ? ScopedContexts.SCOPED_VALUE : FORCED);
  }

  @Test
  void select_property_picksOrRejects() {
    assertThat(ScopedContexts.select("").name()).isEqualTo(ScopedContexts.SCOPED_VALUE);
    assertThat(ScopedContexts.select(ScopedContexts.INHERITABLE).name())
        .isEqualTo(ScopedContexts.INHERITABLE);
    assertThat(ScopedContexts.select(ScopedContexts.SCOPED_VALUE).name())
        .isEqualTo(ScopedContexts.SCOPED_VALUE);
    assertThatThrownBy(() -> ScopedContexts.select("threadlocal"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Unknown loomcache.scopedContext 'threadlocal'")
        .hasMessageContaining(ScopedContexts.SCOPED_VALUE)
        .hasMessageContaining(ScopedContexts.INHERITABLE);
  }

  @ParameterizedTest
  @MethodSource("factories")
  void call_bindsForTheCall_andRestoresAfter(ScopedContext.Factory factory) {
    ScopedContext<String> context = factory.create();
    assertThat(context.isBound()).isFalse();
    assertThat(context.orNull()).isNull();

    String inside =
        context.call(
            "a",
            () -> {
              assertThat(context.isBound()).isTrue();
              String nested = context.call("b", context::orNull);
              assertThat(nested).isEqualTo("b");
              return context.orNull();
            });

    assertThat(inside).isEqualTo("a");
    assertThat(context.isBound()).isFalse();
  }

  @ParameterizedTest
  @MethodSource("factories")
  void call_restoresTheOuterBinding_whenTheInnerCallThrows(ScopedContext.Factory factory) {
    ScopedContext<String> context = factory.create();
    var seenAfter = new AtomicReference<@Nullable String>();

    context.run(
        "outer",
        () -> {
          assertThatThrownBy(() ->
                  context.call(
                      "inner",
                      () -> {
                        throw new IllegalStateException("boom");
                      }))
              .isInstanceOf(IllegalStateException.class)
              .hasMessage("boom");
          seenAfter.set(context.orNull());
        });

    assertThat(seenAfter.get()).isEqualTo("outer");
    assertThat(context.isBound()).isFalse();
  }

  @ParameterizedTest
  @MethodSource("factories")
  void call_passesCheckedExceptionsThroughUnchanged(ScopedContext.Factory factory) {
    ScopedContext<String> context = factory.create();
    var checked = new Exception("checked");
    assertThatThrownBy(() ->
            context.call(
                "a",
                () -> {
                  throw checked;
                }))
        .isSameAs(checked);
  }

  @ParameterizedTest
  @MethodSource("factories")
  void contexts_areIndependent(ScopedContext.Factory factory) {
    ScopedContext<String> one = factory.create();
    ScopedContext<String> two = factory.create();
    one.run("1", () -> assertThat(two.isBound()).isFalse());
  }

  @ParameterizedTest
  @MethodSource("factories")
  void binding_isNotSeenByAThreadOutsideTheCall(ScopedContext.Factory factory) throws Exception {
    ScopedContext<String> context = factory.create();
    var outsiderMayLook = new CountDownLatch(1);
    var seen = new AtomicReference<@Nullable String>("not looked");
    Thread outsider =
        Thread.ofVirtual()
            .start(() -> {
              await(outsiderMayLook);
              seen.set(context.orNull());
            });

    context.run(
        "mine",
        () -> {
          outsiderMayLook.countDown();
          join(outsider);
        });

    assertThat(seen.get()).isNull();
  }

  @ParameterizedTest
  @MethodSource("factories")
  void binding_followsFanOutForks_whenTheyAreStructured(ScopedContext.Factory factory)
      throws Exception {
    ScopedContext<String> context = factory.create();
    var tasks = new ArrayList<Callable<@Nullable String>>();
    for (int i = 0; i < 8; i++) {
      tasks.add(context::orNull);
    }

    List<FanOut.Outcome<@Nullable String>> outcomes =
        context.call("request-1", () -> FanOut.get().runAll(tasks, 4, false));

    // StructuredTaskScope forks (preview run) see both; executor threads see only the
    // inheritable one, which follows every thread started inside the call.
    boolean follows = PREVIEW || factory.name().equals(ScopedContexts.INHERITABLE);
    for (var outcome : outcomes) {
      assertThat(outcome.value()).isEqualTo(follows ? "request-1" : null);
    }
  }

  @Test
  void inheritable_followsThreadsStartedInside_butNotAfterTheCallReturns() throws Exception {
    ScopedContext<String> context = ScopedContexts.inheritable().create();
    var duringCall = new AtomicReference<@Nullable String>();
    var afterCall = new AtomicReference<@Nullable String>("not looked");
    var callReturned = new CountDownLatch(1);
    var lookedDuring = new CountDownLatch(1);
    var child = new AtomicReference<Thread>();

    context.run(
        "request-2",
        () -> {
          child.set(
              Thread.ofVirtual()
                  .start(() -> {
                    duringCall.set(context.orNull());
                    lookedDuring.countDown();
                    await(callReturned);
                    afterCall.set(context.orNull());
                  }));
          await(lookedDuring); // the child looks while the call still runs
        });
    callReturned.countDown();
    join(child.get());

    assertThat(duringCall.get()).isEqualTo("request-2");
    assertThat(afterCall.get()).as("a thread that outlives the call").isNull();
  }

  @Test
  void inheritable_outlivingThread_seesTheStillOpenOuterBinding() throws Exception {
    ScopedContext<String> context = ScopedContexts.inheritable().create();
    var afterInner = new AtomicReference<@Nullable String>();
    var innerReturned = new CountDownLatch(1);

    context.run(
        "outer",
        () -> {
          var child = new AtomicReference<Thread>();
          context.run(
              "inner",
              () ->
                  child.set(
                      Thread.ofVirtual()
                          .start(() -> {
                            await(innerReturned);
                            afterInner.set(context.orNull());
                          })));
          innerReturned.countDown();
          join(child.get());
        });

    assertThat(afterInner.get()).isEqualTo("outer");
  }

  @Test
  void scopedValue_isNotSeenByAPlainThreadStartedInside() throws Exception {
    // The documented difference: on Java 25 only StructuredTaskScope forks inherit a binding.
    ScopedContext<String> context = ScopedContexts.scopedValue().orElseThrow().create();
    var seen = new AtomicReference<@Nullable String>("not looked");
    context.run(
        "request-3", () -> join(Thread.ofVirtual().start(() -> seen.set(context.orNull()))));
    assertThat(seen.get()).isNull();
  }

  @ParameterizedTest
  @MethodSource("factories")
  void call_rejectsNull(ScopedContext.Factory factory) {
    ScopedContext<String> context = factory.create();
    @SuppressWarnings("NullAway")
    Runnable bindNull = () -> context.run(nullString(), () -> {});
    assertThatThrownBy(bindNull::run).isInstanceOf(NullPointerException.class);
  }

  @SuppressWarnings({"NullAway", "DataFlowIssue"})
  private static String nullString() {
    return null;
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void join(Thread thread) {
    try {
      if (!thread.join(java.time.Duration.ofSeconds(30))) {
        throw new AssertionError(thread + " did not finish within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
