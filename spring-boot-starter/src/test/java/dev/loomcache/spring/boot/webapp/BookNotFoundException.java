package dev.loomcache.spring.boot.webapp;

/** Test support: a checked exception a cached method throws. */
public class BookNotFoundException extends Exception {
  private static final long serialVersionUID = 1L;

  public BookNotFoundException(String isbn) {
    super("no book " + isbn);
  }
}
