package dev.loomcache.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Generations: a load racing {@code invalidateAll()} never leaves behind a value read before it;
 * the writer changes the data, then clears the cache. The loader returns at once, so the owner's
 * install runs right against the clear, where the two guards of {@code FlightTable.invalidateAll}
 * matter.
 *
 * <p>Result: (value the get returned, value cached afterwards, 0 for none); the reasoning is that
 * of {@link GetRacingInvalidate}. The narrow interleaving: an install that checked the epoch just
 * before {@code invalidateAll} advanced it, and whose L1 write lands while Caffeine clears (a clear
 * is not atomic against a concurrent put). The supersede pass closes it: it takes each flight's bin
 * lock, so such an install finishes before the clear starts.
 *
 * <p>Can it fail? In the sanity pass, removing the supersede pass (epoch check kept) gave {@code 1,
 * 1} in 39 of 95,424 samples; removing both guards gave it in 55 of 91,584. Removing only the epoch
 * check gave nothing, even in {@code -m quick} (0 of 1,686,662 samples): with the pass in place no
 * stale value can get through, since a flight the pass misses was put in the table after the epoch
 * moved, so its loader ran after the write. The epoch check is defence in depth.
 */
@JCStressTest
@Outcome(
    id = "1, 1",
    expect = FORBIDDEN,
    desc = "Stale resurrection: a value read before the write outlived the invalidation after it.")
@Outcome(
    id = "1, 0",
    expect = ACCEPTABLE,
    desc = "Read the old value; the invalidation removed it or kept the load from storing it.")
@Outcome(
    id = "2, 0",
    expect = ACCEPTABLE,
    desc = "Read the new value, but the load overlapped the invalidation: not stored, or removed.")
@Outcome(
    id = "2, 2",
    expect = ACCEPTABLE,
    desc = "The load began after the invalidation returned and stored the new value.")
@Outcome(expect = FORBIDDEN, desc = "The cache holds a value the reader did not load.")
@State
public class GetRacingInvalidateAll {
  private final Cache<String, Integer> cache = Loomcache.newBuilder().maximumSize(16).build();
  private volatile int database = 1;

  @Actor
  public void reader(II_Result r) {
    r.r1 = cache.get("k", () -> database);
  }

  @Actor
  public void writer() {
    database = 2;
    cache.invalidateAll();
  }

  @Arbiter
  public void arbiter(II_Result r) {
    Integer cached = cache.getIfPresent("k");
    r.r2 = cached == null ? 0 : cached;
  }
}
