package dev.loomcache.redis;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * A Jedis connection provider that counts the commands sent through it: a {@code UnifiedJedis}
 * borrows a connection for each command it sends, and none of the classes under test pipelines, so
 * the count is the number of round trips to Redis.
 */
final class CountingConnectionProvider implements ConnectionProvider {
  private final PooledConnectionProvider pool;
  private final AtomicLong commands = new AtomicLong();

  private CountingConnectionProvider(HostAndPort server) {
    this.pool = new PooledConnectionProvider(server);
  }

  /** A client of {@code server} whose round trips {@code counter} counts. */
  static RedisClient client(HostAndPort server, CountingConnectionProvider[] counter) {
    counter[0] = new CountingConnectionProvider(server);
    return RedisClient.builder().connectionProvider(counter[0]).build();
  }

  /** The commands sent so far. */
  long commandCount() {
    return commands.get();
  }

  @Override
  public Connection getConnection() {
    commands.incrementAndGet();
    return pool.getConnection();
  }

  @Override
  public Connection getConnection(CommandArguments args) {
    commands.incrementAndGet();
    return pool.getConnection(args);
  }

  @Override
  public Map<?, ?> getConnectionMap() {
    return pool.getConnectionMap();
  }

  @Override
  public Map<?, ?> getPrimaryNodesConnectionMap() {
    return pool.getPrimaryNodesConnectionMap();
  }

  @Override
  public void close() {
    pool.close();
  }
}
