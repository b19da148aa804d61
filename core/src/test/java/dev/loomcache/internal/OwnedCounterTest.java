package dev.loomcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aTerminatedOwnersCell_isClaimedByTheNextThread_andKeepsItsCount(boolean virtual)
      throws Exception {
    Thread.Builder builder = virtual ? Thread.ofVirtual() : Thread.ofPlatform();
    Thread first = builder.start(() -> add(7));
    first.join();
    Thread next = threadWithTheSameCellAs(first, builder, () -> add(5));

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
    Thread other = threadWithTheSameCellAs(owner, Thread.ofPlatform(), () -> add(4));

    try {
      other.start();
      other.join();
      assertThat(counter.sharedCount()).isEqualTo(4);
    } finally {
      release.countDown();
      owner.join();
    }

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

  @Test
  void threadsRacingForAFreeCell_oneTakesIt_theOthersCountInTheAdder_noneLost() throws Exception {
    for (int round = 0; round < 200; round++) {
      var fresh = new OwnedCounter();
      race(fresh, null, 3);
      assertThat(fresh.sum()).as("round %d", round).isEqualTo(3);
      assertThat(fresh.sharedCount()).as("round %d", round).isEqualTo(2);
    }
  }

  @Test
  void threadsRacingForADeadOwnersCell_oneTakesIt_noneLost() throws Exception {
    for (int round = 0; round < 200; round++) {
      var fresh = new OwnedCounter();
      Thread first = Thread.ofPlatform().start(fresh::increment);
      first.join();
      race(fresh, first, 3);
      assertThat(fresh.sum()).as("round %d", round).isEqualTo(4);
      assertThat(fresh.sharedCount()).as("round %d", round).isEqualTo(2);
    }
  }

  @Test
  void aTerminatedOwner_isLetGoByTheNextSum_andWhatItsTaskHeldCanBeCollected() throws Exception {
    WeakReference<byte[]> payload = ownerThatCaptured(new byte[1 << 20]);

    counter.sum();
    for (int i = 0; i < 10 && payload.get() != null; i++) {
      System.gc(); // clears weak references to what it found unreachable before it returns
    }

    assertThat(payload.get()).as("what the terminated owner's task captured").isNull();
    assertThat(counter.sum()).isEqualTo(1);
  }

  private WeakReference<byte[]> ownerThatCaptured(byte[] payload) throws InterruptedException {
    Thread owner =
        Thread.ofVirtual()
            .start(() -> {
              counter.increment();
              if (payload.length == 0) {
                throw new AssertionError("unreachable");
              }
            });
    owner.join();
    return new WeakReference<>(payload);
  }

  /**
   * Starts {@code racers} threads with the same cell (that of {@code sameAs}, or of the first
   * racer), lets them increment once each at the same moment and, while all are still alive, checks
   * that one counted in the cell and the others in the adder.
   */
  private static void race(OwnedCounter counter, @Nullable Thread sameAs, int racers)
      throws Exception {
    var ready = new AtomicInteger(racers);
    var hold = new CountDownLatch(1);
    var incremented = new CountDownLatch(racers);
    Runnable task =
        () -> {
          ready.decrementAndGet();
          while (ready.get() > 0) {
            Thread.onSpinWait();
          }
          counter.increment();
          incremented.countDown();
          await(hold);
        };
    var threads = new ArrayList<Thread>();
    Thread reference = sameAs;
    for (int i = 0; i < racers; i++) {
      Thread racer =
          reference == null
              ? Thread.ofPlatform().unstarted(task)
              : threadWithTheSameCellAs(reference, Thread.ofPlatform(), task);
      reference = reference == null ? racer : reference;
      threads.add(racer);
    }
    long sum;
    long shared;
    try {
      threads.forEach(Thread::start);
      incremented.await();
      sum = counter.sum();
      shared = counter.sharedCount();
    } finally {
      hold.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
    }
    assertThat(sum).isEqualTo(sameAs == null ? racers : racers + 1L);
    assertThat(shared).isEqualTo(racers - 1L);
  }

  private void add(int times) {
    for (int i = 0; i < times; i++) {
      counter.increment();
    }
  }

  /** An unstarted thread whose id picks the same cell as {@code thread}'s. */
  private static Thread threadWithTheSameCellAs(
      Thread thread, Thread.Builder builder, Runnable task) {
    int mask = OwnedCounter.cells() - 1;
    while (true) {
      Thread candidate = builder.unstarted(task);
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
