package dev.loomcache.spring.boot.webapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/** Test support: a small web app whose caching goes through the starter's cache manager. */
@SpringBootApplication
@EnableCaching
public class BookApplication {}
