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
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "actor1 loaded; actor2 waited for it or hit its value.")
@Outcome(id = "1, 2, 2", expect = ACCEPTABLE, desc = "actor2 loaded; actor1 waited for it or hit its value.")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "Both loaders ran: two loads of one key at once, or a value lost between them.")
@Outcome(id = "1, 1, 2", expect = FORBIDDEN, desc = "One load, yet the callers disagree: actor2 got a value no one stored.")
@Outcome(id = "1, 2, 1", expect = FORBIDDEN, desc = "One load, yet the callers disagree: actor1 got a value no one stored.")
@Outcome(expect = FORBIDDEN, desc = "No loader ran, or a caller saw neither value.")
@State
public class GetSameKeyLoadsOnce {
  private final Cache<String, Integer> cache = Loomcache.newBuilder().maximumSize(16).build();
  private final AtomicInteger loads = new AtomicInteger();

  @Actor
  public void actor1(III_Result r) {
    r.r2 = cache.get("k", () -> {
      loads.incrementAndGet();
      return 1;
    });
  }

  @Actor
  public void actor2(III_Result r) {
    r.r3 = cache.get("k", () -> {
      loads.incrementAndGet();
      return 2;
    });
  }

  @Arbiter
  public void arbiter(III_Result r) {
    r.r1 = loads.get();
  }
}
