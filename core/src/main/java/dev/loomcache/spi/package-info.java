/**
 * The tier SPI: what a lower cache tier (a Chronicle Map file, Redis) implements, and the codecs
 * that turn keys into stable strings and values into bytes. Tiers speak only strings and bytes; the
 * cache encodes and decodes with the codecs fixed at build time, never chosen by the stored bytes.
 */
@NullMarked
package dev.loomcache.spi;

import org.jspecify.annotations.NullMarked;
