package dev.loomcache.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import java.util.concurrent.ConcurrentMap;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The map view's {@code put} returns exactly the value it overwrote: two puts racing over 0 are
 * ordered, the second returning the first's value.
 *
 * <p>Result: (what put(1) returned, what put(2) returned, the value cached afterwards). Both
 * returning 0 would mean both overwrote 0 and one write was lost from the history.
 *
 * <p>Can it fail? Making {@code WritePath.writeIfSame} write without comparing L1's value with the
 * expected one fails {@code CacheAsMapTest.merge_isAtomic_underContention} (lost increments); here
 * it shows as {@code 0, 0, 1} or {@code 0, 0, 2}.
 */
@JCStressTest
@Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "put(1) first, then put(2) replaced 1.")
@Outcome(id = "2, 0, 1", expect = ACCEPTABLE, desc = "put(2) first, then put(1) replaced 2.")
@Outcome(
    id = "0, 0, .",
    expect = FORBIDDEN,
    desc = "Both puts claim to have replaced 0: not atomic.")
@Outcome(
    expect = FORBIDDEN,
    desc = "A put returned a value never stored, or the last put was lost.")
@State
public class MapPutRacingPut {
  private final Cache<String, Integer> cache = Loomcache.newBuilder().maximumSize(16).build();
  private final ConcurrentMap<String, Integer> map = cache.asMap();

  public MapPutRacingPut() {
    cache.put("k", 0);
  }

  @Actor
  public void one(III_Result r) {
    Integer previous = map.put("k", 1);
    r.r1 = previous == null ? -1 : previous;
  }

  @Actor
  public void two(III_Result r) {
    Integer previous = map.put("k", 2);
    r.r2 = previous == null ? -1 : previous;
  }

  @Arbiter
  public void arbiter(III_Result r) {
    Integer cached = cache.getIfPresent("k");
    r.r3 = cached == null ? -1 : cached;
    cache.close();
  }
}
