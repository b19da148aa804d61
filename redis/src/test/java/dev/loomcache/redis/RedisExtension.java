package dev.loomcache.redis;

import dev.loomcache.testsupport.RedisServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.RedisClient;

/**
 * Test support, registered on a static field with {@code @RegisterExtension}: a real {@link
 * RedisServer} for a test class (emptied and resumed after each test) or for each test, a raw
 * client to look at it, and the {@link Services} of the running test, closed after it. The server
 * is stopped even when a test fails.
 */
final class RedisExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final boolean serverPerTest;
  private @Nullable RedisServer server;
  private @Nullable RedisClient raw;
  private @Nullable Services services;

  private RedisExtension(boolean serverPerTest) {
    this.serverPerTest = serverPerTest;
  }

  /** One server for the whole test class. */
  static RedisExtension perClass() {
    return new RedisExtension(false);
  }

  /** A new server for every test, for tests that kill it. */
  static RedisExtension perTest() {
    return new RedisExtension(true);
  }

  RedisServer server() {
    return requireStarted(server);
  }

  /** A client of the test's own, to look at Redis directly. */
  RedisClient raw() {
    return requireStarted(raw);
  }

  /** The services of the running test; closed after it. */
  Services services() {
    return requireStarted(services);
  }

  private static <T> T requireStarted(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("no Redis is running outside a test");
    }
    return value;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (!serverPerTest) {
      start();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (serverPerTest) {
      start();
    }
    services = new Services(server);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      if (services != null) {
        services.close();
      }
    } finally {
      services = null;
      if (serverPerTest) {
        stop();
      } else if (server != null && raw != null) {
        server.resume();
        raw.flushDB();
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  private void start() {
    server = RedisServer.start();
    raw = RedisClient.create("127.0.0.1", server.port());
  }

  private void stop() {
    try {
      if (raw != null) {
        raw.close();
      }
    } finally {
      raw = null;
      if (server != null) {
        server.close();
      }
      server = null;
    }
  }
}
