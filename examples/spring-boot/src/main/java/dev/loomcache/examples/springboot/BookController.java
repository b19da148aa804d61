package dev.loomcache.examples.springboot;

import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /books/{isbn}} and {@code GET /lookups}. */
@RestController
public class BookController {
  private final BookRepository books;

  public BookController(BookRepository books) {
    this.books = books;
  }

  @GetMapping("/books/{isbn}")
  public ResponseEntity<Book> book(@PathVariable String isbn) throws InterruptedException {
    Book book = books.findByIsbn(isbn);
    return book == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(book);
  }

  @GetMapping("/lookups")
  public Map<String, Long> lookups() {
    return Map.of("lookups", books.lookups());
  }
}
