package dev.loomcache.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.loomcache.Cache;
import dev.loomcache.CacheStats;
import dev.loomcache.Loomcache;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * Statistics: after two concurrent {@code get}s of one missing key the counts are exact, whatever
 * the interleaving.
 *
 * <p>Result: (hits, misses, loads, coalesced, puts). Either one get loaded and the other hit, or
 * both missed and one was served by the other's load: each miss is a load or a coalesced wait, and
 * the loaded value is stored once.
 *
 * <p>Can it fail? Not counting the caller that finds the value on the owner's re-read of L1
 * (dropping {@code stats.recordCoalesced()} there in {@code FlightTable.own}) made the sanity pass
 * report {@code 0, 2, 1, 0, 1} in 69 of 97,344 samples.
 */
@JCStressTest
@Outcome(
    id = "1, 1, 1, 0, 1",
    expect = ACCEPTABLE,
    desc = "One get missed and loaded; the other hit the stored value.")
@Outcome(
    id = "0, 2, 1, 1, 1",
    expect = ACCEPTABLE,
    desc = "Both missed; one loaded, the other was served by that load.")
@Outcome(
    id = "0, 2, 1, 0, 1",
    expect = FORBIDDEN,
    desc = "A miss served by another caller's load was not counted as coalesced.")
@Outcome(
    id = "0, 2, 2, 0, .",
    expect = FORBIDDEN,
    desc = "Two loads of one key (or their counts) where one was due.")
@Outcome(id = "0, 1, .*", expect = FORBIDDEN, desc = "A miss was lost: two requests, one count.")
@Outcome(
    expect = FORBIDDEN,
    desc = "Counts that no interleaving of two gets produces: an update was lost or doubled.")
@State
public class StatsExactUnderGet {
  private final Cache<String, Integer> cache = Loomcache.newBuilder().maximumSize(16).build();

  @Actor
  public void actor1() {
    cache.get("k", () -> 1);
  }

  @Actor
  public void actor2() {
    cache.get("k", () -> 2);
  }

  @Arbiter
  public void arbiter(IIIII_Result r) {
    CacheStats stats = cache.stats();
    r.r1 = (int) stats.hitCount();
    r.r2 = (int) stats.missCount();
    r.r3 = (int) stats.loadCount();
    r.r4 = (int) stats.coalescedCount();
    r.r5 = (int) stats.putCount();
  }
}
