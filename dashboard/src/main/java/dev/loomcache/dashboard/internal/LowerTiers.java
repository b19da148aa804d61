package dev.loomcache.dashboard.internal;

import dev.loomcache.chronicle.ChronicleStore;
import dev.loomcache.redis.RedisTier;
import dev.loomcache.redis.RedisTierStats;
import dev.loomcache.spi.CacheTier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * The demo cache's lower tiers: a Chronicle file under the data directory (so a restart keeps what
 * was loaded), then, when an address is given, Redis.
 *
 * <p>Each tier opens on its own: a Chronicle file that cannot be opened (another dashboard holds
 * it, a JVM flag is missing) leaves Redis in place and shows the reason in the tiers panel. The
 * Redis client lives as long as this setup; the tiers over it live as long as one demo cache.
 */
public final class LowerTiers implements TierSetup {
  /** The Chronicle file's name under the data directory. */
  public static final String FILE_NAME = DemoCaches.CACHE_NAME + ".cmap";

  /** Every Redis key of the demo cache starts with this. */
  public static final String REDIS_PREFIX = "loomcache-dashboard:";

  /** Connections opened with each Redis tier, so a first burst of misses does not open them all. */
  private static final int WARM_CONNECTIONS = 32;

  private static final Logger log = LoggerFactory.getLogger(LowerTiers.class);

  private final Path file;
  private final @Nullable String redisAddress;
  private final @Nullable RedisClient client;
  // Written by openTiers (under DemoCaches' write lock), read by describe on any request thread.
  private volatile @Nullable ChronicleStore chronicle;
  private volatile @Nullable String chronicleError;
  private volatile @Nullable RedisTier redis;

  /**
   * Sets up a Chronicle file in {@code dataDirectory} and, unless {@code redisHost} is null, a
   * Redis client for {@code redisHost:redisPort}. Does no I/O: the directory is created and Redis
   * contacted when tiers are opened.
   */
  public LowerTiers(Path dataDirectory, @Nullable String redisHost, int redisPort) {
    this.file = dataDirectory.toAbsolutePath().normalize().resolve(FILE_NAME);
    if (redisHost == null) {
      this.redisAddress = null;
      this.client = null;
    } else {
      this.redisAddress =
          (redisHost.contains(":") ? "[" + redisHost + "]" : redisHost) + ":" + redisPort;
      var pool = new ConnectionPoolConfig();
      // Scenarios run thousands of concurrent misses; the tier hands off what the pool cannot take.
      pool.setMaxTotal(128);
      pool.setMinIdle(WARM_CONNECTIONS);
      this.client =
          RedisClient.builder()
              .hostAndPort(redisHost, redisPort)
              .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(500).build())
              .poolConfig(pool)
              .build();
    }
  }

  /** The Chronicle file, absolute. */
  public Path file() {
    return file;
  }

  /**
   * Opens the Chronicle file (the previous cache must be closed: the store locks its file) and a
   * Redis tier over the shared client. Blocks while the file opens (seconds for the first store in
   * a JVM). Never throws for a Chronicle failure: that tier is left out and its reason kept.
   */
  @Override
  public List<CacheTier> openTiers() {
    warmUp();
    var tiers = new ArrayList<CacheTier>();
    ChronicleStore store = openChronicle();
    chronicle = store;
    if (store != null) {
      tiers.add(store);
    }
    if (client != null) {
      RedisTier tier =
          RedisTier.newBuilder(client)
              .keyPrefix(REDIS_PREFIX)
              // A burst of misses opens many connections at once on a busy machine: 100 ms (the
              // default) opened the breaker under a 200-request scenario on 2 cores.
              .commandTimeout(Duration.ofMillis(500))
              .build();
      redis = tier;
      tiers.add(tier);
    }
    return tiers;
  }

  /**
   * Opens connections ahead of the first scenario: opening dozens at once under a burst of misses
   * on a busy machine took longer than the command timeout and opened the breaker.
   */
  private void warmUp() {
    if (client == null) {
      return;
    }
    try {
      client.getPool().preparePool();
    } catch (Exception e) {
      // Redis not reachable yet: the tier's breaker and probes deal with it; nothing to warm.
      log.warn("Redis at {} did not accept connections yet: {}", redisAddress, e.toString());
    }
  }

  private @Nullable ChronicleStore openChronicle() {
    try {
      Files.createDirectories(file.getParent());
      ChronicleStore store =
          ChronicleStore.newBuilder(file)
              .maxEntries(100_000)
              .averageKeySize(24)
              .averageValueSize(64)
              .build();
      chronicleError = null;
      return store;
    } catch (IOException | RuntimeException e) {
      log.warn(
          "The Chronicle file {} could not be opened; the demo cache runs without it", file, e);
      chronicleError = e.getMessage() == null ? e.toString() : e.getMessage();
      return null;
    }
  }

  @Override
  public List<Map<String, Object>> describe() {
    var tiers = new ArrayList<Map<String, Object>>();
    tiers.add(describeChronicle());
    RedisTier tier = redis;
    if (tier != null) {
      tiers.add(describeRedis(tier));
    }
    return tiers;
  }

  private Map<String, Object> describeChronicle() {
    var json = new LinkedHashMap<String, Object>();
    json.put("tier", "chronicle");
    json.put("detail", file.toString());
    json.put("file", file.toString());
    ChronicleStore store = chronicle;
    String error = chronicleError;
    if (store == null) {
      json.put("state", "error");
      if (error != null) {
        json.put("error", error);
      }
      return json;
    }
    try {
      json.put("entries", store.estimatedSize());
      json.put("state", "open");
    } catch (IllegalStateException closedByARebuild) {
      json.put("state", "reopening");
    }
    json.put("evictions", store.evictionCount());
    json.put("skippedWrites", store.skippedWriteCount());
    json.put("recovered", store.recovered());
    return json;
  }

  private Map<String, Object> describeRedis(RedisTier tier) {
    RedisTierStats stats = tier.stats();
    var json = new LinkedHashMap<String, Object>();
    json.put("tier", tier.name());
    json.put("detail", redisAddress + ", keys " + REDIS_PREFIX + "*");
    json.put("address", redisAddress);
    json.put("keyPrefix", REDIS_PREFIX);
    json.put("state", stats.breakerOpen() ? "breaker open" : stats.subscribed() ? "up" : "down");
    json.put("breakerOpen", stats.breakerOpen());
    json.put("breakerOpened", stats.breakerOpenCount());
    json.put("subscribed", stats.subscribed());
    json.put("commandTimeouts", stats.commandTimeoutCount());
    json.put("commandFailures", stats.commandFailureCount());
    json.put("skippedCommands", stats.skippedCommandCount());
    return json;
  }

  @Override
  public String summary() {
    String redisPart =
        redisAddress == null
            ? "No Redis: start with --redis host:port (or set LOOMCACHE_REDIS) to add it."
            : "then Redis at " + redisAddress + " (keys under " + REDIS_PREFIX + ").";
    return "L1, then the Chronicle file "
        + file
        + " (kept across restarts)"
        + (redisAddress == null ? ". " : ", ")
        + redisPart;
  }

  /** Closes the Redis client; the tiers themselves are closed with their cache. */
  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
  }
}
