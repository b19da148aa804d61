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
 * Generations: a load racing {@code invalidate} never leaves behind a value read before the
 * invalidation; the writer changes the data, then invalidates, the usual way to evict.
 *
 * <p>Result: (value the get returned, value cached afterwards, 0 for none). A loader that read the
 * old value 1 did so before the write, hence before {@code invalidate} was called: its flight was
 * either finished (and the invalidation removed its value) or still running (and the invalidation
 * marked it superseded). Either way 1 must not remain. 2 may remain only from a load that began
 * after the invalidation. Linearizable histories give exactly the acceptable outcomes.
 *
 * <p>Can it fail? Installing without checking {@code flight.superseded} in {@code
 * FlightTable.publish} made the sanity pass report {@code 1, 1} in 22 of 110,784 samples.
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
public class GetRacingInvalidate {
  private final Cache<String, Integer> cache = Loomcache.newBuilder().maximumSize(16).build();
  private volatile int database = 1;

  @Actor
  public void reader(II_Result r) {
    r.r1 = cache.get("k", () -> database);
  }

  @Actor
  public void writer() {
    database = 2;
    cache.invalidate("k");
  }

  @Arbiter
  public void arbiter(II_Result r) {
    Integer cached = cache.getIfPresent("k");
    r.r2 = cached == null ? 0 : cached;
  }
}
