package dev.loomcache.redis;

import static java.util.Objects.requireNonNull;

import dev.loomcache.redis.internal.RedisUri;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds a {@link RedisTier}; get one from {@link RedisTier#newBuilder(UnifiedJedis)} or {@link
 * RedisTier#fromUri(String)}.
 *
 * <pre>{@code
 * RedisTier tier = RedisTier.newBuilder(RedisClient.create("localhost", 6379))
 *     .keyPrefix("users:")
 *     .commandTimeout(Duration.ofMillis(50))
 *     .build();
 * }</pre>
 *
 * <p>Each setter may be called once; a second call throws {@link IllegalStateException} naming the
 * value already set. Arguments are checked when given, rules between options in {@link #build()}. A
 * builder is not thread-safe; the tier it builds is.
 */
public final class RedisTierBuilder {
  static final String DEFAULT_NAME = "redis";
  static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(100);
  static final int DEFAULT_WRITE_BEHIND_CAPACITY = 10_000;
  static final int DEFAULT_WRITE_BEHIND_THREADS = 2;
  static final int DEFAULT_FAILURE_THRESHOLD = 5;
  static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofMillis(500);
  static final int DEFAULT_REPAIR_CAPACITY = 10_000;
  static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);
  static final String CHANNEL_PREFIX = "loomcache:invalidations:";
  static final Duration DEFAULT_MAX_LOCAL_STALENESS = Duration.ofSeconds(5);

  private final @Nullable UnifiedJedis client; // given by the user, who closes it
  private final @Nullable RedisUri uri; // or opened from this at build time, closed by the tier
  @Nullable String name;
  @Nullable String keyPrefix;
  @Nullable Duration commandTimeout;
  @Nullable WriteMode writeMode;
  int writeBehindQueueCapacity;
  int writeBehindThreads;
  @Nullable Boolean crossInstanceInvalidation;
  @Nullable String invalidationChannel;
  @Nullable Duration leaseTime;
  int failureThreshold;
  @Nullable Duration probeInterval;
  int repairCapacity;
  @Nullable Duration heartbeatInterval;
  @Nullable MeterRegistry meterRegistry;
  @Nullable Duration maxLocalStaleness;

  RedisTierBuilder(UnifiedJedis client) {
    this.client = requireNonNull(client, "client must not be null");
    this.uri = null;
  }

  RedisTierBuilder(RedisUri uri) {
    this.client = null;
    this.uri = uri;
    uri.configure(this);
  }

  /**
   * Sets the prefix of every Redis key this tier reads, writes and clears, e.g. {@code "users:"};
   * required. Two caches sharing a Redis must use prefixes that are not prefixes of each other.
   * Keys starting with {@code keyPrefix + "__lease:"} are the tier's own (load leases).
   *
   * @throws IllegalArgumentException if {@code keyPrefix} is empty
   */
  public RedisTierBuilder keyPrefix(String keyPrefix) {
    requireNonNull(keyPrefix, "keyPrefix must not be null");
    if (keyPrefix.isEmpty()) {
      throw new IllegalArgumentException(
          "keyPrefix must not be empty: clear() deletes every key under it");
    }
    checkUnset("keyPrefix", this.keyPrefix);
    this.keyPrefix = keyPrefix;
    return this;
  }

  /**
   * Sets the tier's name, used in the cache's tier statistics and meters; default {@code "redis"}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public RedisTierBuilder name(String name) {
    requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    checkUnset("name", this.name);
    this.name = name;
    return this;
  }

  /**
   * Sets the longest a caller waits for one Redis command; default 100 ms. A command past it counts
   * as a failure (toward the circuit breaker) and is abandoned: the cache carries on without Redis
   * for that call.
   *
   * @throws IllegalArgumentException if {@code commandTimeout} is not positive
   */
  public RedisTierBuilder commandTimeout(Duration commandTimeout) {
    positive(commandTimeout, "commandTimeout");
    checkUnset("commandTimeout", this.commandTimeout);
    this.commandTimeout = commandTimeout;
    return this;
  }

  /** Sets when stores and invalidations reach Redis; default {@link WriteMode#WRITE_THROUGH}. */
  public RedisTierBuilder writeMode(WriteMode mode) {
    requireNonNull(mode, "mode must not be null");
    checkUnset("writeMode", this.writeMode);
    this.writeMode = mode;
    return this;
  }

  /**
   * Sets how many keys may wait in the write-behind queue; default 10,000. Past it, a write or
   * delete of a key with nothing pending is dropped and counted, and the key is deleted from Redis
   * once the queue can reach it (so no instance reads the outdated value for long). Only with
   * {@link WriteMode#WRITE_BEHIND}.
   *
   * @throws IllegalArgumentException if {@code capacity} is not positive
   */
  public RedisTierBuilder writeBehindQueueCapacity(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException(
          "writeBehindQueueCapacity must be positive, but was " + capacity);
    }
    checkUnset(
        "writeBehindQueueCapacity",
        writeBehindQueueCapacity == 0 ? null : writeBehindQueueCapacity);
    this.writeBehindQueueCapacity = capacity;
    return this;
  }

  /**
   * Sets how many virtual threads apply queued writes (each owns the keys that hash to it); default
   * 2. Only with {@link WriteMode#WRITE_BEHIND}.
   *
   * @throws IllegalArgumentException if {@code threads} is not between 1 and 64
   */
  public RedisTierBuilder writeBehindThreads(int threads) {
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException(
          "writeBehindThreads must be between 1 and 64, but was " + threads);
    }
    checkUnset("writeBehindThreads", writeBehindThreads == 0 ? null : writeBehindThreads);
    this.writeBehindThreads = threads;
    return this;
  }

  /**
   * Sets whether writes and deletes are announced to other instances over pub/sub, and theirs heard
   * (so that each drops its L1 copy); default true. Turn it off only when one instance uses the
   * prefix.
   */
  public RedisTierBuilder crossInstanceInvalidation(boolean enabled) {
    checkUnset("crossInstanceInvalidation", this.crossInstanceInvalidation);
    this.crossInstanceInvalidation = enabled;
    return this;
  }

  /**
   * Sets the pub/sub channel of invalidation messages; default {@code "loomcache:invalidations:" +
   * keyPrefix}. Every instance of one cache must use the same.
   *
   * @throws IllegalArgumentException if {@code channel} is empty
   */
  public RedisTierBuilder invalidationChannel(String channel) {
    requireNonNull(channel, "channel must not be null");
    if (channel.isEmpty()) {
      throw new IllegalArgumentException("invalidationChannel must not be empty");
    }
    checkUnset("invalidationChannel", this.invalidationChannel);
    this.invalidationChannel = channel;
    return this;
  }

  /**
   * Turns on distributed single-flight: on a Redis miss, one instance takes the key's lease for
   * {@code leaseTime} and loads; the others wait for its value (up to about {@code leaseTime})
   * instead of loading. Choose a lease longer than a typical load. Off by default.
   *
   * @throws IllegalArgumentException if {@code leaseTime} is shorter than a millisecond
   */
  public RedisTierBuilder distributedSingleFlight(Duration leaseTime) {
    requireNonNull(leaseTime, "leaseTime must not be null");
    if (leaseTime.toMillis() < 1) {
      throw new IllegalArgumentException("leaseTime must be at least 1 ms, but was " + leaseTime);
    }
    checkUnset("distributedSingleFlight", this.leaseTime);
    this.leaseTime = leaseTime;
    return this;
  }

  /**
   * Sets how many consecutive failed commands open the circuit breaker; default 5.
   *
   * @throws IllegalArgumentException if {@code failures} is not positive
   */
  public RedisTierBuilder failureThreshold(int failures) {
    if (failures <= 0) {
      throw new IllegalArgumentException("failureThreshold must be positive, but was " + failures);
    }
    checkUnset("failureThreshold", failureThreshold == 0 ? null : failureThreshold);
    this.failureThreshold = failures;
    return this;
  }

  /**
   * Sets how often Redis is probed while the breaker is open; default 500 ms.
   *
   * @throws IllegalArgumentException if {@code probeInterval} is not positive
   */
  public RedisTierBuilder probeInterval(Duration probeInterval) {
    positive(probeInterval, "probeInterval");
    checkUnset("probeInterval", this.probeInterval);
    this.probeInterval = probeInterval;
    return this;
  }

  /**
   * Sets how many keys whose write failed are remembered for repair (deleted from Redis when it
   * answers again); default 10,000. Past it, the tier clears its whole namespace instead.
   *
   * @throws IllegalArgumentException if {@code keys} is not positive
   */
  public RedisTierBuilder repairCapacity(int keys) {
    if (keys <= 0) {
      throw new IllegalArgumentException("repairCapacity must be positive, but was " + keys);
    }
    checkUnset("repairCapacity", repairCapacity == 0 ? null : repairCapacity);
    this.repairCapacity = keys;
    return this;
  }

  /**
   * Sets how often the invalidation subscription is pinged; default 1 s. With no answer for three
   * intervals it is reconnected (and L1 cleared, since messages may have been missed).
   *
   * @throws IllegalArgumentException if {@code heartbeatInterval} is not positive
   */
  public RedisTierBuilder heartbeatInterval(Duration heartbeatInterval) {
    positive(heartbeatInterval, "heartbeatInterval");
    checkUnset("heartbeatInterval", this.heartbeatInterval);
    this.heartbeatInterval = heartbeatInterval;
    return this;
  }

  /**
   * Sets the longest an entry of a cache on this tier stays in that cache's L1 before it is read
   * from Redis again; default 5 s. It bounds how long an instance can serve a value another
   * instance changed when invalidation messages were lost; with messages delivered, staleness is
   * the pub/sub delivery time. Shorter means more Redis reads; a very long one (say 100 days) turns
   * the bound off. A cache's own TTL still applies when it is shorter.
   *
   * @throws IllegalArgumentException if {@code maxLocalStaleness} is not positive
   */
  public RedisTierBuilder maxLocalStaleness(Duration maxLocalStaleness) {
    positive(maxLocalStaleness, "maxLocalStaleness");
    checkUnset("maxLocalStaleness", this.maxLocalStaleness);
    this.maxLocalStaleness = maxLocalStaleness;
    return this;
  }

  /** Binds the tier's own meters (see the README) to {@code registry}; default: none. */
  public RedisTierBuilder meterRegistry(MeterRegistry registry) {
    requireNonNull(registry, "registry must not be null");
    checkUnset("meterRegistry", this.meterRegistry);
    this.meterRegistry = registry;
    return this;
  }

  /**
   * Builds the tier and starts its background virtual threads (recovery, and the write-behind
   * flushers); the invalidation subscriber starts when a cache subscribes. Does no I/O: a Redis
   * that is down at build time is a Redis that is down. The one exception: a builder from a {@code
   * redis-cluster://} URI opens its cluster client here, which asks a node for the slots (parking
   * the calling thread for that) and throws Jedis's exception if none answers.
   *
   * @throws IllegalStateException if no key prefix was set, or options contradict each other
   */
  public RedisTier build() {
    if (keyPrefix == null) {
      throw new IllegalStateException("keyPrefix is required: the tier keeps its keys under it");
    }
    if (writeMode() != WriteMode.WRITE_BEHIND
        && (writeBehindQueueCapacity != 0 || writeBehindThreads != 0)) {
      throw new IllegalStateException(
          "writeBehindQueueCapacity and writeBehindThreads need writeMode(WriteMode.WRITE_BEHIND)");
    }
    if (!crossInstanceInvalidation()
        && (invalidationChannel != null || heartbeatInterval != null)) {
      throw new IllegalStateException(
          "invalidationChannel and heartbeatInterval need crossInstanceInvalidation(true)");
    }
    return new RedisTier(this);
  }

  /**
   * Returns the options set so far; a URI's password shows as {@code ****}, and the client (given
   * or to be opened) is named only by its host and port.
   */
  @Override
  public String toString() {
    var shown = new StringJoiner(", ", "RedisTierBuilder{", "}");
    shown.add(
        uri != null
            ? "uri=" + uri
            : client != null ? "client=" + client.getClass().getSimpleName() : "no client");
    addIfSet(shown, "name", name);
    addIfSet(shown, "keyPrefix", keyPrefix);
    addIfSet(shown, "commandTimeout", commandTimeout);
    addIfSet(shown, "writeMode", writeMode);
    addIfSet(shown, "writeBehindQueueCapacity", positiveOrNull(writeBehindQueueCapacity));
    addIfSet(shown, "writeBehindThreads", positiveOrNull(writeBehindThreads));
    addIfSet(shown, "crossInstanceInvalidation", crossInstanceInvalidation);
    addIfSet(shown, "invalidationChannel", invalidationChannel);
    addIfSet(shown, "distributedSingleFlight", leaseTime);
    addIfSet(shown, "failureThreshold", positiveOrNull(failureThreshold));
    addIfSet(shown, "probeInterval", probeInterval);
    addIfSet(shown, "repairCapacity", positiveOrNull(repairCapacity));
    addIfSet(shown, "heartbeatInterval", heartbeatInterval);
    addIfSet(shown, "maxLocalStaleness", maxLocalStaleness);
    if (meterRegistry != null) {
      shown.add("meterRegistry");
    }
    return shown.toString();
  }

  private static void addIfSet(StringJoiner shown, String option, @Nullable Object value) {
    if (value != null) {
      shown.add(option + "=" + value);
    }
  }

  private static @Nullable Integer positiveOrNull(int value) {
    return value == 0 ? null : value;
  }

  /** The client the tier uses: the one given, or a new one from the URI (then the tier owns it). */
  UnifiedJedis openClient() {
    return client != null ? client : requireNonNull(uri).openClient();
  }

  boolean ownsClient() {
    return client == null;
  }

  String name() {
    return name == null ? DEFAULT_NAME : name;
  }

  Duration commandTimeout() {
    return commandTimeout == null ? DEFAULT_COMMAND_TIMEOUT : commandTimeout;
  }

  WriteMode writeMode() {
    return writeMode == null ? WriteMode.WRITE_THROUGH : writeMode;
  }

  int writeBehindQueueCapacity() {
    return writeBehindQueueCapacity == 0 ? DEFAULT_WRITE_BEHIND_CAPACITY : writeBehindQueueCapacity;
  }

  int writeBehindThreads() {
    return writeBehindThreads == 0 ? DEFAULT_WRITE_BEHIND_THREADS : writeBehindThreads;
  }

  boolean crossInstanceInvalidation() {
    return crossInstanceInvalidation == null || crossInstanceInvalidation;
  }

  String channelFor(String prefix) {
    return invalidationChannel == null ? CHANNEL_PREFIX + prefix : invalidationChannel;
  }

  int failureThreshold() {
    return failureThreshold == 0 ? DEFAULT_FAILURE_THRESHOLD : failureThreshold;
  }

  Duration probeInterval() {
    return probeInterval == null ? DEFAULT_PROBE_INTERVAL : probeInterval;
  }

  int repairCapacity() {
    return repairCapacity == 0 ? DEFAULT_REPAIR_CAPACITY : repairCapacity;
  }

  Duration heartbeatInterval() {
    return heartbeatInterval == null ? DEFAULT_HEARTBEAT : heartbeatInterval;
  }

  Duration maxLocalStaleness() {
    return maxLocalStaleness == null ? DEFAULT_MAX_LOCAL_STALENESS : maxLocalStaleness;
  }

  private static void positive(Duration duration, String parameter) {
    requireNonNull(duration, () -> parameter + " must not be null");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(parameter + " must be positive, but was " + duration);
    }
  }

  private static void checkUnset(String option, @Nullable Object current) {
    if (current != null) {
      throw new IllegalStateException(option + " was already set to " + current);
    }
  }
}
