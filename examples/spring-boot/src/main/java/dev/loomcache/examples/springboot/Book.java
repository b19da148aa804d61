package dev.loomcache.examples.springboot;

import java.io.Serializable;

/** A book, as the repository returns it and the Redis tier stores it (Java serialization). */
public record Book(String isbn, String title, String author) implements Serializable {}
