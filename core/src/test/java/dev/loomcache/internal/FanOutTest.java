package dev.loomcache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fan-out contract. Surefire runs this class twice: on a JVM without preview features (where
 * {@link FanOut#get()} must be the executor fallback) and with {@code --enable-preview} (where it
 * must be the {@code StructuredTaskScope} implementation), so both implementations pass it.
 */
class FanOutTest {
  static final boolean PREVIEW = Boolean.getBoolean("loomcache.test.preview");

  static Stream<FanOut> fanOuts() {
    return Stream.of(FanOut.get(), new ExecutorFanOut());
  }

  @Test
  void get_picksStructuredOnlyWhenPreviewIsEnabled() {
    assertThat(FanOut.get().name()).isEqualTo(PREVIEW ? "structured" : "executor");
  }

  @ParameterizedTest
  @MethodSource("fanOuts")
  void runAll_returnsEveryOutcomeInTaskOrder(FanOut fanOut) throws Exception {
    var failure = new IllegalStateException("task 3");
    var tasks = new ArrayList<Callable<Integer>>();
    for (int i = 0; i < 10; i++) {
      int n = i;
      tasks.add(() -> {
        if (n == 3) {
          throw failure;
        }
        return n * n;
      });
    }

    var outcomes = fanOut.runAll(tasks, 4, false);

    assertThat(outcomes).hasSize(10);
    assertThat(outcomes.get(3).failure()).isSameAs(failure);
    assertThat(outcomes.get(9).value()).isEqualTo(81);
    assertThat(outcomes.stream().filter(FanOut.Outcome::succeeded)).hasSize(9);
  }

  @ParameterizedTest
  @MethodSource("fanOuts")
  void runAll_failFast_cancelsTheOthers_andNoTaskOutlivesTheCall(FanOut fanOut) throws Exception {
    var blockedStarted = new CountDownLatch(1);
    var blockedFinished = new AtomicBoolean();
    var failure = new IllegalStateException("boom");
    List<Callable<String>> tasks =
        List.of(
            () -> {
              blockedStarted.countDown();
              try {
                new CountDownLatch(1).await(); // until cancelled
                return "never";
              } finally {
                blockedFinished.set(true);
              }
            },
            () -> {
              blockedStarted.await();
              throw failure;
            });

    var outcomes = fanOut.runAll(tasks, 2, true);

    assertThat(blockedFinished).isTrue(); // it finished before runAll returned
    assertThat(outcomes.get(0).succeeded()).isFalse();
    assertThat(outcomes.get(1).failure()).isSameAs(failure);
  }

  @ParameterizedTest
  @MethodSource("fanOuts")
  void runAll_respectsParallelism(FanOut fanOut) throws Exception {
    var running = new AtomicInteger();
    var max = new AtomicInteger();
    var tasks = new ArrayList<Callable<Void>>();
    for (int i = 0; i < 30; i++) {
      tasks.add(() -> {
        max.accumulateAndGet(running.incrementAndGet(), Math::max);
        Thread.yield();
        running.decrementAndGet();
        return null;
      });
    }

    fanOut.runAll(tasks, 3, false);

    assertThat(max.get()).isBetween(1, 3);
  }

  @ParameterizedTest
  @MethodSource("fanOuts")
  void runAll_callerInterrupted_cancelsTasksAndThrowsAfterTheyFinish(FanOut fanOut)
      throws Exception {
    var started = new CountDownLatch(1);
    var taskFinished = new AtomicBoolean();
    var thrown = new AtomicReference<Throwable>();
    Thread caller =
        Thread.ofVirtual()
            .start(() -> {
              try {
                fanOut.runAll(
                    List.<Callable<String>>of(() -> {
                      started.countDown();
                      try {
                        new CountDownLatch(1).await();
                        return "never";
                      } finally {
                        taskFinished.set(true);
                      }
                    }),
                    1,
                    false);
              } catch (Throwable t) {
                thrown.set(t);
              }
              assertThat(taskFinished).isTrue();
            });
    started.await();

    caller.interrupt();
    caller.join();

    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(taskFinished).isTrue();
  }

  @Test
  void structuredFanOut_cannotLoadWithoutPreview() {
    if (PREVIEW) {
      assertThat(FanOut.get().getClass().getSimpleName()).isEqualTo("StructuredFanOut");
    } else {
      assertThatThrownBy(() -> Class.forName("dev.loomcache.internal.StructuredFanOut"))
          .isInstanceOf(UnsupportedClassVersionError.class);
    }
  }
}
