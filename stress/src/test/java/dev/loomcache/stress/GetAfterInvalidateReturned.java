package dev.loomcache.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Linearizability: a {@code get} that begins after {@code invalidate} returned never receives the
 * value of a load that began before the invalidation. The writer changes the data, invalidates,
 * then reads; the reader loads concurrently.
 *
 * <p>Result: (the reader's value, the writer's value after its invalidation). The writer's read
 * begins after the data is 2 and after its invalidation returned, so whatever load it joins or runs
 * began after that and reads 2. It may see 1 only by joining a load that began before the
 * invalidation, which is the bug.
 *
 * <p>Can it fail? Letting {@code FlightTable.claim} join flights that are no longer current (the
 * engine v1 behaviour, {@code if (true || isCurrent(flight))}) made the sanity pass report {@code
 * 1, 1}.
 */
@JCStressTest
@Outcome(
    id = "1, 2",
    expect = ACCEPTABLE,
    desc =
        "The reader loaded the old data; the writer's read after its invalidation loaded afresh.")
@Outcome(id = "2, 2", expect = ACCEPTABLE, desc = "The reader's load began after the write.")
@Outcome(
    id = "1, 1",
    expect = FORBIDDEN,
    desc = "The writer's read joined a load that began before its own invalidation returned.")
@Outcome(expect = FORBIDDEN, desc = "A value no linearizable history produces.")
@State
public class GetAfterInvalidateReturned {
  private final Cache<String, Integer> cache = Loomcache.newBuilder().maximumSize(16).build();
  private volatile int database = 1;

  @Actor
  public void reader(II_Result r) {
    r.r1 = cache.get("k", () -> database);
  }

  @Actor
  public void writer(II_Result r) {
    database = 2;
    cache.invalidate("k");
    r.r2 = cache.get("k", () -> database);
  }
}
