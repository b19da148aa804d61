package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcache.testsupport.Concurrently;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link CachedFunction} under many virtual threads: the core's single flight, per argument. */
class CachedFunctionConcurrencyTest {

  /**
   * Opens {@code release} once {@code callers} callers are parked on the run for {@code argument}.
   */
  static <A> void releaseWhenParked(
      CachedFunction<A, ?> fn, A argument, int callers, CountDownLatch release) {
    var local = (LocalCachedFunction<A, ?>) fn;
    Thread.ofVirtual()
        .start(() -> {
          Concurrently.awaitUntil(
              Duration.ofSeconds(30),
              callers + " callers park",
              () -> local.parkedCount(argument) == callers);
          release.countDown();
        });
  }

  @ParameterizedTest(name = "{0} callers")
  @ValueSource(ints = {10, 1_000, 10_000})
  void apply_concurrentEqualCalls_runTheFunctionOnce(int callers) throws Exception {
    var runs = new AtomicInteger();
    var release = new CountDownLatch(1);
    CachedFunction<String, String> fn =
        Loomcache.newBuilder()
            .buildFunction(s -> {
              runs.incrementAndGet();
              release.await();
              return s + "-" + runs.get();
            });
    // The first caller starts the run and holds it; the others then overlap it.
    var first = Thread.ofVirtual().start(() -> fn.apply("hot"));
    Concurrently.awaitUntil(Duration.ofSeconds(10), "the first run starts", () -> runs.get() == 1);

    releaseWhenParked(fn, "hot", callers, release);

    var results = Concurrently.run(callers, Duration.ofSeconds(60), i -> () -> fn.apply("hot"));
    first.join();

    assertThat(runs).hasValue(1);
    assertThat(results).allSatisfy(r -> assertThat(r.value()).isEqualTo("hot-1"));
    assertThat(fn.stats().coalescedCount()).isEqualTo(callers);
  }

  @Test
  void apply_differentArguments_runInParallel() throws Exception {
    int arguments = 50;
    // Every run waits until all of them have started: only parallel runs can get past it.
    var allStarted = new CountDownLatch(arguments);
    CachedFunction<Integer, Integer> fn =
        Loomcache.newBuilder()
            .buildFunction(n -> {
              allStarted.countDown();
              allStarted.await();
              return n * 2;
            });

    var results = Concurrently.run(arguments, Duration.ofSeconds(30), i -> () -> fn.apply(i));

    for (int i = 0; i < arguments; i++) {
      assertThat(results.get(i).value()).isEqualTo(i * 2);
    }
    assertThat(fn.stats().loadCount()).isEqualTo(arguments);
  }

  @Test
  void apply_failingRun_failsEveryConcurrentCaller_andTheNextCallRunsAgain() throws Exception {
    var runs = new AtomicInteger();
    var release = new CountDownLatch(1);
    var failure = new IOException("database down");
    CachedFunction<String, String> fn =
        Loomcache.newBuilder()
            .buildFunction(s -> {
              if (runs.incrementAndGet() == 1) {
                release.await();
                throw failure;
              }
              return "recovered";
            });
    var ownerFailure = new AtomicReference<Throwable>();
    var owner =
        Thread.ofVirtual()
            .start(() -> {
              try {
                fn.apply("k");
              } catch (CacheLoadException e) {
                ownerFailure.set(e.getCause());
              }
            });
    Concurrently.awaitUntil(Duration.ofSeconds(10), "the run starts", () -> runs.get() == 1);

    releaseWhenParked(fn, "k", 20, release);

    var results = Concurrently.run(20, Duration.ofSeconds(30), i -> () -> fn.apply("k"));
    owner.join();

    assertThat(ownerFailure).hasValue(failure);
    assertThat(results)
        .allSatisfy(
            r -> assertThat(r.failure()).isInstanceOf(CacheLoadException.class).hasCause(failure));
    assertThat(fn.apply("k")).isEqualTo("recovered");
    assertThat(runs).hasValue(2);
  }

  @Test
  void invalidate_duringARun_theRunDoesNotCacheItsStaleResult() throws Exception {
    var source = new AtomicReference<>("v1");
    var started = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    CachedFunction<String, String> fn =
        Loomcache.newBuilder()
            .buildFunction(s -> {
              String value = source.get();
              if (value.equals("v1")) {
                started.countDown();
                release.await();
              }
              return value;
            });
    var stale = new AtomicReference<String>();
    var reader = Thread.ofVirtual().start(() -> stale.set(fn.apply("k")));
    started.await();

    fn.invalidate("k");
    source.set("v2");
    release.countDown();
    reader.join();

    assertThat(stale).hasValue("v1");
    assertThat(fn.apply("k")).isEqualTo("v2");
  }
}
