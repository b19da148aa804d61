/** The Spring Boot example: a bookshop whose slow repository Loomcache caches. */
@NullMarked
package dev.loomcache.examples.springboot;

import org.jspecify.annotations.NullMarked;
