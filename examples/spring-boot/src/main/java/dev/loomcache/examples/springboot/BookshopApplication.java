package dev.loomcache.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * A Spring Boot web app on virtual threads whose slow repository is cached by Loomcache through the
 * starter: {@code @Cacheable(sync = true)} turns a stampede of requests for one book into one
 * repository call, and a Redis tier (from {@code loomcache.redis.uri}) shares the books between
 * instances and restarts.
 */
@SpringBootApplication
@EnableCaching
public class BookshopApplication {

  /** Starts the app; see the module README for the properties. */
  public static void main(String[] args) {
    SpringApplication.run(BookshopApplication.class, args);
  }
}
