package dev.loomcache.examples.springboot;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Repository;

/** A slow book store standing in for a database: every lookup takes {@code bookshop.latency}. */
@Repository
public class BookRepository {
  private static final Map<String, Book> BOOKS =
      Map.of(
          "9780441013593", new Book("9780441013593", "Dune", "Frank Herbert"),
          "9780156027601", new Book("9780156027601", "Solaris", "Stanisław Lem"),
          "9780547572482", new Book("9780547572482", "Ubik", "Philip K. Dick"));

  private final Duration latency;
  private final AtomicLong lookups = new AtomicLong();

  public BookRepository(@Value("${bookshop.latency:200ms}") Duration latency) {
    this.latency = latency;
  }

  /**
   * Looks a book up, slowly. Cached: concurrent requests for one ISBN wait for the first one's
   * lookup (it runs on that request's virtual thread, outside every lock) instead of each querying
   * the store; an unknown ISBN is cached as null.
   */
  @Cacheable(cacheNames = "books", sync = true)
  public @Nullable Book findByIsbn(String isbn) throws InterruptedException {
    lookups.incrementAndGet();
    Thread.sleep(latency); // the database round trip this example stands for
    return BOOKS.get(isbn);
  }

  /** How many lookups reached the store. */
  public long lookups() {
    return lookups.get();
  }
}
