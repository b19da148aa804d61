package dev.loomcache.internal;

import dev.loomcache.BatchLoader;
import dev.loomcache.CacheLoadException;
import dev.loomcache.internal.BatchDispatcher.ReadPath;
import dev.loomcache.internal.Flight.Abandoned;
import dev.loomcache.internal.Flight.Failed;
import dev.loomcache.internal.Flight.Loaded;
import dev.loomcache.internal.Flight.Outcome;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;
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

  public BulkLoads(
      ReadPath<K, V> cache, Loads<K, V> flights, FanOut fanOut, int maxBatchSize, int parallelism) {
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
    return getAll(keys, loader, ttl, null);
  }

  /**
   * As {@link #getAll(Collection, BatchLoader, Ttl)}; present keys due for a refresh are handed to
   * {@code refresh} (with their entries), to be reloaded in the background through {@code loader}.
   */
  public Map<K, V> getAll(
      Collection<? extends K> keys,
      BatchLoader<K, V> loader,
      Ttl ttl,
      @Nullable BiConsumer<List<K>, List<FreshEntry>> refresh) {
    Objects.requireNonNull(keys, "keys must not be null");
    Objects.requireNonNull(loader, "loader must not be null");
    return readThrough(cache, flights, keys, owned -> loadInBatches(owned, loader, ttl), refresh);
  }

  /**
   * Returns the values of {@code keys}, in their order, from L1 or through {@link #loadMany}; what
   * {@code Cache.getAll} and {@code Batcher.getAll} share. One presized map does the
   * de-duplication, keeps the order and becomes the result: a missing key holds its place with a
   * null value until it is loaded (or is removed, if it loads as absent).
   */
  static <K, V> Map<K, V> readThrough(
      ReadPath<K, V> cache,
      Loads<K, V> flights,
      Collection<? extends K> keys,
      Consumer<KeyFlights<K>> loadOwned) {
    return readThrough(cache, flights, keys, loadOwned, null);
  }

  /**
   * As {@link #readThrough(ReadPath, Loads, Collection, Consumer)}; present keys due for a refresh
   * are handed to {@code refresh} together, after the lookups. Keys remembered as absent are
   * neither loaded nor returned.
   */
  static <K, V> Map<K, V> readThrough(
      ReadPath<K, V> cache,
      Loads<K, V> flights,
      Collection<? extends K> keys,
      Consumer<KeyFlights<K>> loadOwned,
      @Nullable BiConsumer<List<K>, List<FreshEntry>> refresh) {
    Objects.requireNonNull(keys, "keys must not be null");
    cache.checkOpen();
    int n = keys.size();
    LinkedHashMap<K, @Nullable V> result = LinkedHashMap.newLinkedHashMap(n);
    Object[] missing = null;
    int missingCount = 0;
    boolean anyAbsent = false;
    var due = refresh == null ? null : new Due<K>();
    for (K key : keys) {
      Objects.requireNonNull(key, "keys must not contain null");
      int size = result.size();
      result.putIfAbsent(key, null);
      if (result.size() == size) {
        continue; // a duplicate: counted and looked up once
      }
      V value = due == null ? cache.lookUp(key) : cache.lookUp(key, due);
      if (value == ReadPath.ABSENT) {
        result.put(key, value); // keeps the key from being looked up again; removed below
        anyAbsent = true;
      } else if (value != null) {
        result.put(key, value);
      } else {
        if (missing == null) {
          missing = new Object[n];
        }
        missing[missingCount++] = key;
      }
    }
    if (refresh != null && due != null && !due.keys.isEmpty()) {
      refresh.accept(due.keys, due.entries);
    }
    if (missing != null) {
      loadMany(flights, missing, missingCount, loadOwned, result);
    }
    if (anyAbsent) {
      result.values().removeIf(value -> value == ReadPath.ABSENT);
    }
    @SuppressWarnings("NullAway") // every null placeholder was replaced or removed by loadMany
    Map<K, V> values = result;
    return values;
  }

  private void loadInBatches(KeyFlights<K> mine, BatchLoader<K, V> loader, Ttl ttl) {
    if (mine.size == 0) {
      return;
    }
    if (mine.size <= maxBatchSize) {
      // One batch, on the calling thread: an interrupt of this thread is the caller's alone.
      Throwable failure = loadBatch(flights, mine, 0, mine.size, loader, ttl);
      if (failure != null && Failures.isOwnInterrupt(failure)) {
        throw Failures.ownersFailure(mine.key(0), failure);
      }
      return;
    }
    var tasks = new ArrayList<Callable<Void>>(mine.size / maxBatchSize + 1);
    for (int from = 0; from < mine.size; from += maxBatchSize) {
      int batchFrom = from;
      int batchTo = Math.min(from + maxBatchSize, mine.size);
      tasks.add(() -> {
        Throwable failure = loadBatch(flights, mine, batchFrom, batchTo, loader, ttl);
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
      throw new CacheLoadException("Interrupted while loading " + mine.size + " keys", e);
    } finally {
      // A batch cancelled before it started never completed its flights: abandon them, so their
      // waiters take the loads over.
      abandonAll(flights, mine, 0, mine.size);
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
      Object[] keys = unclaimed.toArray();
      var claimed = new Flight[keys.length];
      var owned = new boolean[keys.length];
      KeyFlights<K> mine = claimAll(flights, keys, keys.length, claimed, owned);
      runOwnLoads(mine, loaders, ttl, outcome);
      var retry = new ArrayList<K>();
      for (int i = 0; i < keys.length; i++) {
        if (owned[i]) {
          continue;
        }
        // Another caller is loading it: wait, and load it again only if that load left the key
        // absent (its owner was interrupted, or its loader found nothing).
        K key = unclaimed.get(i);
        switch (flights.await(key, claimed[i])) {
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
  private void runOwnLoads(
      KeyFlights<K> mine,
      Map<K, ? extends Callable<? extends V>> loaders,
      Ttl ttl,
      WarmupOutcome<K> outcome) {
    if (mine.size == 0) {
      return;
    }
    var tasks = new ArrayList<Callable<Outcome>>(mine.size);
    for (int i = 0; i < mine.size; i++) {
      K key = mine.key(i);
      Flight flight = mine.flight(i);
      // Every claimed key came from the loaders map.
      Callable<? extends V> loader = Objects.requireNonNull(loaders.get(key));
      tasks.add(() -> flights.runLoader(key, flight, loader, ttl));
    }
    List<FanOut.Outcome<Outcome>> results;
    try {
      results = fanOut.runAll(tasks, parallelism, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheLoadException("Interrupted during warmup", e);
    } finally {
      abandonAll(flights, mine, 0, mine.size);
    }
    for (int i = 0; i < mine.size; i++) {
      K key = mine.key(i);
      FanOut.Outcome<Outcome> result = results.get(i);
      switch (result.value()) {
        case Loaded loaded -> outcome.loaded.add(key);
        case Failed(Throwable failure) -> outcome.failed.put(key, failure);
        case null, default ->
            outcome.failed.put(
                key,
                result.failure() != null
                    ? result.failure()
                    : new CancellationException("the load of key '" + key + "' was cancelled"));
      }
    }
  }

  /**
   * Loads {@code count} keys that missed L1 (already counted): claims each, hands the ones the
   * caller owns to {@code loadOwned} (which must complete their flights, e.g. with {@link
   * #loadBatch} or by queueing them for a batch), then waits for every key and puts its value in
   * {@code result} (a key loaded as absent is removed from it). Keys whose loader was interrupted
   * are claimed again.
   *
   * @throws CacheLoadException or the loader's unchecked failure, as {@link Loads#unwrap} does
   */
  static <K, V> void loadMany(
      Loads<K, V> flights,
      Object[] keys,
      int count,
      Consumer<KeyFlights<K>> loadOwned,
      Map<K, @Nullable V> result) {
    var claimed = new Flight[count];
    var owned = new boolean[count];
    while (count > 0) {
      KeyFlights<K> mine = claimAll(flights, keys, count, claimed, owned);
      if (mine.size > 0) {
        loadOwned.accept(mine);
      }
      int retries = 0;
      for (int i = 0; i < count; i++) {
        @SuppressWarnings("unchecked")
        K key = (K) keys[i];
        Outcome outcome = flights.await(key, claimed[i]);
        if (outcome == Abandoned.INSTANCE) {
          keys[retries++] = key; // its loader was interrupted: claim it again (i >= retries)
          continue;
        }
        if (!owned[i]) {
          flights.stats().recordCoalesced();
        }
        V value = flights.unwrap(key, outcome); // throws the failure of the key's load
        if (value != null) {
          result.put(key, value);
        } else {
          result.remove(key);
        }
      }
      count = retries;
    }
  }

  /**
   * Runs one batch load on the calling thread for the flights {@code from} to {@code to} of {@code
   * claimed}, which the caller claimed: one {@link BatchLoader#load} call for all their keys, then
   * every flight is completed. A key the loader leaves out completes with {@code null} and is not
   * stored; a failure fails every key of the batch, except the keys whose expired value L1 still
   * keeps under stale-if-error (or whose refresh failed): their callers and waiters get that value,
   * counted as stale served, and nothing is stored; an interrupt of this thread abandons them
   * (their waiters take the loads over).
   *
   * @return the batch loader's failure, or null if it returned or if every key of the failed batch
   *     was answered with a stale value (then the other batches of a {@code getAll} go on)
   */
  static <K, V> @Nullable Throwable loadBatch(
      Loads<K, V> flights,
      KeyFlights<K> claimed,
      int from,
      int to,
      BatchLoader<K, V> loader,
      Ttl ttl) {
    Thread current = Thread.currentThread();
    KeyFlights<K> batch = claimed;
    if (!flights.tiers().isEmpty()) {
      // Keys the tiers hold are promoted from there; only the rest go to the batch loader.
      batch = new KeyFlights<>(to - from);
      try {
        for (int i = from; i < to; i++) {
          Flight flight = claimed.flight(i);
          takeOver(flight, current);
          // A refresh reloads from the batch loader: the tiers hold the value being refreshed.
          if (flight.refresh || flights.readTiers(claimed.key(i), flight, ttl) == null) {
            batch.add(claimed.key(i), flight);
          }
        }
      } catch (RuntimeException | Error e) {
        abandonAll(flights, claimed, from, to); // flights completed from the tiers stay as they are
        throw e;
      }
      if (batch.size == 0) {
        return null;
      }
      from = 0;
      to = batch.size;
    } else {
      for (int i = from; i < to; i++) {
        takeOver(claimed.flight(i), current);
      }
    }
    Map<K, V> loaded = Map.of();
    @Nullable Throwable failure = null;
    @Nullable Outcome failed = null;
    boolean unanswered = false; // a key of a failed batch without a stale value
    long start = flights.ticker().read();
    long elapsed = -1;
    try {
      Map<K, V> result = loader.load(new KeySet<>(batch.keys, from, to));
      if (result == null) {
        throw new NullPointerException("The batch loader returned null instead of a map");
      }
      loaded = result;
    } catch (Throwable t) {
      failure = t;
      failed = Failures.isOwnInterrupt(t) ? Abandoned.INSTANCE : new Failed(t);
    } finally {
      elapsed = flights.ticker().read() - start;
      flights.stats().recordBatch(to - from, elapsed, failure != null);
      WritePath<K, V>.BatchFinish finish = flights.writes().batchFinish();
      boolean tiered = !flights.tiers().isEmpty();
      for (int i = from; i < to; i++) {
        K key = batch.key(i);
        Outcome outcome = failed != null ? failed : new Loaded(loaded.get(key));
        Ttl storeTtl = ttl;
        if (failed instanceof Failed) {
          Object stale = flights.staleValue(key); // an L1 read: no user code
          if (stale != null) {
            // stale-if-error, as for one key: the kept value for everyone; nothing is stored.
            outcome = new Loaded(new Loads.Stale(stale));
            storeTtl = Ttl.NOT_STORED;
          } else {
            unanswered = true;
          }
        }
        try {
          finish.finish(key, batch.flight(i), outcome, storeTtl, elapsed);
        } catch (Throwable t) {
          logger.warn("Could not store the batch-loaded value of key '{}'", key, t);
        } finally {
          if (tiered) {
            flights.tiers().loadFinished(key);
          }
        }
      }
    }
    return failed instanceof Failed && !unanswered ? null : failure;
  }

  /**
   * Claims the first {@code count} keys into {@code claimed}, marking in {@code owned} the flights
   * the caller owns, and returns those. If a claim throws (a re-entrant key), the flights already
   * owned are abandoned first, so none is left in the table.
   */
  static <K> KeyFlights<K> claimAll(
      Loads<K, ?> flights, Object[] keys, int count, Flight[] claimed, boolean[] owned) {
    int ownedCount = 0;
    int i = 0;
    try {
      for (; i < count; i++) {
        @SuppressWarnings("unchecked")
        K key = (K) keys[i];
        Flight flight = flights.claimMissing(key);
        claimed[i] = flight;
        owned[i] = Loads.owns(flight);
        if (owned[i]) {
          ownedCount++;
        }
      }
    } catch (RuntimeException | Error e) {
      for (int j = 0; j < i; j++) { // key i was not claimed
        if (owned[j]) {
          @SuppressWarnings("unchecked")
          K key = (K) keys[j];
          flights.abandon(key, claimed[j]);
        }
      }
      throw e;
    }
    if (ownedCount == count) {
      return new KeyFlights<>(keys, claimed, count); // the common case: no copy
    }
    var mine = new KeyFlights<K>(ownedCount);
    for (int j = 0; j < count; j++) {
      if (owned[j]) {
        @SuppressWarnings("unchecked")
        K key = (K) keys[j];
        mine.add(key, claimed[j]);
      }
    }
    return mine;
  }

  /**
   * Makes {@code current} the owner of {@code flight}, writing the volatile field only if it is not
   * already (a {@code getAll} claimed its keys on the thread that loads them).
   */
  private static void takeOver(Flight flight, Thread current) {
    if (flight.owner != current) {
      flight.owner = current;
    }
  }

  static <K> void abandonAll(Loads<K, ?> flights, KeyFlights<K> pending, int from, int to) {
    for (int i = from; i < to; i++) {
      flights.abandon(pending.key(i), pending.flight(i));
    }
  }

  /**
   * Keys with the flights their loader must complete, in two parallel arrays: no object per key.
   * Filled by one thread, then handed over (to a batch thread through the dispatcher's lock).
   */
  public static final class KeyFlights<K> {
    Object[] keys;
    @Nullable Flight[] flights;
    int size;

    KeyFlights(int capacity) {
      this.keys = new Object[capacity];
      this.flights = new Flight[capacity];
    }

    KeyFlights(Object[] keys, @Nullable Flight[] flights, int size) {
      this.keys = keys;
      this.flights = flights;
      this.size = size;
    }

    void add(K key, Flight flight) {
      if (size == keys.length) {
        int capacity = Math.max(16, size * 2);
        keys = Arrays.copyOf(keys, capacity);
        flights = Arrays.copyOf(flights, capacity);
      }
      keys[size] = key;
      flights[size++] = flight;
    }

    @SuppressWarnings({"unchecked", "NullAway"})
    K key(int i) {
      return (K) keys[i];
    }

    @SuppressWarnings("NullAway")
    Flight flight(int i) {
      return flights[i];
    }
  }

  /**
   * The keys a batch loader is given: an unmodifiable view of part of an array, iterated in order.
   * {@code contains} scans small batches and hashes large ones (built on first use).
   */
  static final class KeySet<K> extends AbstractSet<K> {
    private final Object[] keys;
    private final int from;
    private final int to;
    private @Nullable Set<Object> index;

    KeySet(Object[] keys, int from, int to) {
      this.keys = keys;
      this.from = from;
      this.to = to;
    }

    @Override
    public int size() {
      return to - from;
    }

    @Override
    public boolean contains(@Nullable Object o) {
      if (o == null) {
        return false;
      }
      if (to - from <= 16) {
        for (int i = from; i < to; i++) {
          if (o.equals(keys[i])) {
            return true;
          }
        }
        return false;
      }
      Set<Object> set = index;
      if (set == null) {
        set = HashSet.newHashSet(to - from);
        for (int i = from; i < to; i++) {
          set.add(Objects.requireNonNull(keys[i]));
        }
        index = set;
      }
      return set.contains(o);
    }

    @Override
    public Iterator<K> iterator() {
      return new Iterator<>() {
        private int next = from;

        @Override
        public boolean hasNext() {
          return next < to;
        }

        @Override
        @SuppressWarnings({"unchecked", "NullAway"})
        public K next() {
          if (next >= to) {
            throw new NoSuchElementException();
          }
          return (K) keys[next++];
        }
      };
    }
  }

  /** The three sets a warmup reports. */
  public static final class WarmupOutcome<K> {
    public final Set<K> loaded = new LinkedHashSet<>();
    public final Set<K> skipped = new LinkedHashSet<>();
    public final Map<K, Throwable> failed = new LinkedHashMap<>();
  }

  /** Collects the present keys of one call that are due for a refresh. */
  private static final class Due<K> implements BiConsumer<K, FreshEntry> {
    final List<K> keys = new ArrayList<>();
    final List<FreshEntry> entries = new ArrayList<>();

    @Override
    public void accept(K key, FreshEntry entry) {
      keys.add(key);
      entries.add(entry);
    }
  }

  /** Carries a batch loader's failure out of a fan-out task, so the fan-out fails fast. */
  private static final class BatchFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    BatchFailedException(Throwable cause) {
      super(cause);
    }
  }
}
