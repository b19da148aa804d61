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
import org.openjdk.jcstress.infra.results.ZZI_Result;

/**
 * The map view's {@code replace(k, old, new)} is a compare-and-set: of two replaces of the same old
 * value, exactly one succeeds, and its value is the one cached.
 *
 * <p>Result: (replace(0, 1) succeeded, replace(0, 2) succeeded, the value cached afterwards).
 *
 * <p>Can it fail? Without the identity check under the key's bin lock in {@code
 * WritePath.writeIfSame}, both replaces see 0 with {@code equals} and both write: {@code true,
 * true, 1} or {@code true, true, 2}.
 */
@JCStressTest
@Outcome(id = "true, false, 1", expect = ACCEPTABLE, desc = "replace(0, 1) won.")
@Outcome(id = "false, true, 2", expect = ACCEPTABLE, desc = "replace(0, 2) won.")
@Outcome(id = "true, true, .", expect = FORBIDDEN, desc = "Both replaced the same old value.")
@Outcome(expect = FORBIDDEN, desc = "Neither won, or the winner's value is not the one cached.")
@State
public class MapReplaceRacingReplace {
  private final Cache<String, Integer> cache = Loomcache.newBuilder().maximumSize(16).build();
  private final ConcurrentMap<String, Integer> map = cache.asMap();

  public MapReplaceRacingReplace() {
    cache.put("k", 0);
  }

  @Actor
  public void one(ZZI_Result r) {
    r.r1 = map.replace("k", 0, 1);
  }

  @Actor
  public void two(ZZI_Result r) {
    r.r2 = map.replace("k", 0, 2);
  }

  @Arbiter
  public void arbiter(ZZI_Result r) {
    Integer cached = cache.getIfPresent("k");
    r.r3 = cached == null ? -1 : cached;
    cache.close();
  }
}
