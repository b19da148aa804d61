package dev.loomcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The hit counter: exact under any number of threads, and cells pass from dead threads on. */
class OwnedCounterTest {
  private final OwnedCounter counter = new OwnedCounter();

  @Test
  void oneThread_countsExactly_inItsOwnCell() {
    for (int i = 0; i < 1_000; i++) {
      counter.increment();
    }

    assertThat(counter.sum()).isEqualTo(1_000);
    assertThat(counter.sharedCount()).isZero();
  }

  @Test
  void manyPlatformThreads_moreThanCells_countExactly() throws Exception {
    int threads = OwnedCounter.cells() * 3;
    int each = 20_000;
    var start = new CountDownLatch(1);
    var started = new ArrayList<Thread>();
    for (int t = 0; t < threads; t++) {
      started.add(
          Thread.ofPlatform()
              .start(() -> {
                await(start);
                for (int i = 0; i < each; i++) {
                  counter.increment();
                }
              }));
    }
    start.countDown();
    for (Thread thread : started) {
      thread.join();
    }

    assertThat(counter.sum()).isEqualTo((long) threads * each);
  }

  @Test
  void tenThousandVirtualThreads_countExactly() {
    int each = 100;
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 10_000; t++) {
        executor.execute(() -> {
          for (int i = 0; i < each; i++) {
            counter.increment();
          }
        });
      }
    }

    assertThat(counter.sum()).isEqualTo(10_000L * each);
    // cells were claimed from terminated threads, not given up: most increments took no CAS
    assertThat(counter.sharedCount()).isLessThan(10_000L * each / 2);
  }

  @Test
  void aTerminatedOwnersCell_isClaimedByTheNextThread_andKeepsItsCount() throws Exception {
    Thread first = Thread.ofPlatform().start(() -> add(7));
    first.join();
    Thread next = threadWithTheSameCellAs(first, () -> add(5));

    next.start();
    next.join();

    assertThat(counter.sum()).isEqualTo(12);
    assertThat(counter.sharedCount()).as("the next thread took the dead owner's cell").isZero();
  }

  @Test
  void aLiveOwnersCell_isNotTaken_theOtherThreadCountsInTheSharedAdder() throws Exception {
    var release = new CountDownLatch(1);
    var owned = new CountDownLatch(1);
    Thread owner =
        Thread.ofPlatform()
            .start(() -> {
              add(3);
              owned.countDown();
              await(release);
              add(3);
            });
    owned.await();
    Thread other = threadWithTheSameCellAs(owner, () -> add(4));

    other.start();
    other.join();
    assertThat(counter.sharedCount()).isEqualTo(4);
    release.countDown();
    owner.join();

    assertThat(counter.sum()).isEqualTo(10);
  }

  @Test
  void sum_whileThreadsCount_neverGoesBackwards_andEndsExact() throws Exception {
    var done = new AtomicBoolean();
    var backwards = new AtomicLong();
    Thread reader =
        Thread.ofPlatform()
            .start(() -> {
              long last = 0;
              while (!done.get()) {
                long now = counter.sum();
                if (now < last) {
                  backwards.incrementAndGet();
                }
                last = now;
              }
            });
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 2_000; t++) {
        executor.execute(() -> add(500));
      }
    }
    done.set(true);
    reader.join();

    assertThat(backwards.get()).isZero();
    assertThat(counter.sum()).isEqualTo(2_000L * 500);
  }

  private void add(int times) {
    for (int i = 0; i < times; i++) {
      counter.increment();
    }
  }

  /** An unstarted platform thread whose id picks the same cell as {@code thread}'s. */
  private static Thread threadWithTheSameCellAs(Thread thread, Runnable task) {
    int mask = OwnedCounter.cells() - 1;
    while (true) {
      Thread candidate = Thread.ofPlatform().unstarted(task);
      if ((candidate.threadId() & mask) == (thread.threadId() & mask)) {
        return candidate;
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
