package dev.loomcache.spring.boot.webapp;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Test support: the HTTP front of {@link BookService}. */
@RestController
public class BookController {
  private final BookService books;

  public BookController(BookService books) {
    this.books = books;
  }

  @GetMapping("/books/{isbn}")
  public ResponseEntity<String> title(@PathVariable String isbn) throws InterruptedException {
    try {
      return ResponseEntity.ok(books.title(isbn));
    } catch (BookNotFoundException e) { // the checked exception arrives as the method threw it
      return ResponseEntity.status(HttpStatus.NOT_FOUND)
          .body(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  @PutMapping("/books/{isbn}")
  public String retitle(@PathVariable String isbn, @RequestBody String title) {
    return books.retitle(isbn, title);
  }

  @DeleteMapping("/books/{isbn}")
  public ResponseEntity<Void> forget(@PathVariable String isbn) {
    books.forget(isbn);
    return ResponseEntity.noContent().build();
  }
}
