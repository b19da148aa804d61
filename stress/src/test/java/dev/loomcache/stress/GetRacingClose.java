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
 * Close: a {@code get} racing {@code close()} either completes normally or throws the documented
 * {@link IllegalStateException} before running its loader; it never hangs (the build's timeout
 * fails a stuck run) and never sees a half-closed cache.
 *
 * <p>Result: (1 returned its loader's value, 2 {@code IllegalStateException}, 3 wrong value, 4
 * another exception; 1 if a get made after {@code close()} returned is rejected; loader calls by
 * the racing get).
 *
 * <p>Can it fail? Dropping {@code checkOpen()} from {@code LocalCache.read} made the sanity pass
 * report {@code 1, 0, 1} in all 89,024 samples.
 */
@JCStressTest
@Outcome(
    id = "1, 1, 1",
    expect = ACCEPTABLE,
    desc =
        "The get came before close took effect and returned its load; the closed cache rejects later gets.")
@Outcome(
    id = "2, 1, 0",
    expect = ACCEPTABLE,
    desc = "The get saw the cache closed and threw IllegalStateException without loading.")
@Outcome(
    id = "2, ., 1",
    expect = FORBIDDEN,
    desc = "Half-closed: the caller's loader ran, yet the caller got IllegalStateException.")
@Outcome(
    id = "., 0, .",
    expect = FORBIDDEN,
    desc = "A get after close() returned did not throw IllegalStateException.")
@Outcome(
    id = "3, .*",
    expect = FORBIDDEN,
    desc = "The get returned something other than its loader's value.")
@Outcome(
    id = "4, .*",
    expect = FORBIDDEN,
    desc = "The get failed with an exception other than IllegalStateException.")
@Outcome(
    expect = FORBIDDEN,
    desc = "The loader ran without its caller receiving the value, or ran twice.")
@State
public class GetRacingClose {
  private static final int RETURNED = 1;
  private static final int REJECTED = 2;
  private static final int WRONG_VALUE = 3;
  private static final int OTHER_FAILURE = 4;

  private final Cache<String, Integer> cache = Loomcache.newBuilder().maximumSize(16).build();
  private final AtomicInteger loads = new AtomicInteger();

  @Actor
  public void reader(III_Result r) {
    r.r1 = tryGet("k");
  }

  @Actor
  public void closer() {
    cache.close();
  }

  @Arbiter
  public void arbiter(III_Result r) {
    r.r3 = loads.get();
    r.r2 = tryGet("after") == REJECTED ? 1 : 0;
  }

  private int tryGet(String key) {
    try {
      Integer value =
          cache.get(
              key,
              () -> {
                loads.incrementAndGet();
                return 1;
              });
      return value != null && value == 1 ? RETURNED : WRONG_VALUE;
    } catch (IllegalStateException e) {
      return REJECTED;
    } catch (RuntimeException e) {
      return OTHER_FAILURE;
    }
  }
}
