package dev.loomcache.redis;

import static java.util.Objects.requireNonNull;

import dev.loomcache.Cache;
import dev.loomcache.Loomcache;
import dev.loomcache.Ticker;
import dev.loomcache.spi.KeyCodec;
import dev.loomcache.spi.ValueCodec;
import dev.loomcache.testsupport.Polling;
import dev.loomcache.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Test support: "services" sharing one Redis, each with its own client, {@link RedisTier} and
 * {@link Cache}; closes everything it made, newest first.
 */
final class Services implements AutoCloseable {
  private final @Nullable RedisServer server;
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  /** One service's tier and cache. */
  record Service(RedisTier tier, Cache<String, String> cache, UnifiedJedis client) {}

  /**
   * @param server the server of {@link #start(String)} and the like; null if only given clients
   */
  Services(@Nullable RedisServer server) {
    this.server = server;
  }

  /** A service whose tier has the defaults; waits until its subscription is confirmed. */
  Service start(String prefix) {
    return start(prefix, b -> b);
  }

  Service start(String prefix, UnaryOperator<RedisTierBuilder> options) {
    return start(prefix, options, Ticker.systemTicker());
  }

  Service start(String prefix, UnaryOperator<RedisTierBuilder> options, Ticker ticker) {
    return start(prefix, options, ticker, ValueCodec.string());
  }

  Service start(
      String prefix,
      UnaryOperator<RedisTierBuilder> options,
      Ticker ticker,
      ValueCodec<String> codec) {
    var client = RedisClient.create("127.0.0.1", requireNonNull(server).port());
    opened.push(client);
    return start(client, prefix, options, ticker, codec);
  }

  Service start(
      UnifiedJedis client,
      String prefix,
      UnaryOperator<RedisTierBuilder> options,
      Ticker ticker,
      ValueCodec<String> codec) {
    Service service = startNow(client, prefix, options, ticker, codec);
    // build() normally returns with the subscription confirmed; on a stalled machine it may not,
    // and
    // a subscription confirmed after build() clears L1 (messages before it were not heard): wait
    // for
    // it, so that it cannot drop what the test puts in L1.
    Polling.awaitUntil(
        Duration.ofSeconds(10),
        "the invalidation subscription is confirmed",
        service.tier()::isSubscribed);
    return service;
  }

  /** A service with the defaults, used at once: no waiting for the subscription after build(). */
  Service startNow(String prefix) {
    var client = RedisClient.create("127.0.0.1", requireNonNull(server).port());
    opened.push(client);
    return startNow(client, prefix, b -> b, Ticker.systemTicker(), ValueCodec.string());
  }

  private Service startNow(
      UnifiedJedis client,
      String prefix,
      UnaryOperator<RedisTierBuilder> options,
      Ticker ticker,
      ValueCodec<String> codec) {
    RedisTier tier =
        withTestTimeout(options.apply(RedisTier.newBuilder(client).keyPrefix(prefix))).build();
    Cache<String, String> cache =
        Loomcache.newBuilder()
            .ticker(ticker)
            .keyCodec(KeyCodec.string())
            .valueCodec(codec)
            .tier(tier)
            .build();
    opened.push(cache);
    return new Service(tier, cache, client);
  }

  /**
   * A service whose tier announces nothing and hears nothing (cross-instance invalidation off): a
   * writer whose changes reach Redis but no other instance's L1.
   */
  Service startSilent(String prefix) {
    return startSilent(prefix, b -> b);
  }

  Service startSilent(String prefix, UnaryOperator<RedisTierBuilder> options) {
    var client = RedisClient.create("127.0.0.1", requireNonNull(server).port());
    opened.push(client);
    RedisTier tier =
        withTestTimeout(
                options.apply(
                    RedisTier.newBuilder(client)
                        .keyPrefix(prefix)
                        .crossInstanceInvalidation(false)))
            .build();
    Cache<String, String> cache =
        Loomcache.newBuilder()
            .keyCodec(KeyCodec.string())
            .valueCodec(ValueCodec.string())
            .tier(tier)
            .build();
    opened.push(cache);
    return new Service(tier, cache, client);
  }

  /**
   * A generous command timeout unless the test chose one: tests of healthy behaviour must not fail
   * because a loaded CI machine stalled a thread for more than the default 100 ms.
   */
  static RedisTierBuilder withTestTimeout(RedisTierBuilder builder) {
    return builder.commandTimeout == null ? builder.commandTimeout(TEST_TIMEOUT) : builder;
  }

  static final Duration TEST_TIMEOUT = Duration.ofSeconds(2);

  @Override
  public void close() {
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
