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

@JCStressTest
@Outcome(id = "1, 2, 1", expect = ACCEPTABLE, desc = "The load ran first or alongside; the put replaced its value or kept it from being stored.")
@Outcome(id = "2, 2, 0", expect = ACCEPTABLE, desc = "The put came first; the get found its value without loading.")
@Outcome(id = "1, 1, 1", expect = FORBIDDEN, desc = "Lost put: the older load overwrote the value put while it ran.")
@Outcome(id = "., 0, .", expect = FORBIDDEN, desc = "Lost put: the cache holds nothing after a put with no expiry.")
@Outcome(expect = FORBIDDEN, desc = "The get returned a value its loader did not produce, or the loader ran twice.")
@State
public class GetRacingPut {
  private final Cache<String, Integer> cache = Loomcache.newBuilder().maximumSize(16).build();
  private final AtomicInteger loads = new AtomicInteger();

  @Actor
  public void reader(III_Result r) {
    r.r1 = cache.get("k", () -> {
      loads.incrementAndGet();
      return 1;
    });
  }

  @Actor
  public void writer() {
    cache.put("k", 2);
  }

  @Arbiter
  public void arbiter(III_Result r) {
    Integer cached = cache.getIfPresent("k");
    r.r2 = cached == null ? 0 : cached;
    r.r3 = loads.get();
  }
}
