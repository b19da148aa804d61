package dev.loomcache.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Linearizability of tag invalidation: a {@code get} that begins after {@code invalidateTag}
 * returned never receives the value of a load, carrying the tag, that began before it. Every value
 * is tagged {@code "t"}. The writer changes the data, invalidates the tag, then reads; the reader
 * loads concurrently.
 *
 * <p>Result: (the reader's value, the writer's value after its invalidation). The writer may see 1
 * only by joining (or reading the stored value of) a load that began before the invalidation.
 *
 * <p>Can it fail? Letting {@code FlightTable.claim} join a flight that lived through a tag
 * invalidation ({@code isCurrent(flight) && flight.invalidatedTags == null} weakened to {@code
 * isCurrent(flight)}) made the sanity pass report {@code 1, 1} (about 0.1–0.2% of samples), and the
 * JUnit stress in {@code CacheTagsTest} report an old version.
 */
@JCStressTest
@Outcome(
    id = "1, 2",
    expect = ACCEPTABLE,
    desc =
        "The reader loaded the old data; the writer's read after its tag invalidation loaded afresh.")
@Outcome(id = "2, 2", expect = ACCEPTABLE, desc = "The reader's load began after the write.")
@Outcome(
    id = "1, 1",
    expect = FORBIDDEN,
    desc = "The writer's read received a value loaded before its own tag invalidation returned.")
@Outcome(expect = FORBIDDEN, desc = "A value no linearizable history produces.")
@State
public class GetAfterInvalidateTagReturned {
  private final Cache<String, Integer> cache =
      Loomcache.newBuilder()
          .maximumSize(16)
          .tags((String key, Integer value) -> List.of("t"))
          .build();
  private volatile int database = 1;

  @Actor
  public void reader(II_Result r) {
    r.r1 = cache.get("k", () -> database);
  }

  @Actor
  public void writer(II_Result r) {
    database = 2;
    cache.invalidateTag("t");
    r.r2 = cache.get("k", () -> database);
  }
}
