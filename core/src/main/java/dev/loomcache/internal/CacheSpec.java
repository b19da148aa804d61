package dev.loomcache.internal;

import dev.loomcache.Loomcache;
import dev.loomcache.internal.SpecParser.Reader;

/**
 * The options of {@code Loomcache.from(spec)}: every builder option that has a text form, one entry
 * each. A new builder option with a text form is one more {@code option(...)} line here, and one
 * more row in the README's table.
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
          .option("refreshAfter", Reader.DURATION, Loomcache::refreshAfter)
          .option("earlyRefresh", Reader.DOUBLE, Loomcache::earlyRefresh)
          .option("staleIfError", Reader.DURATION, Loomcache::staleIfError)
          .option("negativeTtl", Reader.DURATION, Loomcache::negativeTtl)
          .option("ttlJitter", Reader.DOUBLE, Loomcache::ttlJitter)
          .option("expireAfterHits", Reader.LONG, Loomcache::expireAfterHits)
          .build();

  private CacheSpec() {}
}
