package dev.loomcache.spring.boot.webapp;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * Test support: cached methods with counters; a gate lets a test hold the slow method until every
 * caller has arrived.
 */
@Service
public class BookService {
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, String> titles =
      new ConcurrentHashMap<>(Map.of("1", "Dune", "2", "Solaris", "3", "Ubik"));
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private final Map<String, CompletableFuture<String>> pendingFutures = new ConcurrentHashMap<>();

  public int calls(String method) {
    return calls.computeIfAbsent(method, m -> new AtomicInteger()).get();
  }

  private void count(String method) {
    calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
  }

  public void holdSlowCallsUntil(CountDownLatch gate) {
    this.gate = gate;
  }

  /**
   * Makes {@link #titleLater} answer {@code isbn} with {@code future} (the method may run later).
   */
  public void answerLater(String isbn, CompletableFuture<String> future) {
    pendingFutures.put(isbn, future);
  }

  public void rename(String isbn, String title) {
    titles.put(isbn, title);
  }

  @Cacheable(cacheNames = "books", sync = true)
  public String title(String isbn) throws BookNotFoundException, InterruptedException {
    count("title");
    gate.await();
    String title = titles.get(isbn);
    if (title == null) {
      throw new BookNotFoundException(isbn);
    }
    return title;
  }

  @CachePut(cacheNames = "books", key = "#isbn")
  public String retitle(String isbn, String title) {
    count("retitle");
    titles.put(isbn, title);
    return title;
  }

  @CacheEvict(cacheNames = "books")
  public void forget(String isbn) {
    count("forget");
  }

  @Cacheable(cacheNames = "futures", sync = true)
  public CompletableFuture<String> titleLater(String isbn) {
    count("titleLater");
    CompletableFuture<String> future = pendingFutures.get(isbn);
    return future == null ? CompletableFuture.completedFuture(titles.get(isbn)) : future;
  }

  @Cacheable(
      cacheNames = "conditional",
      condition = "#isbn.startsWith('c')",
      unless = "#result == null || #result.startsWith('draft')")
  public @Nullable String conditional(String isbn) {
    count("conditional");
    return titles.get(isbn);
  }
}
