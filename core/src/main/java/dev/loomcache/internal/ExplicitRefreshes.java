package dev.loomcache.internal;

import dev.loomcache.BatchLoader;
import dev.loomcache.CacheLoadException;
import dev.loomcache.internal.BulkLoads.KeyFlights;
import dev.loomcache.internal.Flight.Abandoned;
import dev.loomcache.internal.Flight.Failed;
import dev.loomcache.internal.Flight.Loaded;
import dev.loomcache.internal.Flight.Outcome;
import dev.loomcache.internal.FlightTable.Claim;
import dev.loomcache.internal.Loads.Stale;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Explicit refreshes ({@code Cache.refresh}, {@code Cache.refreshAll}): reloads a caller asks for,
 * each a flight in the {@link FlightTable} like any load, run on the {@link Refresher}'s threads
 * (so {@code close()} interrupts and joins them with the refresh-ahead reloads).
 *
 * <p>Design note. The key is claimed <em>on the calling thread</em>, before the call returns, with
 * the table's plain claim (no L1 re-read: the point is to reload a present value). That one step
 * gives every guarantee, and it is the flight table's own, exactly as for refresh-ahead ({@link
 * Refresher}): a {@code put}, {@code invalidate}, {@code invalidateAll} or {@code invalidateTag}
 * that runs after the claim supersedes (or tag-marks) the flight, so its value is handed to the
 * future but never stored; one that ran before it is simply older than the refresh. A {@code get}
 * that misses meanwhile joins the refresh's flight; a refresh that finds a current flight (a {@code
 * get}, {@code getAll}, batcher or another refresh loading the key) joins it instead of loading
 * again. The claimed flight's owner is cleared at once, until the refresh thread takes it over
 * ({@link Loads#runLoader}, {@link BulkLoads#loadBatch}), so a later {@code get} of the key on the
 * calling thread waits for the refresh instead of being taken for a re-entrant load. Flights are
 * marked {@link Flight#refresh}: the loader runs, not the tiers, which hold the value being
 * refreshed. Until the reload lands, L1 keeps serving the old value; a failure leaves it (and
 * stale-if-error's substitute is not taken for success).
 *
 * <p>A reload that returns {@code null} (or a batch loader that leaves a key out) follows {@code
 * get}/{@code getAll}: with {@code negativeTtl} the absence is stored (by the ordinary store);
 * otherwise nothing is cached for the key, so the old value is removed, with a compare-and-set on
 * the very L1 object seen before the claim ({@link WritePath#writeIfSame}), so that a write made
 * during the refresh is never removed.
 */
public final class ExplicitRefreshes<K, V> {
  private final Loads<K, V> loads;
  private final L1Store<K, V> l1;
  private final Refresher<K, V> refresher;
  private final String cacheName;

  public ExplicitRefreshes(
      Loads<K, V> loads, L1Store<K, V> l1, Refresher<K, V> refresher, String cacheName) {
    this.loads = loads;
    this.l1 = l1;
    this.refresher = refresher;
    this.cacheName = cacheName;
  }

  /**
   * Claims {@code key} on the calling thread and reloads it with {@code loader} on a refresh
   * thread, or joins the current flight of the key; never blocks.
   *
   * @throws IllegalStateException if the calling thread is loading {@code key} itself
   */
  public CompletableFuture<@Nullable V> refresh(K key, Callable<? extends V> loader, Ttl ttl) {
    var future = new CompletableFuture<@Nullable V>();
    Object before = l1.getIfPresent(key); // before the claim: see removeIfUnchanged
    Claim claim = loads.flights().claim(key);
    Flight flight = claim.flight();
    if (claim.owned()) {
      handOver(flight);
    }
    boolean started =
        refresher.startThread(() -> {
          try {
            future.complete(
                claim.owned()
                    ? reload(key, flight, loader, ttl, before)
                    : join(key, flight, loader, ttl, before));
          } catch (Throwable t) {
            future.completeExceptionally(t);
          }
        });
    if (!started) {
      if (claim.owned()) {
        loads.abandon(key, flight);
      }
      future.completeExceptionally(closed());
    }
    return future;
  }

  /** Runs {@code loader} as the owner of {@code flight}, on the refresh thread; counts it. */
  private @Nullable V reload(
      K key, Flight flight, Callable<? extends V> loader, Ttl ttl, @Nullable Object before) {
    // stale-if-error hands the kept value to the flight's waiters; this caller wants the failure.
    var failure = new Throwable[1];
    Callable<V> recording =
        () -> {
          try {
            return loader.call();
          } catch (Throwable t) {
            failure[0] = t;
            throw t;
          }
        };
    Outcome outcome = loads.runLoader(key, flight, recording, ttl);
    loads.stats().recordRefresh(succeeded(outcome));
    return switch (outcome) {
      case Loaded(Stale stale) ->
          throw Failures.rethrow(
              key,
              failure[0] != null
                  ? failure[0]
                  : new IllegalStateException("the refresh of key '" + key + "' failed"));
      case Loaded(Object value) -> {
        if (value == null) {
          removeIfUnchanged(key, before);
        }
        @SuppressWarnings("unchecked")
        V loaded = (V) value;
        yield loaded;
      }
      case Failed(Throwable t) -> throw Failures.rethrow(key, t);
      case Abandoned abandoned ->
          throw Failures.rethrow(key, interrupted(key, flight.ownersFailure));
    };
  }

  /**
   * Waits for another caller's load of {@code key} and returns its outcome as a waiting {@code get}
   * would receive it; if its owner was interrupted, claims the key again and reloads it here (or
   * joins the flight that won).
   */
  private @Nullable V join(
      K key, Flight flight, Callable<? extends V> loader, Ttl ttl, @Nullable Object before) {
    for (Flight current = flight; ; ) {
      Outcome outcome = loads.await(key, current); // interrupted by close(): throws
      if (outcome != Abandoned.INSTANCE) {
        return loads.unwrap(key, outcome);
      }
      if (stopping()) {
        throw Failures.rethrow(key, interrupted(key, null));
      }
      Claim claim = loads.flights().claim(key);
      current = claim.flight();
      if (claim.owned()) {
        current.refresh = true;
        return reload(key, current, loader, ttl, before);
      }
    }
  }

  /**
   * Claims each of {@code keys} (distinct) on the calling thread and reloads the claimed ones with
   * {@code loader} on one refresh thread, one batch loader call per {@code maxBatchSize} keys; keys
   * being loaded by someone else are waited for. Never blocks.
   *
   * @throws IllegalStateException if the calling thread is loading one of {@code keys} itself
   */
  public CompletableFuture<Map<K, V>> refreshAll(
      List<K> keys, BatchLoader<K, V> loader, Ttl ttl, int maxBatchSize) {
    var future = new CompletableFuture<Map<K, V>>();
    Round<K> first = claim(keys);
    boolean started =
        refresher.startThread(() -> {
          try {
            future.complete(reloadAll(keys, first, loader, ttl, maxBatchSize));
          } catch (Throwable t) {
            future.completeExceptionally(t);
          } finally {
            BulkLoads.abandonAll(
                loads, first.owned, 0, first.owned.size); // none is left in the table
          }
        });
    if (!started) {
      BulkLoads.abandonAll(loads, first.owned, 0, first.owned.size);
      future.completeExceptionally(closed());
    }
    return future;
  }

  /** The keys of one claiming pass: those this refresh owns, and those it joins. */
  private static final class Round<K> {
    final KeyFlights<K> owned;
    final List<@Nullable Object> before = new ArrayList<>();
    final KeyFlights<K> joined;

    Round(int capacity) {
      owned = new KeyFlights<>(capacity);
      joined = new KeyFlights<>(0);
    }
  }

  /**
   * Claims every key, handing the owned flights over; if a claim throws (a re-entrant key), the
   * flights already owned are abandoned first.
   */
  private Round<K> claim(List<K> keys) {
    var round = new Round<K>(keys.size());
    try {
      for (K key : keys) {
        Object before = l1.getIfPresent(key);
        Claim claim = loads.flights().claim(key);
        if (claim.owned()) {
          handOver(claim.flight());
          round.owned.add(key, claim.flight());
          round.before.add(before);
        } else {
          round.joined.add(key, claim.flight());
        }
      }
    } catch (RuntimeException | Error e) {
      BulkLoads.abandonAll(loads, round.owned, 0, round.owned.size);
      throw e;
    }
    return round;
  }

  /**
   * On the refresh thread: loads the owned keys of each round in batches, waits for the joined
   * ones, and claims again the keys whose owner was interrupted. Every batch runs, even after one
   * failed (its keys keep their old values); the first failure is thrown at the end.
   */
  private Map<K, V> reloadAll(
      List<K> keys, Round<K> first, BatchLoader<K, V> loader, Ttl ttl, int maxBatchSize) {
    var values = new LinkedHashMap<K, V>();
    Throwable failure = null;
    for (Round<K> round = first; round != null; ) {
      KeyFlights<K> mine = round.owned;
      try {
        for (int from = 0; from < mine.size; from += maxBatchSize) {
          if (stopping()) {
            break; // close(): the rest are abandoned below, so their waiters take over
          }
          int to = Math.min(from + maxBatchSize, mine.size);
          BulkLoads.loadBatch(loads, mine, from, to, loader, ttl);
          if (mine.flight(to - 1).outcomeNow() == Abandoned.INSTANCE) {
            break; // this thread was interrupted during the batch: the cache is closing
          }
        }
      } finally {
        BulkLoads.abandonAll(loads, mine, 0, mine.size); // none is left in the table
      }
      var retry = new ArrayList<K>();
      for (int i = 0; i < mine.size; i++) {
        K key = mine.key(i);
        Outcome outcome = requireOutcome(mine.flight(i));
        loads.stats().recordRefresh(succeeded(outcome));
        switch (outcome) {
          case Loaded(Object value) when value != null -> put(values, key, value);
          case Loaded loaded -> removeIfUnchanged(key, round.before.get(i));
          case Failed(Throwable t) -> failure = failure != null ? failure : unchecked(key, t);
          case Abandoned abandoned ->
              failure = failure != null ? failure : unchecked(key, interrupted(key, null));
        }
      }
      for (int i = 0; i < round.joined.size; i++) {
        K key = round.joined.key(i);
        Outcome outcome;
        try {
          outcome = loads.await(key, round.joined.flight(i));
        } catch (CacheLoadException e) { // interrupted by close()
          failure = failure != null ? failure : e;
          Thread.currentThread().interrupt();
          continue;
        }
        switch (outcome) {
          case Loaded(Stale(Object value)) -> {
            loads.stats().recordStaleServed();
            put(values, key, value);
          }
          case Loaded(Object value) when value != null -> put(values, key, value);
          case Loaded loaded -> {}
          case Failed(Throwable t) -> failure = failure != null ? failure : unchecked(key, t);
          case Abandoned abandoned -> {
            if (stopping()) {
              failure = failure != null ? failure : interrupted(key, null);
            } else {
              retry.add(key); // its owner was interrupted: claim it again
            }
          }
        }
      }
      round = retry.isEmpty() ? null : claim(retry);
    }
    if (failure != null) {
      throw Failures.rethrow("", failure); // already unchecked: thrown as it is
    }
    // In the order of the keys asked for, as getAll returns them.
    var ordered = LinkedHashMap.<K, V>newLinkedHashMap(values.size());
    for (K key : keys) {
      V value = values.get(key);
      if (value != null) {
        ordered.put(key, value);
      }
    }
    return ordered;
  }

  @SuppressWarnings("unchecked")
  private void put(Map<K, V> values, K key, Object value) {
    values.put(key, (V) value);
  }

  /** Whether this refresh thread should stop: the cache is closing (or the thread interrupted). */
  private boolean stopping() {
    return refresher.isClosed() || Thread.currentThread().isInterrupted();
  }

  private static Outcome requireOutcome(Flight flight) {
    Outcome outcome = flight.outcomeNow();
    return outcome != null ? outcome : Abandoned.INSTANCE; // completed by abandonAll above
  }

  /** The calling thread claimed {@code flight}; the refresh thread will take it over. */
  private static void handOver(Flight flight) {
    flight.refresh = true;
    flight.owner = null;
  }

  /**
   * A reload that loaded nothing leaves nothing cached, as {@code get} does: removes the key if L1
   * still holds exactly what it held before the claim (so no write made since is undone). A key L1
   * did not hold is left alone without tiers; with them it is removed there too, unless a value was
   * stored in L1 meanwhile.
   */
  @SuppressWarnings("unchecked")
  private void removeIfUnchanged(K key, @Nullable Object before) {
    if (before == null && loads.tiers().isEmpty()) {
      return;
    }
    if (l1.getIfPresent(key) instanceof FreshEntry entry && entry.value() == null) {
      return; // negativeTtl stored the absence
    }
    loads.writes().writeIfSame(key, (V) before, null, Ttl.NOT_STORED);
  }

  private static boolean succeeded(Outcome outcome) {
    return outcome instanceof Loaded(Object value) && !(value instanceof Stale);
  }

  private static Throwable interrupted(Object key, @Nullable Throwable ownersFailure) {
    return ownersFailure != null && !(ownersFailure instanceof InterruptedException)
        ? ownersFailure
        : new CacheLoadException(
            "The refresh of key '" + key + "' was interrupted (the cache is" + " closing)",
            ownersFailure != null ? ownersFailure : new InterruptedException());
  }

  /** As a blocking call would throw it: unchecked as is, checked wrapped, the cause kept. */
  private static Throwable unchecked(Object key, Throwable failure) {
    if (failure instanceof RuntimeException || failure instanceof Error) {
      return failure;
    }
    return new CacheLoadException("The loader of key '" + key + "' failed: " + failure, failure);
  }

  private IllegalStateException closed() {
    return new IllegalStateException("Cache '" + cacheName + "' is closed");
  }
}
