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

@JCStressTest
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "Stale resurrection: a value read before the write outlived the invalidation after it.")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Read the old value; the invalidation removed it or kept the load from storing it.")
@Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "Read the new value, but the load overlapped the invalidation: not stored, or removed.")
@Outcome(id = "2, 2", expect = ACCEPTABLE, desc = "The load began after the invalidation returned and stored the new value.")
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
