package dev.loomcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.testsupport.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@link CachedFunction}: one run per distinct argument, invalidation, failures, TTL, stats. */
class CachedFunctionTest {
  private final List<Object> calls = new ArrayList<>();

  private String describe(Object argument) {
    synchronized (calls) {
      calls.add(argument);
    }
    return "value of " + argument;
  }

  @Test
  void apply_runsOncePerDistinctArgument() {
    CachedFunction<String, String> fn = Loomcache.newBuilder().buildFunction(this::describe);

    assertThat(fn.apply("a")).isEqualTo("value of a");
    assertThat(fn.apply("b")).isEqualTo("value of b");
    assertThat(fn.apply("a")).isEqualTo("value of a");
    assertThat(fn.apply("b")).isEqualTo("value of b");

    assertThat(calls).containsExactly("a", "b");
  }

  @Test
  void stats_missThenHit_countsBoth() {
    CachedFunction<Integer, String> fn = Loomcache.newBuilder().buildFunction(this::describe);
    assertThat(fn.stats().hitRate()).isEqualTo(0.0);

    fn.apply(1);
    fn.apply(1);

    CacheStats stats = fn.stats();
    assertThat(stats.hitCount()).isEqualTo(1);
    assertThat(stats.missCount()).isEqualTo(1);
    assertThat(stats.loadCount()).isEqualTo(1);
    assertThat(stats.hitRate()).isEqualTo(0.5);
  }

  @Test
  void invalidate_forcesTheNextCallToRunAgain_forThatArgumentOnly() {
    CachedFunction<String, String> fn = Loomcache.newBuilder().buildFunction(this::describe);
    fn.apply("a");
    fn.apply("b");

    fn.invalidate("a");
    fn.apply("a");
    fn.apply("b");

    assertThat(calls).containsExactly("a", "b", "a");
  }

  @Test
  void invalidate_ofAnArgumentNeverSeen_isANoOp() {
    CachedFunction<String, String> fn = Loomcache.newBuilder().buildFunction(this::describe);
    fn.invalidate("never");
    assertThat(fn.apply("never")).isEqualTo("value of never");
  }

  @Test
  void invalidateAll_clearsEveryArgument_butKeepsStatistics() {
    CachedFunction<String, String> fn = Loomcache.newBuilder().buildFunction(this::describe);
    fn.apply("a");
    fn.apply("b");
    fn.apply("a");

    fn.invalidateAll();
    fn.apply("a");
    fn.apply("b");

    assertThat(calls).containsExactly("a", "b", "a", "b");
    assertThat(fn.stats().hitCount()).isEqualTo(1);
    assertThat(fn.stats().missCount()).isEqualTo(4);
  }

  @Test
  void apply_nullArgument_isCachedUnderAKeyOfItsOwn() {
    CachedFunction<String, String> fn =
        Loomcache.newBuilder().buildFunction(s -> s == null ? "none" : describe(s));
    var nullCalls = new AtomicInteger();
    CachedFunction<String, String> counting =
        Loomcache.newBuilder()
            .buildFunction(s -> {
              if (s == null) {
                nullCalls.incrementAndGet();
              }
              return String.valueOf(s);
            });

    assertThat(fn.apply(null)).isEqualTo("none");
    assertThat(counting.apply(null)).isEqualTo("null");
    assertThat(counting.apply(null)).isEqualTo("null");
    assertThat(counting.apply("null")).isEqualTo("null");
    assertThat(nullCalls).hasValue(1);

    counting.invalidate(null);
    counting.apply(null);
    assertThat(nullCalls).hasValue(2);
  }

  @Test
  void apply_nullResult_isReturnedButNotCached() {
    var runs = new AtomicInteger();
    CachedFunction<String, String> fn =
        Loomcache.newBuilder()
            .buildFunction(s -> {
              runs.incrementAndGet();
              return null;
            });

    assertThat(fn.apply("a")).isNull();
    assertThat(fn.apply("a")).isNull();
    assertThat(runs).hasValue(2);
  }

  @Test
  void apply_checkedFailure_arrivesWrappedWithItsCause_andIsNotCached() {
    var runs = new AtomicInteger();
    var failure = new IOException("disk");
    CachedFunction<String, String> fn =
        Loomcache.newBuilder()
            .buildFunction(s -> {
              if (runs.incrementAndGet() == 1) {
                throw failure;
              }
              return "ok";
            });

    assertThatThrownBy(() -> fn.apply("a"))
        .isInstanceOf(CacheLoadException.class)
        .hasCause(failure);
    assertThat(fn.apply("a")).isEqualTo("ok");
    assertThat(fn.stats().loadFailureCount()).isEqualTo(1);
  }

  @Test
  void apply_uncheckedFailure_arrivesAsItIs() {
    var failure = new IllegalStateException("boom");
    CachedFunction<String, String> fn =
        Loomcache.newBuilder()
            .buildFunction(s -> {
              throw failure;
            });

    assertThatThrownBy(() -> fn.apply("a")).isSameAs(failure);
  }

  @Test
  void apply_recursiveThroughItself_memoizesEveryStep() {
    var runs = new AtomicInteger();
    var fib =
        new Object() {
          CachedFunction<Integer, Long> fn =
              Loomcache.newBuilder()
                  .buildFunction((Integer n) -> {
                    runs.incrementAndGet();
                    return n < 2 ? (long) n : this.fn.apply(n - 1) + this.fn.apply(n - 2);
                  });
        };

    assertThat(fib.fn.apply(80)).isEqualTo(23_416_728_348_467_685L);
    assertThat(runs).hasValue(81);
  }

  @Test
  void apply_callingItselfWithTheSameArgument_failsInsteadOfDeadlocking() {
    var self =
        new Object() {
          CachedFunction<String, String> fn =
              Loomcache.newBuilder().buildFunction((String s) -> this.fn.apply(s));
        };

    assertThatThrownBy(() -> self.fn.apply("loop"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Recursive load");
  }

  @Test
  void defaultTtl_fromTheBuilder_expiresResults() {
    var ticker = new FakeTicker();
    CachedFunction<String, String> fn =
        Loomcache.newBuilder()
            .ticker(ticker::read)
            .defaultTtl(Duration.ofMinutes(5))
            .buildFunction(this::describe);

    fn.apply("a");
    ticker.advance(Duration.ofMinutes(4));
    fn.apply("a");
    ticker.advance(Duration.ofMinutes(2));
    fn.apply("a");

    assertThat(calls).containsExactly("a", "a");
  }

  @Test
  void apply_usableAsAJavaUtilFunction() {
    CachedFunction<String, String> fn = Loomcache.newBuilder().buildFunction(this::describe);

    List<String> values = Stream.of("a", "b", "a", "a").map(fn).toList();

    assertThat(values).containsExactly("value of a", "value of b", "value of a", "value of a");
    assertThat(calls).containsExactly("a", "b");
  }

  @Test
  void builder_buildsIndependentFunctions() {
    var builder = Loomcache.newBuilder().maximumSize(10);
    CachedFunction<String, String> first = builder.buildFunction(this::describe);
    CachedFunction<String, String> second = builder.buildFunction(this::describe);

    first.apply("a");
    second.apply("a");

    assertThat(calls).containsExactly("a", "a");
  }

  @Test
  void buildFunction_nullFunction_isRejected() {
    assertThatThrownBy(() -> Loomcache.newBuilder().buildFunction(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("fn must not be null");
  }
}
