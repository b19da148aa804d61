package dev.loomcache.internal;

import dev.loomcache.BatchLoader;
import dev.loomcache.CacheLoadException;
import dev.loomcache.internal.BatchDispatcher.ReadPath;
import dev.loomcache.internal.Flight.Abandoned;
import dev.loomcache.internal.Flight.Failed;
import dev.loomcache.internal.Flight.Loaded;
import dev.loomcache.internal.Flight.Outcome;
import dev.loomcache.internal.FlightTable.Claim;
import dev.loomcache.internal.FlightTable.Pending;
import java.util.ArrayList;
import java.util.Collection;
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

/**
 * {@code getAll} and {@code warmup}: many keys claimed in the shared {@link FlightTable}, loaded
 * concurrently through the {@link FanOut}, so that no key is loaded twice at once whichever API
 * asked for it, and no task outlives the call.
 */
public final class BulkLoads<K, V> {
  private final ReadPath<K, V> cache;
  private final FlightTable<K, V> flights;
  private final FanOut fanOut;
  private final int maxBatchSize;
  private final int parallelism;

  public BulkLoads(ReadPath<K, V> cache, FlightTable<K, V> flights, FanOut fanOut,
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
  public Map<K, V> getAll(Collection<? extends K> keys, BatchLoader<K, V> loader, long ttlNanos) {
    Objects.requireNonNull(keys, "keys must not be null");
    Objects.requireNonNull(loader, "loader must not be null");
    return readThrough(cache, flights, keys, owned -> loadInBatches(owned, loader, ttlNanos));
  }

  /**
   * Returns the values of {@code keys}, in their order, from L1 or through
   * {@link FlightTable#loadMany}; what {@code Cache.getAll} and {@code Batcher.getAll} share.
   */
  static <K, V> Map<K, V> readThrough(ReadPath<K, V> cache, FlightTable<K, V> flights,
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
    Map<K, V> loaded = missing.isEmpty() ? Map.of() : flights.loadMany(missing, loadOwned);
    var result = new LinkedHashMap<K, V>();
    for (K key : unique) {
      V value = present.containsKey(key) ? present.get(key) : loaded.get(key);
      if (value != null) {
        result.put(key, value);
      }
    }
    return result;
  }

  private void loadInBatches(List<Pending<K>> mine, BatchLoader<K, V> loader, long ttlNanos) {
    if (mine.isEmpty()) {
      return;
    }
    if (mine.size() <= maxBatchSize) {
      flights.loadBatch(mine, loader, ttlNanos); // one batch: on the calling thread
      return;
    }
    var tasks = new ArrayList<Callable<Void>>();
    for (int from = 0; from < mine.size(); from += maxBatchSize) {
      List<Pending<K>> batch = mine.subList(from, Math.min(from + maxBatchSize, mine.size()));
      tasks.add(() -> {
        Throwable failure = flights.loadBatch(batch, loader, ttlNanos);
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
      for (Pending<K> pending : mine) {
        flights.abandon(pending.key(), pending.flight());
      }
    }
  }

  /**
   * Loads every absent key of {@code loaders} concurrently (at most {@code parallelism} at once);
   * never overwrites a present value; one failure does not stop the others.
   */
  public WarmupOutcome<K> warmup(Map<K, ? extends Callable<? extends V>> loaders, long ttlNanos) {
    Objects.requireNonNull(loaders, "loaders must not be null");
    loaders.forEach((key, loader) -> {
      Objects.requireNonNull(key, "loaders must not contain a null key");
      Objects.requireNonNull(loader, "loaders must not contain a null loader");
    });
    cache.checkOpen();
    var outcome = new WarmupOutcome<K>();
    var joined = new LinkedHashMap<K, Flight>();
    var mine = new ArrayList<Pending<K>>();
    for (K key : loaders.keySet()) {
      if (cache.lookUp(key) != null) {
        outcome.skipped.add(key);
        continue;
      }
      Claim claim = flights.claim(key);
      if (claim.owned()) {
        mine.add(new Pending<>(key, claim.flight()));
      } else {
        joined.put(key, claim.flight());
      }
    }
    var tasks = new ArrayList<Callable<Outcome>>(mine.size());
    for (Pending<K> pending : mine) {
      Callable<? extends V> loader = loaders.get(pending.key());
      tasks.add(() -> flights.runLoader(pending.key(), pending.flight(), loader, ttlNanos));
    }
    List<FanOut.Outcome<Outcome>> results;
    try {
      results = fanOut.runAll(tasks, parallelism, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheLoadException("Interrupted during warmup", e);
    } finally {
      for (Pending<K> pending : mine) {
        flights.abandon(pending.key(), pending.flight());
      }
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
    for (Map.Entry<K, Flight> entry : joined.entrySet()) {
      // Another caller is loading it: wait, and do not load it again.
      Outcome other = flights.await(entry.getKey(), entry.getValue());
      if (other instanceof Failed(Throwable failure)) {
        outcome.failed.put(entry.getKey(), failure);
      } else {
        outcome.skipped.add(entry.getKey());
      }
    }
    return outcome;
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

  /** Carries a batch loader's failure out of a fan-out task, so the fan-out fails fast. */
  private static final class BatchFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    BatchFailedException(Throwable cause) {
      super(cause);
    }
  }
}
