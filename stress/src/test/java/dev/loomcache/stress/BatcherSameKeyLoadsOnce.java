package dev.loomcache.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.loomcache.Batcher;
import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Batching shares the flight table: two callers {@code Batcher.get} the same missing key; the key
 * is loaded by exactly one batch, which holds it once, and both callers receive that batch's value.
 *
 * <p>Result: (batch loader calls, keys passed to batch loaders, value actor1 got, value actor2
 * got); the batch loader returns the number of its call. The window is zero (a window opens and is
 * dispatched at once) to keep each sample short; with a longer window both keys would also meet in
 * one window, which changes nothing here since the second caller joins the first caller's flight
 * instead of queueing the key again.
 *
 * <p>Can it fail? Breaking the owner's L1 re-read in {@code FlightTable.claim} ({@code V present =
 * null;}, so a key that a just-finished batch stored looks missing) made the sanity pass report
 * {@code 2, 2, 1, 2} in 129 and {@code 2, 2, 2, 1} in 158 of 102,464 samples (two batches, and the
 * callers got different values); the build failed.
 */
@JCStressTest
@Outcome(
    id = "1, 1, 1, 1",
    expect = ACCEPTABLE,
    desc = "One batch with the key once; both callers got its value.")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "The key was loaded by two batches.")
@Outcome(
    id = "1, 2, .*",
    expect = FORBIDDEN,
    desc = "One batch held the key twice: no de-duplication.")
@Outcome(expect = FORBIDDEN, desc = "No batch ran, or a caller saw another value.")
@State
public class BatcherSameKeyLoadsOnce {
  private final Cache<String, Integer> cache =
      Loomcache.newBuilder().maximumSize(16).batchWindow(Duration.ZERO).build();
  private final AtomicInteger batches = new AtomicInteger();
  private final AtomicInteger keys = new AtomicInteger();
  private final Batcher<String, Integer> batcher =
      cache.batcher(requested -> {
        int call = batches.incrementAndGet();
        keys.addAndGet(requested.size());
        var values = new HashMap<String, Integer>();
        requested.forEach(k -> values.put(k, call));
        return values;
      });

  @Actor
  public void actor1(IIII_Result r) {
    r.r3 = batcher.get("k");
  }

  @Actor
  public void actor2(IIII_Result r) {
    r.r4 = batcher.get("k");
  }

  @Arbiter
  public void arbiter(IIII_Result r) {
    r.r1 = batches.get();
    r.r2 = keys.get();
  }
}
