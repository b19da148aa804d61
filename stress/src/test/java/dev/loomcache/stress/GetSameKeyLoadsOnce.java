package dev.loomcache.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Single flight: two callers {@code get} the same missing key; the loader runs once and both
 * callers receive its value.
 *
 * <p>Result: (loader calls, value actor1 got, value actor2 got); each actor's loader returns its
 * own number. A caller that missed L1 just before the other's value was installed still must not
 * load: the owner re-reads L1 after installing its flight, and a completed load installed before
 * its flight left the table.
 *
 * <p>Can it fail? Breaking that re-read ({@code V present = null;} in {@code FlightTable.own}) made
 * the sanity pass report {@code 2, 1, 2} (both loaders ran, actor2's value overwrote actor1's) in
 * 51 of 90,944 samples, in both the -Xint and the C1 forks.
 */
@JCStressTest
@Outcome(
    id = "1, 1, 1",
    expect = ACCEPTABLE,
    desc = "actor1 loaded; actor2 waited for it or hit its value.")
@Outcome(
    id = "1, 2, 2",
    expect = ACCEPTABLE,
    desc = "actor2 loaded; actor1 waited for it or hit its value.")
@Outcome(
    id = "2, .*",
    expect = FORBIDDEN,
    desc = "Both loaders ran: two loads of one key at once, or a value lost between them.")
@Outcome(
    id = "1, 1, 2",
    expect = FORBIDDEN,
    desc = "One load, yet the callers disagree: actor2 got a value no one stored.")
@Outcome(
    id = "1, 2, 1",
    expect = FORBIDDEN,
    desc = "One load, yet the callers disagree: actor1 got a value no one stored.")
@Outcome(expect = FORBIDDEN, desc = "No loader ran, or a caller saw neither value.")
@State
public class GetSameKeyLoadsOnce {
  private final Cache<String, Integer> cache = Loomcache.newBuilder().maximumSize(16).build();
  private final AtomicInteger loads = new AtomicInteger();

  @Actor
  public void actor1(III_Result r) {
    r.r2 =
        cache.get(
            "k",
            () -> {
              loads.incrementAndGet();
              return 1;
            });
  }

  @Actor
  public void actor2(III_Result r) {
    r.r3 =
        cache.get(
            "k",
            () -> {
              loads.incrementAndGet();
              return 2;
            });
  }

  @Arbiter
  public void arbiter(III_Result r) {
    r.r1 = loads.get();
  }
}
