/** Loomcache's Redis tier: a shared L2 below L1 on Jedis 8, standalone or Redis Cluster. */
module dev.loomcache.redis {
  requires transitive dev.loomcache;
  requires transitive redis.clients.jedis;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.loomcache.redis;
}
