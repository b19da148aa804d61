package dev.loomcache.internal;

import dev.loomcache.Ticker;
import dev.loomcache.spi.CacheTier;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.KeyGlob;
import dev.loomcache.spi.StoredFreshness;
import dev.loomcache.spi.StoredValue;
import dev.loomcache.spi.TierListener;
import dev.loomcache.spi.ValueCodec;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured tiers below L1, with the codecs: reads in order on an L1 miss, writes and deletes
 * to every tier. A tier failure is counted, logged by {@link TierFailureLog} (one line per kind at
 * most every 10 seconds) and never reaches the caller.
 *
 * <p>Expiry crosses processes, so tiers store it as absolute epoch milliseconds. Time comes from
 * the cache's ticker: the wall clock when the cache was built plus the ticker's elapsed time, so a
 * fake ticker in tests moves tier expiry as it moves L1 expiry.
 *
 * <p>Freshness deadlines ({@link FreshEntry}) cross the same boundary: a value stored under
 * freshness options goes to the tiers with its refresh point, stale window, load time and hit
 * budget as epoch milliseconds ({@link StoredFreshness}), and a value read back with them becomes
 * an entry with the same deadlines on the L1 clock, so a promotion (after an eviction, a restart,
 * or another instance's write) keeps the writer's deadlines. The L1 clock of a cache on the system
 * ticker is {@link CoarseClock} over the same {@code System.nanoTime()}, so converting with this
 * class's ticker is off by one coarse tick at most.
 */
public final class Tiers<K, V> {
  private static final Logger logger = LoggerFactory.getLogger(Tiers.class);

  private final List<CacheTier> tiers;
  private final boolean[] keepsFreshness;
  private final boolean anyKeepsFreshness;
  private final List<Counters> counters;
  private final KeyCodec<K> keyCodec;
  private final ValueCodec<V> valueCodec;
  private final Ticker ticker;
  private final long originMillis;
  private final long originNanos;
  private final TierFailureLog failureLog = new TierFailureLog();
  private static final Tiers<?, ?> NONE =
      new Tiers<>(List.of(), KeyCodec.string(), ValueCodec.string(), Ticker.systemTicker());

  /** No tiers: reads find nothing, writes do nothing. */
  @SuppressWarnings("unchecked")
  public static <K, V> Tiers<K, V> none() {
    return (Tiers<K, V>) NONE;
  }

  public Tiers(
      List<CacheTier> tiers, KeyCodec<K> keyCodec, ValueCodec<V> valueCodec, Ticker ticker) {
    this.tiers = List.copyOf(tiers);
    this.counters = this.tiers.stream().map(t -> new Counters(t.name())).toList();
    this.keepsFreshness = new boolean[this.tiers.size()];
    boolean any = false;
    for (int i = 0; i < keepsFreshness.length; i++) {
      keepsFreshness[i] = this.tiers.get(i).keepsFreshness();
      any |= keepsFreshness[i];
    }
    this.anyKeepsFreshness = any;
    this.keyCodec = keyCodec;
    this.valueCodec = valueCodec;
    this.ticker = ticker;
    this.originMillis = System.currentTimeMillis();
    this.originNanos = ticker.read();
  }

  /**
   * A value found in a tier, with the TTL it has left. A value stored with freshness deadlines also
   * comes as the L1 {@code entry} they make (its value null for a remembered absence), to be kept
   * in L1 for {@code entryTtl} (through its stale window); {@code stale}: it is past its TTL and
   * only inside its stale window (then {@code ttl} stores nothing and it may only stand in for a
   * failed load).
   */
  record Promoted<V>(
      @Nullable V value, Ttl ttl, @Nullable FreshEntry entry, Ttl entryTtl, boolean stale) {}

  /**
   * Whether some tier keeps remembered absences (it {@linkplain CacheTier#keepsFreshness keeps
   * freshness}).
   */
  boolean keepsAbsences() {
    return anyKeepsFreshness;
  }

  /**
   * The smallest {@link CacheTier#maxLocalLifetime()} of {@code tiers}: the longest an L1 entry may
   * live in a cache on them; {@link Ttl#NEVER} if none sets one.
   */
  public static Ttl maxLocalLifetime(List<CacheTier> tiers) {
    Ttl cap = Ttl.NEVER;
    for (CacheTier tier : tiers) {
      java.time.Duration bound = tier.maxLocalLifetime();
      if (bound != null && bound.isPositive()) {
        Ttl ttl = Ttl.of(bound, "maxLocalLifetime");
        if (ttl.nanos() < cap.nanos()) {
          cap = ttl;
        }
      }
    }
    return cap;
  }

  /** Whether there are no tiers at all (then no write needs a lane). */
  public boolean isEmpty() {
    return tiers.isEmpty();
  }

  /** Per-tier counters, readable for statistics and meters. */
  public static final class Counters {
    private final String tier;
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder writes = new LongAdder();

    Counters(String tier) {
      this.tier = tier;
    }

    public String tier() {
      return tier;
    }

    public long hitCount() {
      return hits.sum();
    }

    public long missCount() {
      return misses.sum();
    }

    public long errorCount() {
      return errors.sum();
    }

    public long writeCount() {
      return writes.sum();
    }
  }

  public List<Counters> counters() {
    return counters;
  }

  long nowMillis() {
    return originMillis + (ticker.read() - originNanos) / 1_000_000;
  }

  /**
   * Reads the tiers in order for {@code getIfPresent}; the first live value wins. Never throws for
   * a tier's failure.
   */
  @Nullable Promoted<V> read(K key) {
    return read(key, false);
  }

  /**
   * Reads the tiers in order for the owner of a load that is about to call its loader ({@link
   * CacheTier#readForLoad}: a tier may coordinate the load across instances). The caller must call
   * {@link #loadFinished} when this returns null, after the load's outcome is stored.
   */
  @Nullable Promoted<V> readForLoad(K key) {
    return read(key, true);
  }

  /** Tells every tier that the load begun with {@link #readForLoad} has ended. */
  void loadFinished(K key) {
    if (tiers.isEmpty()) {
      return;
    }
    String encoded = keyCodec.encode(key);
    eachTier("finish the load of", encoded, (tier, tally) -> tier.loadFinished(encoded));
  }

  private @Nullable Promoted<V> read(K key, boolean forLoad) {
    if (tiers.isEmpty()) {
      return null;
    }
    String encoded = keyCodec.encode(key);
    long now = nowMillis();
    Promoted<V> stale = null; // a value past its TTL, kept in case no later tier has a live one
    for (int i = 0; i < tiers.size(); i++) {
      Counters tally = counters.get(i);
      StoredValue stored;
      try {
        stored = forLoad ? tiers.get(i).readForLoad(encoded) : tiers.get(i).read(encoded);
      } catch (RuntimeException e) {
        failed(tally, "read", encoded, e);
        continue;
      }
      if (stored == null || stored.isGoneAt(now)) {
        tally.misses.increment();
        continue;
      }
      StoredFreshness freshness = stored.freshness();
      boolean expired = stored.isExpiredAt(now);
      if (expired && (freshness == null || freshness.absent() || stale != null)) {
        tally.misses.increment();
        continue;
      }
      V value = null;
      if (freshness == null || !freshness.absent()) {
        try {
          value = valueCodec.decode(stored.bytes());
        } catch (RuntimeException e) {
          failed(tally, "decode", encoded, e); // a tampered or corrupt value is a miss
          continue;
        }
      }
      if (freshness == null) {
        tally.hits.increment();
        Ttl left = remaining(stored.expiresAtEpochMillis(), now);
        return new Promoted<>(value, left, null, left, false);
      }
      Promoted<V> found = promoted(value, stored, freshness, now);
      if (expired) {
        tally.misses.increment(); // only a stand-in for a failed load, not a hit
        stale = found;
        continue;
      }
      tally.hits.increment();
      return found;
    }
    return stale;
  }

  /** A value read with its freshness deadlines, turned into an L1 entry on the ticker's clock. */
  private Promoted<V> promoted(
      @Nullable V value, StoredValue stored, StoredFreshness freshness, long nowMillis) {
    long clockNow = ticker.read();
    long expireAt = toClock(stored.expiresAtEpochMillis(), nowMillis, clockNow);
    FreshEntry entry;
    if (freshness.absent()) {
      entry = new FreshEntry(null, Long.MAX_VALUE, expireAt, false, 0, freshness.loadNanos(), -1);
    } else {
      entry =
          new FreshEntry(
              value,
              toClock(freshness.refreshAtEpochMillis(), nowMillis, clockNow),
              expireAt,
              freshness.hasStaleWindow(),
              freshness.earlyRefreshBeta() * freshness.loadNanos(),
              freshness.loadNanos(),
              freshness.hitBudget());
    }
    Ttl ttl =
        stored.isExpiredAt(nowMillis)
            ? Ttl.NOT_STORED
            : remaining(stored.expiresAtEpochMillis(), nowMillis);
    return new Promoted<>(
        value,
        ttl,
        entry,
        remaining(stored.retainUntilEpochMillis(), nowMillis),
        ttl == Ttl.NOT_STORED);
  }

  /** An epoch-millisecond deadline as a reading of the ticker ({@code Long.MAX_VALUE}: never). */
  private static long toClock(long epochMillis, long nowMillis, long clockNow) {
    if (epochMillis == StoredFreshness.NEVER) {
      return Long.MAX_VALUE;
    }
    // Clamped to ±2^40 ms (35 years) so that the conversion to nanoseconds cannot overflow.
    long millis = Math.max(-(1L << 40), Math.min(1L << 40, epochMillis - nowMillis));
    long at = clockNow + millis * 1_000_000;
    return at == Long.MAX_VALUE ? Long.MAX_VALUE - 1 : at;
  }

  /** A ticker deadline as epoch milliseconds, rounded up ({@link StoredFreshness#NEVER}: never). */
  private static long toEpoch(long clockDeadline, long clockNow, long nowMillis) {
    if (clockDeadline == Long.MAX_VALUE) {
      return StoredFreshness.NEVER;
    }
    long nanos = clockDeadline - clockNow;
    long millis = nanos <= 0 ? -((-nanos) / 1_000_000) : (nanos + 999_999) / 1_000_000;
    long at = nowMillis + millis;
    return at < 0 || at == StoredFreshness.NEVER ? StoredFreshness.NEVER - 1 : at;
  }

  /** Writes {@code value} to every tier with an absolute expiry {@code ttl} from now. */
  void write(K key, V value, Ttl ttl) {
    write(key, value, ttl, Set.of());
  }

  /** Writes {@code value} carrying {@code tags} to every tier, expiring {@code ttl} from now. */
  void write(K key, V value, Ttl ttl, Set<String> tags) {
    write(key, value, ttl, tags, null, ttl);
  }

  /**
   * Writes {@code value} carrying {@code tags} to every tier, expiring {@code ttl} from now; with
   * {@code entry} (what L1 stores for it, kept there for {@code entryTtl}), with its freshness
   * deadlines too. A remembered absence ({@code value} null, {@code entry} negative) goes only to
   * the tiers that {@linkplain CacheTier#keepsFreshness keep freshness}.
   */
  void write(
      K key,
      @Nullable V value,
      Ttl ttl,
      Set<String> tags,
      @Nullable FreshEntry entry,
      Ttl entryTtl) {
    if (tiers.isEmpty() || (value == null && (entry == null || !anyKeepsFreshness))) {
      return;
    }
    String encoded = keyCodec.encode(key);
    long nowMillis = nowMillis();
    long expiresAt = expiresAt(ttl, nowMillis);
    byte[] bytes = value == null ? new byte[0] : valueCodec.encode(value);
    StoredValue plain = StoredValue.of(bytes, expiresAt, tags);
    StoredValue stored =
        entry == null
            ? plain
            : plain.withFreshness(freshnessOf(entry, expiresAt, entryTtl, nowMillis));
    for (int i = 0; i < tiers.size(); i++) {
      if (value == null && !keepsFreshness[i]) {
        continue;
      }
      Counters tally = counters.get(i);
      try {
        tiers.get(i).write(encoded, stored);
        tally.writes.increment();
      } catch (RuntimeException e) {
        failed(tally, "write", encoded, e);
      }
    }
  }

  /** The deadlines of {@code entry}, just made, as a tier stores them. */
  private StoredFreshness freshnessOf(
      FreshEntry entry, long expiresAt, Ttl entryTtl, long nowMillis) {
    long clockNow = ticker.read();
    long staleUntil = 0;
    if (entry.staleIfError && expiresAt != StoredValue.NEVER_EXPIRES) {
      staleUntil = Math.max(expiresAt, expiresAt(entryTtl, nowMillis));
    }
    double beta = entry.loadNanos > 0 ? entry.xfetchScale / entry.loadNanos : 0;
    return StoredFreshness.of(
        toEpoch(entry.refreshAt, clockNow, nowMillis),
        staleUntil,
        Math.max(0, entry.loadNanos),
        Double.isFinite(beta) ? beta : 0,
        entry.hitBudget(),
        entry.isNegative());
  }

  void delete(K key) {
    if (tiers.isEmpty()) {
      return;
    }
    String encoded = keyCodec.encode(key);
    eachTier("delete", encoded, (tier, tally) -> tier.delete(encoded));
  }

  void clear() {
    eachTier("clear", "*", (tier, tally) -> tier.clear());
  }

  /** Removes the entries carrying any of {@code tags} from every tier. */
  void invalidateTags(Collection<String> tags) {
    for (String tag : tags) {
      eachTier("invalidate the tag of", tag, (tier, tally) -> tier.invalidateTag(tag));
    }
  }

  /** Removes the entries whose key matches {@code glob} from every tier. */
  void invalidateMatching(KeyGlob glob) {
    eachTier(
        "invalidate the keys matching",
        glob.glob(),
        (tier, tally) -> tier.invalidateMatching(glob));
  }

  /** The string the tiers store {@code key} under; runs the key codec (user code). */
  public String encode(K key) {
    return keyCodec.encode(key);
  }

  /**
   * Runs {@code action} on every tier; a tier's failure is counted and the next tier still runs.
   */
  private void eachTier(String operation, String key, BiConsumer<CacheTier, Counters> action) {
    for (int i = 0; i < tiers.size(); i++) {
      try {
        action.accept(tiers.get(i), counters.get(i));
      } catch (RuntimeException e) {
        failed(counters.get(i), operation, key, e);
      }
    }
  }

  /** Subscribes {@code listener} to every tier's remote invalidations. */
  public void subscribe(TierListener listener) {
    for (CacheTier tier : tiers) {
      tier.subscribe(listener);
    }
  }

  /** Decodes a key received from another instance, or null if it is not one of ours. */
  public @Nullable K decodeKey(String encoded) {
    try {
      return keyCodec.decode(encoded);
    } catch (RuntimeException e) {
      logger.debug("Ignoring an invalidation of an undecodable key '{}'", encoded, e);
      return null;
    }
  }

  /** Closes every tier; a tier that fails to close does not keep the others open. */
  public void close() {
    eachTier("close", "-", (tier, tally) -> tier.close());
  }

  private static long expiresAt(Ttl ttl, long nowMillis) {
    if (ttl.isNever()) {
      return StoredValue.NEVER_EXPIRES;
    }
    long ttlMillis = Math.max(1, ttl.nanos() / 1_000_000 + (ttl.nanos() % 1_000_000 == 0 ? 0 : 1));
    long expiresAt = nowMillis + ttlMillis;
    return expiresAt < 0 || expiresAt == StoredValue.NEVER_EXPIRES
        ? StoredValue.NEVER_EXPIRES - 1
        : expiresAt;
  }

  private static Ttl remaining(long expiresAtMillis, long nowMillis) {
    if (expiresAtMillis == StoredValue.NEVER_EXPIRES) {
      return Ttl.NEVER;
    }
    long millis = expiresAtMillis - nowMillis;
    return Ttl.ofNanos(
        millis >= Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE - 1 : millis * 1_000_000);
  }

  private void failed(Counters tally, String operation, String key, RuntimeException e) {
    tally.errors.increment();
    failureLog.failed(tally.tier(), operation, key, e);
  }
}
