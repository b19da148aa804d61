package dev.loomcache.internal;

import dev.loomcache.BatchLoader;
import dev.loomcache.CacheLoadException;
import dev.loomcache.internal.BatchDispatcher.ReadPath;
import dev.loomcache.internal.Flight.Abandoned;
import dev.loomcache.internal.Flight.Failed;
import dev.loomcache.internal.Flight.Loaded;
import dev.loomcache.internal.Flight.Outcome;
import dev.loomcache.internal.FlightTable.Claim;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code getAll} and {@code warmup}: many keys claimed in the shared {@link FlightTable}, loaded
 * concurrently through the {@link FanOut}, so that no key is loaded twice at once whichever API
 * asked for it, and no task outlives the call.
 */
public final class BulkLoads<K, V> {
  private static final Logger logger = LoggerFactory.getLogger(BulkLoads.class);
  private final ReadPath<K, V> cache;
  private final Loads<K, V> flights;
  private final FanOut fanOut;
  private final int maxBatchSize;
  private final int parallelism;

  public BulkLoads(ReadPath<K, V> cache, Loads<K, V> flights, FanOut fanOut,
      int maxBatchSize, int parallelism) {
    this.cache = cache;
    this.flights = flights;
    this.fanOut = fanOut;
    this.maxBatchSize = maxBatchSize;
    this.parallelism = parallelism;
  }

  /**
   * Returns the present values of {@code keys} and loads the missing ones with {@code loader} in
   * batches of at most {@code maxBatchSize}, fanned out; keys loaded by someone else are waited
   * for. Fail-fast: the first failed batch cancels the others, and its failure is thrown.
   */
  public Map<K, V> getAll(Collection<? extends K> keys, BatchLoader<K, V> loader, Ttl ttl) {
    Objects.requireNonNull(keys, "keys must not be null");
    Objects.requireNonNull(loader, "loader must not be null");
    return readThrough(cache, flights, keys, owned -> loadInBatches(owned, loader, ttl));
  }

  /**
   * Returns the values of {@code keys}, in their order, from L1 or through
   * {@link #loadMany}; what {@code Cache.getAll} and {@code Batcher.getAll} share.
   */
  static <K, V> Map<K, V> readThrough(ReadPath<K, V> cache, Loads<K, V> flights,
      Collection<? extends K> keys, Consumer<List<Pending<K>>> loadOwned) {
    Set<K> unique = uniqueKeys(keys);
    cache.checkOpen();
    var present = new HashMap<K, V>();
    var missing = new ArrayList<K>();
    for (K key : unique) {
      V value = cache.lookUp(key);
      if (value != null) {
        present.put(key, value);
      } else {
        missing.add(key);
      }
    }
    Map<K, V> loaded = missing.isEmpty() ? Map.of() : loadMany(flights, missing, loadOwned);
    var result = new LinkedHashMap<K, V>();
    for (K key : unique) {
      V value = present.containsKey(key) ? present.get(key) : loaded.get(key);
      if (value != null) {
        result.put(key, value);
      }
    }
    return result;
  }

  private void loadInBatches(List<Pending<K>> mine, BatchLoader<K, V> loader, Ttl ttl) {
    if (mine.isEmpty()) {
      return;
    }
    if (mine.size() <= maxBatchSize) {
      // One batch, on the calling thread: an interrupt of this thread is the caller's alone.
      Throwable failure = loadBatch(flights, mine, loader, ttl);
      if (failure != null && Failures.isOwnInterrupt(failure)) {
        throw Failures.ownersFailure(mine.getFirst().key(), failure);
      }
      return;
    }
    var tasks = new ArrayList<Callable<Void>>();
    for (int from = 0; from < mine.size(); from += maxBatchSize) {
      List<Pending<K>> batch = mine.subList(from, Math.min(from + maxBatchSize, mine.size()));
      tasks.add(() -> {
        Throwable failure = loadBatch(flights, batch, loader, ttl);
        if (failure != null) {
          throw new BatchFailedException(failure); // fail fast: cancel the other batches
        }
        return null;
      });
    }
    try {
      fanOut.runAll(tasks, parallelism, true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheLoadException("Interrupted while loading " + mine.size() + " keys", e);
    } finally {
      // A batch cancelled before it started never completed its flights: abandon them, so their
      // waiters take the loads over.
      abandonAll(flights, mine);
    }
  }

  /**
   * Loads every absent key of {@code loaders} concurrently (at most {@code parallelism} at once);
   * never overwrites a present value; one failure does not stop the others.
   */
  public WarmupOutcome<K> warmup(Map<K, ? extends Callable<? extends V>> loaders, Ttl ttl) {
    Objects.requireNonNull(loaders, "loaders must not be null");
    loaders.forEach((key, loader) -> {
      Objects.requireNonNull(key, "loaders must not contain a null key");
      Objects.requireNonNull(loader, "loaders must not contain a null loader");
    });
    cache.checkOpen();
    var outcome = new WarmupOutcome<K>();
    List<K> pendingKeys = new ArrayList<>(loaders.keySet());
    while (!pendingKeys.isEmpty()) {
      var unclaimed = new ArrayList<K>();
      for (K key : pendingKeys) {
        if (cache.lookUp(key) != null) {
          outcome.skipped.add(key);
        } else {
          unclaimed.add(key);
        }
      }
      var claims = new ArrayList<Claim>(unclaimed.size());
      var mine = new ArrayList<Pending<K>>();
      claimAll(flights, unclaimed, claims, mine);
      runOwnLoads(mine, loaders, ttl, outcome);
      var retry = new ArrayList<K>();
      for (int i = 0; i < claims.size(); i++) {
        if (claims.get(i).owned()) {
          continue;
        }
        // Another caller is loading it: wait, and load it again only if that load left the key
        // absent (its owner was interrupted, or its loader found nothing).
        K key = unclaimed.get(i);
        switch (flights.await(key, claims.get(i).flight())) {
          case Loaded(Object value) when value != null -> outcome.skipped.add(key);
          case Failed(Throwable failure) -> outcome.failed.put(key, failure);
          default -> retry.add(key);
        }
      }
      pendingKeys = retry;
    }
    return outcome;
  }

  /** Runs the loaders of the keys this warmup claimed, fanned out, and records what they did. */
  private void runOwnLoads(List<Pending<K>> mine, Map<K, ? extends Callable<? extends V>> loaders,
      Ttl ttl, WarmupOutcome<K> outcome) {
    if (mine.isEmpty()) {
      return;
    }
    var tasks = new ArrayList<Callable<Outcome>>(mine.size());
    for (Pending<K> pending : mine) {
      // Every claimed key came from the loaders map.
      Callable<? extends V> loader = Objects.requireNonNull(loaders.get(pending.key()));
      tasks.add(() -> flights.runLoader(pending.key(), pending.flight(), loader, ttl));
    }
    List<FanOut.Outcome<Outcome>> results;
    try {
      results = fanOut.runAll(tasks, parallelism, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheLoadException("Interrupted during warmup", e);
    } finally {
      abandonAll(flights, mine);
    }
    for (int i = 0; i < mine.size(); i++) {
      K key = mine.get(i).key();
      FanOut.Outcome<Outcome> result = results.get(i);
      switch (result.value()) {
        case Loaded loaded -> outcome.loaded.add(key);
        case Failed(Throwable failure) -> outcome.failed.put(key, failure);
        case null, default -> outcome.failed.put(key, result.failure() != null
            ? result.failure()
            : new CancellationException("the load of key '" + key + "' was cancelled"));
      }
    }
  }

  /**
   * Loads keys that missed L1 (already counted): claims each, hands the ones the caller owns to
   * {@code loadOwned} (which must complete their flights, e.g. with {@link #loadBatch} or by
   * queueing them for a batch), then waits for every key. Keys whose loader was interrupted are
   * claimed again. Keys loaded as absent are left out of the result.
   *
   * @throws CacheLoadException or the loader's unchecked failure, as {@link Loads#unwrap} does
   */
  static <K, V> Map<K, V> loadMany(Loads<K, V> flights, List<K> keys,
      Consumer<List<Pending<K>>> loadOwned) {
    var result = new HashMap<K, V>();
    List<K> pendingKeys = keys;
    while (!pendingKeys.isEmpty()) {
      var claims = new ArrayList<Claim>(pendingKeys.size());
      var mine = new ArrayList<Pending<K>>();
      claimAll(flights, pendingKeys, claims, mine);
      if (!mine.isEmpty()) {
        loadOwned.accept(mine);
      }
      var retry = new ArrayList<K>();
      for (int i = 0; i < claims.size(); i++) {
        K key = pendingKeys.get(i);
        Claim claim = claims.get(i);
        Outcome outcome = flights.await(key, claim.flight());
        if (outcome == Abandoned.INSTANCE) {
          retry.add(key); // its loader was interrupted: claim it again
          continue;
        }
        if (!claim.owned()) {
          flights.stats().recordCoalesced();
        }
        V value = flights.unwrap(key, outcome); // throws the failure of the key's load
        if (value != null) {
          result.put(key, value);
        }
      }
      pendingKeys = retry;
    }
    return result;
  }

  /**
   * Runs one batch load on the calling thread for flights the caller claimed: one
   * {@link BatchLoader#load} call for all their keys, then every flight is completed. A key the
   * loader leaves out completes with {@code null} and is not stored; a failure fails every key of
   * the batch; an interrupt of this thread abandons them (their waiters take the loads over).
   *
   * @return the batch loader's failure, or null if it returned
   */
  static <K, V> @Nullable Throwable loadBatch(Loads<K, V> flights, List<Pending<K>> claimed,
      BatchLoader<K, V> loader, Ttl ttl) {
    Thread current = Thread.currentThread();
    List<Pending<K>> batch = claimed;
    if (!flights.tiers().isEmpty()) {
      // Keys the tiers hold are promoted from there; only the rest go to the batch loader.
      batch = new ArrayList<>(claimed.size());
      try {
        for (Pending<K> pending : claimed) {
          pending.flight().owner = current;
          if (flights.readTiers(pending.key(), pending.flight()) == null) {
            batch.add(pending);
          }
        }
      } catch (RuntimeException | Error e) {
        abandonAll(flights, claimed); // flights completed from the tiers stay as they are
        throw e;
      }
      if (batch.isEmpty()) {
        return null;
      }
    }
    Set<K> keys = LinkedHashSet.newLinkedHashSet(batch.size());
    for (Pending<K> pending : batch) {
      pending.flight().owner = current;
      keys.add(pending.key());
    }
    Map<K, V> loaded = Map.of();
    @Nullable Throwable failure = null;
    @Nullable Outcome failed = null;
    long start = flights.ticker().read();
    try {
      Map<K, V> result = loader.load(Collections.unmodifiableSet(keys));
      if (result == null) {
        throw new NullPointerException("The batch loader returned null instead of a map");
      }
      loaded = result;
    } catch (Throwable t) {
      failure = t;
      failed = Failures.isOwnInterrupt(t) ? Abandoned.INSTANCE : new Failed(t);
    } finally {
      long elapsed = flights.ticker().read() - start;
      flights.stats().recordBatch(keys.size(), elapsed, failure != null);
      for (Pending<K> pending : batch) {
        Outcome outcome = failed != null ? failed : new Loaded(loaded.get(pending.key()));
        try {
          flights.writes().finish(pending.key(), pending.flight(), outcome, ttl, false);
        } catch (Throwable t) {
          logger.warn("Could not store the batch-loaded value of key '{}'", pending.key(), t);
        } finally {
          flights.tiers().loadFinished(pending.key());
        }
      }
    }
    return failure;
  }

  /**
   * Claims every key, collecting the claims and the flights the caller owns. If a claim throws (a
   * re-entrant key), the flights already owned are abandoned first, so none is left in the table.
   */
  static <K> void claimAll(Loads<K, ?> flights, List<K> keys, List<Claim> claims,
      List<Pending<K>> mine) {
    try {
      for (K key : keys) {
        Claim claim = flights.claim(key);
        claims.add(claim);
        if (claim.owned()) {
          mine.add(new Pending<>(key, claim.flight()));
        }
      }
    } catch (RuntimeException | Error e) {
      abandonAll(flights, mine);
      throw e;
    }
  }

  private static <K> void abandonAll(Loads<K, ?> flights, List<Pending<K>> pending) {
    for (Pending<K> p : pending) {
      flights.abandon(p.key(), p.flight());
    }
  }

  /** The three sets a warmup reports. */
  public static final class WarmupOutcome<K> {
    public final Set<K> loaded = new LinkedHashSet<>();
    public final Set<K> skipped = new LinkedHashSet<>();
    public final Map<K, Throwable> failed = new LinkedHashMap<>();
  }

  static <K> Set<K> uniqueKeys(Collection<? extends K> keys) {
    Objects.requireNonNull(keys, "keys must not be null");
    var unique = new LinkedHashSet<K>(Math.max(16, keys.size() * 2));
    for (K key : keys) {
      unique.add(Objects.requireNonNull(key, "keys must not contain null"));
    }
    return unique;
  }

  /** A key with the flight its loader must complete. */
  public record Pending<K>(K key, Flight flight) {}

  /** Carries a batch loader's failure out of a fan-out task, so the fan-out fails fast. */
  private static final class BatchFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    BatchFailedException(Throwable cause) {
      super(cause);
    }
  }
}
