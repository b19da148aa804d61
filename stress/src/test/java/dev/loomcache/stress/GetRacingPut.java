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
 * Generations: a load racing {@code put(k, 2)} never overwrites the put with its older value.
 *
 * <p>Result: (value the get returned, value cached afterwards, loader calls). If the loader ran,
 * the get began before the put took effect; if its value 1 then stays cached, no order of the two
 * calls explains it (get-then-put leaves 2, put-then-get hits 2 without loading). A put is never
 * lost: it has no expiry.
 *
 * <p>Can it fail? Letting {@code FlightTable.put} leave the running flight unmarked (no {@code
 * flight.superseded = true}) made the sanity pass report {@code 1, 1, 1} in 324 of 92,224 samples.
 */
@JCStressTest
@Outcome(
    id = "1, 2, 1",
    expect = ACCEPTABLE,
    desc =
        "The load ran first or alongside; the put replaced its value or kept it from being stored.")
@Outcome(
    id = "2, 2, 0",
    expect = ACCEPTABLE,
    desc = "The put came first; the get found its value without loading.")
@Outcome(
    id = "1, 1, 1",
    expect = FORBIDDEN,
    desc = "Lost put: the older load overwrote the value put while it ran.")
@Outcome(
    id = "., 0, .",
    expect = FORBIDDEN,
    desc = "Lost put: the cache holds nothing after a put with no expiry.")
@Outcome(
    expect = FORBIDDEN,
    desc = "The get returned a value its loader did not produce, or the loader ran twice.")
@State
public class GetRacingPut {
  private final Cache<String, Integer> cache = Loomcache.newBuilder().maximumSize(16).build();
  private final AtomicInteger loads = new AtomicInteger();

  @Actor
  public void reader(III_Result r) {
    r.r1 =
        cache.get(
            "k",
            () -> {
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
