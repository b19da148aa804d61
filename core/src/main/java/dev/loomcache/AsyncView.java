package dev.loomcache;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A view of a {@link Cache} whose reads return {@link CompletableFuture}s, for code that composes
 * futures; obtained from {@link Cache#async()}.
 *
 * <p>Each method behaves as the blocking method of the same name, with the same single flight: an
 * asynchronous {@code get} and a blocking {@code get} of the same key share one load. A hit in L1
 * returns an already completed future on the calling thread; anything else runs on a virtual thread
 * owned by the cache, and the returned future completes with what the blocking call would return,
 * or exceptionally with what it would throw (the same exception, not wrapped again). Cancelling a
 * returned future only detaches it: the load it waited for goes on for its other callers and is
 * stored as usual. {@link Cache#close()} interrupts the calls still running (their futures complete
 * exceptionally) and waits for their threads to end.
 *
 * <p>Argument checks are made at once: {@code null} arguments throw {@link NullPointerException}
 * and a closed cache throws {@link IllegalStateException} from the call itself. These methods never
 * block the calling thread.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface AsyncView<K, V> {

  /**
   * Returns a future of the value for {@code key}, loading it with {@code loader} if absent, as
   * {@link Cache#get(Object, Callable)}.
   *
   * @throws NullPointerException if {@code key} or {@code loader} is null
   * @throws IllegalStateException if the cache is closed
   */
  CompletableFuture<@Nullable V> get(K key, Callable<? extends V> loader);

  /**
   * Returns a future of the value for {@code key}, loading it with {@code loader} and storing it
   * for {@code ttl} if absent, as {@link Cache#get(Object, Callable, Duration)}.
   *
   * @throws NullPointerException if {@code key}, {@code loader} or {@code ttl} is null
   * @throws IllegalArgumentException if {@code ttl} is negative
   * @throws IllegalStateException if the cache is closed
   */
  CompletableFuture<@Nullable V> get(K key, Callable<? extends V> loader, Duration ttl);

  /**
   * Returns a future of the values of {@code keys}, loading the missing ones with {@code loader},
   * as {@link Cache#getAll(Collection, BatchLoader)}.
   *
   * @throws NullPointerException if {@code keys}, any key, or {@code loader} is null
   * @throws IllegalStateException if the cache is closed
   */
  CompletableFuture<Map<K, V>> getAll(Collection<? extends K> keys, BatchLoader<K, V> loader);

  /**
   * Returns a future of the value stored for {@code key}, or of {@code null}, as {@link
   * Cache#getIfPresent(Object)}; never loads. Without tiers it is always already completed.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalStateException if the cache is closed
   */
  CompletableFuture<@Nullable V> getIfPresent(K key);
}
