package dev.loomcache.internal;

import dev.loomcache.Loomcache;
import dev.loomcache.internal.SpecParser.Reader;

/**
 * The options of {@code Loomcache.from(spec)}: every builder option that has a text form, one
 * entry each. A new builder option with a text form (the freshness options, say
 * {@code refreshAfter}) is one more {@code option(...)} line here, and one more row in the
 * README's table.
 */
public final class CacheSpec {
  /** The parser of cache specs, such as {@code maximumSize=10000,defaultTtl=5m,name=users}. */
  public static final SpecParser<Loomcache<Object, Object>> PARSER =
      SpecParser.<Loomcache<Object, Object>>table("cache spec")
          .option("name", Reader.TEXT, Loomcache::name)
          .option("maximumSize", Reader.LONG, Loomcache::maximumSize)
          .option("maximumWeight", Reader.LONG, Loomcache::maximumWeight)
          .option("defaultTtl", Reader.DURATION, Loomcache::defaultTtl)
          .option("expireAfterAccess", Reader.DURATION, Loomcache::expireAfterAccess)
          .option("batchWindow", Reader.DURATION, Loomcache::batchWindow)
          .option("maxBatchSize", Reader.INT, Loomcache::maxBatchSize)
          .option("maxConcurrentBatches", Reader.INT, Loomcache::maxConcurrentBatches)
          .option("recordStats", Reader.BOOLEAN, Loomcache::recordStats)
          .build();

  private CacheSpec() {}
}
