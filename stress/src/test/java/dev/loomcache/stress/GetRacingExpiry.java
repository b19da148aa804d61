package dev.loomcache.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * TTL: a {@code get} racing the ticker past an entry's deadline never returns the expired value.
 *
 * <p>The entry 1 is stored for 1 s with a fake ticker; one actor advances the ticker by 1 s while
 * the other reads the ticker, then calls {@code get} with a loader returning 2. Result: (whether
 * the reader had already seen the deadline pass, value the get returned, value cached afterwards, 0
 * for none). Once the caller has seen the clock pass the deadline, a hit is forbidden; and after
 * both actors the entry reads as expired unless the get replaced it.
 *
 * <p>Can it fail? Building L1 without the cache's ticker (dropping {@code .ticker(ticker::read)} in
 * {@code L1Store}, so Caffeine reads the system clock) made the sanity pass report {@code 1, 1, 1}
 * in 83,312 and {@code 0, 1, 1} in 16,592 of 99,904 samples: every one.
 */
@JCStressTest
@Outcome(
    id = "0, 1, 0",
    expect = ACCEPTABLE,
    desc = "The get hit before the clock moved; afterwards the entry reads as expired.")
@Outcome(
    id = "0, 2, 2",
    expect = ACCEPTABLE,
    desc = "The clock moved during the get, which missed and loaded a fresh value.")
@Outcome(
    id = "1, 2, 2",
    expect = ACCEPTABLE,
    desc = "The clock had moved before the get, which missed and loaded a fresh value.")
@Outcome(
    id = "1, 1, .",
    expect = FORBIDDEN,
    desc = "The get returned a value its caller had already seen expire.")
@Outcome(
    id = "., ., 1",
    expect = FORBIDDEN,
    desc = "getIfPresent returned a value after its deadline had passed.")
@Outcome(
    expect = FORBIDDEN,
    desc = "A loaded value was lost, or a hit was followed by a value no one stored.")
@State
public class GetRacingExpiry {
  private static final Duration TTL = Duration.ofSeconds(1);

  private final FakeTicker ticker = new FakeTicker();
  private final Cache<String, Integer> cache =
      Loomcache.newBuilder().maximumSize(16).ticker(ticker::read).build();
  private final long deadline;

  public GetRacingExpiry() {
    cache.put("k", 1, TTL);
    deadline = ticker.read() + TTL.toNanos();
  }

  @Actor
  public void clock() {
    ticker.advance(TTL);
  }

  @Actor
  public void reader(III_Result r) {
    r.r1 = ticker.read() >= deadline ? 1 : 0;
    r.r2 = cache.get("k", () -> 2);
  }

  @Arbiter
  public void arbiter(III_Result r) {
    Integer cached = cache.getIfPresent("k");
    r.r3 = cached == null ? 0 : cached;
  }
}
