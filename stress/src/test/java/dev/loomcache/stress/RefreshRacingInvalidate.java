package dev.loomcache.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.loomcache.Ticker;
import dev.loomcache.internal.FlightTable;
import dev.loomcache.internal.FreshEntry;
import dev.loomcache.internal.FreshPolicy;
import dev.loomcache.internal.L1Store;
import dev.loomcache.internal.Loads;
import dev.loomcache.internal.RandomSource;
import dev.loomcache.internal.Refresher;
import dev.loomcache.internal.StatsCounter;
import dev.loomcache.internal.Tiers;
import dev.loomcache.internal.Ttl;
import dev.loomcache.internal.WritePath;
import dev.loomcache.testsupport.FakeTicker;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Refresh-ahead: a background reload racing {@code invalidate} of its key never stores its value.
 * The engine is assembled from its real classes so that the reload runs on the actor's thread
 * ({@code Refresher.reloadNow}, the body of the cache's reload thread) and the arbiter sees its
 * end.
 *
 * <p>Result: (whether the reload loaded a value, whether L1 holds a value at the end). The
 * invalidation either came first (the reload sees that L1 no longer holds the entry that asked for
 * it and stops), overtook the running reload (it superseded the reload's flight, so the store is
 * skipped), or came after the store (and removed it). In no order may a value be left.
 *
 * <p>Can it fail? Dropping the entry check after the claim in {@code Refresher.claimFor} (so that a
 * reload claimed after the invalidation stores) makes this report {@code 1, 1}.
 */
@JCStressTest
@Outcome(
    id = "0, 0",
    expect = ACCEPTABLE,
    desc = "The invalidation came first; the reload stopped.")
@Outcome(
    id = "1, 0",
    expect = ACCEPTABLE,
    desc = "The reload loaded; the invalidation superseded or removed it.")
@Outcome(
    id = ".*, 1",
    expect = FORBIDDEN,
    desc = "A reload stored a value over (or after) the invalidation.")
@State
public class RefreshRacingInvalidate {
  private final L1Store<String, String> l1;
  private final WritePath<String, String> writes;
  private final Refresher<String, String> refresher;
  private final FreshEntry entry;
  private final Ttl ttl;

  public RefreshRacingInvalidate() {
    var fake = new FakeTicker();
    Ticker ticker = fake::read;
    var stats = new StatsCounter();
    Tiers<String, String> tiers = Tiers.none();
    var flights = new FlightTable<String>();
    l1 = new L1Store<>(16, true, ticker, Runnable::run, stats);
    writes = new WritePath<>(flights, l1, stats, tiers);
    var loads = new Loads<>(flights, l1, writes, tiers, stats, ticker);
    refresher = new Refresher<>(loads, l1, "stress");
    var policy =
        new FreshPolicy(
            Duration.ofMinutes(1).toNanos(), 0, 0, 0, 0, -1, null, ticker, RandomSource.DEFAULT);
    ttl = Ttl.ofNanos(Duration.ofMinutes(10).toNanos()).withFreshness(policy);
    writes.put("k", "old", ttl);
    entry = (FreshEntry) (Object) l1.getIfPresent("k");
    fake.advance(Duration.ofMinutes(2));
  }

  @Actor
  public void refresh(II_Result r) {
    r.r1 = refresher.reloadNow("k", entry, () -> "new", ttl) ? 1 : 0;
  }

  @Actor
  public void invalidate() {
    writes.invalidate("k");
  }

  @Arbiter
  public void arbiter(II_Result r) {
    r.r2 = l1.getIfPresent("k") == null ? 0 : 1;
  }
}
