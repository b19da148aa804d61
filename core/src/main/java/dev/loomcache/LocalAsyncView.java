package dev.loomcache;

import static java.util.Objects.requireNonNull;

import dev.loomcache.internal.Ttl;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Cache#async()} view: each call that misses L1 runs the blocking call on a virtual
 * thread of its own, owned by the cache.
 *
 * <p>Design note. Running the blocking call itself (rather than a second, asynchronous load path)
 * is what makes the futures share the flight table with the blocking calls, and complete with
 * exactly their values and failures. A hit is served on the calling thread and counted there; the
 * thread then runs the full call, which reads L1 again and counts the one miss. Cancelling a {@link
 * CompletableFuture} never interrupts its thread, so the shared load goes on; only {@link #close()}
 * interrupts, and then waits for the threads to end.
 */
final class LocalAsyncView<K, V> implements AsyncView<K, V> {
  /** Stands for "closed": rejects every task. */
  private static final ExecutorService CLOSED = closedExecutor();

  private final LocalCache<K, V> cache;
  private final String name;

  /** Created on the first miss (most caches never use this view); {@link #CLOSED} once closed. */
  private final AtomicReference<@Nullable ExecutorService> threads = new AtomicReference<>();

  LocalAsyncView(LocalCache<K, V> cache, String name) {
    this.cache = cache;
    this.name = name;
  }

  private static ExecutorService closedExecutor() {
    ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());
    executor.shutdown();
    return executor;
  }

  private ExecutorService threads() {
    ExecutorService current = threads.get();
    if (current != null) {
      return current;
    }
    ExecutorService created =
        Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("loomcache-async-" + name + "-", 0).factory());
    if (threads.compareAndSet(null, created)) {
      return created;
    }
    created.close(); // another caller, or close(), was first; this one never ran anything
    return requireNonNull(threads.get());
  }

  @Override
  @SuppressWarnings("NullAway") // CompletableFuture<V> as CompletableFuture<@Nullable V>
  public CompletableFuture<@Nullable V> get(K key, Callable<? extends V> loader) {
    requireNonNull(key, "key must not be null");
    requireNonNull(loader, "loader must not be null");
    cache.checkOpen();
    V hit = cache.l1Hit(key);
    return hit != null ? CompletableFuture.completedFuture(hit) : run(() -> cache.get(key, loader));
  }

  @Override
  @SuppressWarnings("NullAway") // CompletableFuture<V> as CompletableFuture<@Nullable V>
  public CompletableFuture<@Nullable V> get(K key, Callable<? extends V> loader, Duration ttl) {
    requireNonNull(key, "key must not be null");
    requireNonNull(loader, "loader must not be null");
    Ttl.of(ttl, "ttl"); // checks it now
    cache.checkOpen();
    V hit = cache.l1Hit(key);
    return hit != null
        ? CompletableFuture.completedFuture(hit)
        : run(() -> cache.get(key, loader, ttl));
  }

  @Override
  public CompletableFuture<Map<K, V>> getAll(
      Collection<? extends K> keys, BatchLoader<K, V> loader) {
    requireNonNull(keys, "keys must not be null");
    requireNonNull(loader, "loader must not be null");
    for (K key : keys) {
      requireNonNull(key, "keys must not contain null");
    }
    cache.checkOpen();
    var copy = List.<K>copyOf(keys);
    return run(() -> cache.getAll(copy, loader));
  }

  @Override
  @SuppressWarnings("NullAway") // CompletableFuture<V> as CompletableFuture<@Nullable V>
  public CompletableFuture<@Nullable V> getIfPresent(K key) {
    requireNonNull(key, "key must not be null");
    cache.checkOpen();
    V hit = cache.l1Hit(key);
    if (hit != null) {
      return CompletableFuture.completedFuture(hit);
    }
    if (!cache.hasTiers()) {
      cache.recordMiss();
      return CompletableFuture.completedFuture(null);
    }
    return run(() -> cache.getIfPresent(key)); // tier I/O: off the calling thread
  }

  private <T> CompletableFuture<T> run(Callable<T> call) {
    var future = new CompletableFuture<T>();
    try {
      threads()
          .execute(() -> {
            try {
              future.complete(call.call());
            } catch (Throwable t) {
              future.completeExceptionally(t);
            }
          });
    } catch (RejectedExecutionException e) {
      cache.checkOpen(); // closed meanwhile: say so
      future.completeExceptionally(e);
    }
    return future;
  }

  /** Interrupts the calls still running and parks until their threads have ended. */
  void close() {
    ExecutorService running = threads.getAndSet(CLOSED);
    if (running != null && running != CLOSED) {
      running.shutdownNow();
      running.close();
    }
  }
}
