package dev.loomcache.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import java.util.concurrent.Callable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Failures: a failing load is shared with the callers waiting for it and never cached; the flight
 * completes, so no caller parks forever.
 *
 * <p>actor1's loader throws, actor2's returns 2. Result: (1 failure, 2 value, 0 null for each
 * actor; value cached afterwards, 0 for none). A failure is never cached, so a get after the failed
 * flight loads again.
 *
 * <p>Can it fail? Completing a failed flight as if it had loaded {@code null} ({@code new
 * Loaded(null)} for {@code new Failed(failure)} in {@code FlightTable.own}) made the sanity pass
 * report {@code 1, 0, 0} in 65 of 92,224 samples.
 */
@JCStressTest
@Outcome(
    id = "1, 1, 0",
    expect = ACCEPTABLE,
    desc = "actor2 waited for actor1's failing load and received its failure; nothing cached.")
@Outcome(
    id = "1, 2, 2",
    expect = ACCEPTABLE,
    desc = "actor1's load failed first; actor2 loaded afterwards and its value is cached.")
@Outcome(
    id = "2, 2, 2",
    expect = ACCEPTABLE,
    desc = "actor2 loaded first; actor1 hit or waited for its value without loading.")
@Outcome(
    id = "., 0, .",
    expect = FORBIDDEN,
    desc = "A waiter of the failed load returned null instead of the failure.")
@Outcome(
    id = "., 1, 2",
    expect = FORBIDDEN,
    desc = "actor2 got the failure, yet a value is cached.")
@Outcome(
    expect = FORBIDDEN,
    desc = "A failure was cached, a loaded value was lost, or a caller got the wrong outcome.")
@State
public class GetFailingLoaderShared {
  private static final int FAILED = 1;
  private static final int VALUE = 2;
  private static final int NULL = 0;
  private static final int OTHER = 3;

  private final Cache<String, Integer> cache = Loomcache.newBuilder().maximumSize(16).build();
  private final IllegalArgumentException failure =
      new IllegalArgumentException("actor1's load failed");

  @Actor
  public void actor1(III_Result r) {
    r.r1 =
        outcome(() -> {
          throw failure;
        });
  }

  @Actor
  public void actor2(III_Result r) {
    r.r2 = outcome(() -> VALUE);
  }

  @Arbiter
  public void arbiter(III_Result r) {
    Integer cached = cache.getIfPresent("k");
    r.r3 = cached == null ? NULL : cached;
  }

  private int outcome(Callable<Integer> loader) {
    try {
      Integer value = cache.get("k", loader);
      return value == null ? NULL : value == VALUE ? VALUE : OTHER;
    } catch (IllegalArgumentException e) {
      return e == failure ? FAILED : OTHER;
    } catch (RuntimeException e) {
      return OTHER;
    }
  }
}
