package dev.loomcache.spring.boot;

import dev.loomcache.redis.RedisTier;

/** Kept apart so that Redis classes load only when {@code loomcache.redis.uri} is set. */
final class RedisTiers {
  private RedisTiers() {}

  static void check(String uri) {
    RedisTier.fromUri(uri); // parses and checks; opens nothing
  }

  static RedisTier open(String uri, String keyPrefix) {
    return RedisTier.fromUri(uri).keyPrefix(keyPrefix).build();
  }
}
