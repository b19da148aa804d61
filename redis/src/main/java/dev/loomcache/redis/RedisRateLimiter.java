package dev.loomcache.redis;

import static java.util.Objects.requireNonNull;

import dev.loomcache.limit.RateLimitDecision;
import dev.loomcache.limit.RateLimiter;
import dev.loomcache.redis.internal.CommandPermits;
import dev.loomcache.redis.internal.LuaScript;
import dev.loomcache.redis.internal.RateLimitedLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A {@link RateLimiter} that counts in Redis, so that every instance using the same Redis and key
 * prefix shares each key's limit.
 *
 * <pre>{@code
 * RateLimiter perUser = RedisRateLimiter.newBuilder(client)
 *     .fixedWindow(100, Duration.ofMinutes(1))
 *     .banFor(Duration.ofMinutes(10))
 *     .keyPrefix("api-limits:")
 *     .build();
 * }</pre>
 *
 * <p>Design note. Each decision is one Lua script on one Redis hash ({@code keyPrefix + key}), run
 * with {@code EVALSHA}: one round trip, atomic in Redis whatever the number of instances, and on
 * Redis Cluster it runs on the node that owns the key's slot (the script touches no other key).
 * Time is Redis's own ({@code TIME}, milliseconds), so instances with skewed clocks still agree on
 * windows. The semantics are those of the in-process limiters: a fixed window starts at a key's
 * first call and lasts the period; a sliding window is the two-window estimate of
 * {@link RateLimiter#slidingWindow} on windows aligned to multiples of the period; a ban starts at
 * the first denied call. The hash expires when nothing in it matters any more, so idle keys cost
 * no memory. Needs Redis 7 or later (scripts that read {@code TIME} and then write).
 *
 * <p>When Redis cannot be asked, the decision follows the {@link RedisDownPolicy} (default
 * {@link RedisDownPolicy#FAIL_OPEN}) and is counted; the failure is logged at warn level at most
 * once every 10 seconds. How long a decision can wait for a Redis that does not answer is the
 * client's socket timeout. At most {@code maxConcurrentCommands} decisions (default 8, Jedis's
 * default pool size) talk to Redis at once; the others queue in order before borrowing a connection.
 */
public final class RedisRateLimiter implements RateLimiter {
  private static final LuaScript FIXED_WINDOW = new LuaScript("""
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local limit, period, ban = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
      local function n(x) return string.format('%.0f', x) end
      local s = redis.call('HMGET', KEYS[1], 'c', 'e', 'b')
      local banUntil = tonumber(s[3]) or 0
      if banUntil > now then return {0, 0, banUntil - now, 1} end
      local c, e = tonumber(s[1]) or 0, tonumber(s[2]) or 0
      if e <= now then c = 0; e = now + period end
      if c < limit then
        c = c + 1
        redis.call('HSET', KEYS[1], 'c', c, 'e', n(e))
        redis.call('PEXPIREAT', KEYS[1], n(math.max(e, banUntil)))
        return {1, limit - c, 0, 0}
      end
      if ban > 0 then
        redis.call('HSET', KEYS[1], 'b', n(now + ban))
        redis.call('PEXPIREAT', KEYS[1], n(math.max(e, now + ban)))
        return {0, 0, ban, 1}
      end
      return {0, 0, e - now, 0}""");

  private static final LuaScript SLIDING_WINDOW = new LuaScript("""
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local limit, period, ban = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
      local function n(x) return string.format('%.0f', x) end
      local s = redis.call('HMGET', KEYS[1], 'w', 'c', 'p', 'b')
      local banUntil = tonumber(s[4]) or 0
      if banUntil > now then return {0, 0, banUntil - now, 1} end
      local w = math.floor(now / period)
      local elapsed = now - w * period
      local sw, c, p = tonumber(s[1]), tonumber(s[2]) or 0, tonumber(s[3]) or 0
      if sw ~= w then
        if sw == w - 1 then p = c else p = 0 end
        c = 0
      end
      local carried = p * (period - elapsed) / period
      if carried + c + 1 <= limit then
        c = c + 1
        redis.call('HSET', KEYS[1], 'w', n(w), 'c', c, 'p', p)
        redis.call('PEXPIREAT', KEYS[1], n(math.max((w + 2) * period, banUntil)))
        return {1, math.floor(limit - carried - c), 0, 0}
      end
      if ban > 0 then
        redis.call('HSET', KEYS[1], 'w', n(w), 'c', c, 'p', p, 'b', n(now + ban))
        redis.call('PEXPIREAT', KEYS[1], n(math.max((w + 2) * period, now + ban)))
        return {0, 0, ban, 1}
      end
      local wait
      if c + 1 > limit then
        wait = period - elapsed + math.ceil((1 - (limit - 1) / c) * period)
      else
        wait = math.max(0, math.ceil((1 - (limit - 1 - c) / p) * period) - elapsed)
      end
      return {0, 0, wait, 0}""");

  private static final Duration FAIL_CLOSED_RETRY = Duration.ofSeconds(1);

  private final UnifiedJedis client;
  private final CommandPermits permits;
  private final boolean sliding;
  private final int limit;
  private final Duration period;
  private final String keyPrefix;
  private final RedisDownPolicy whenDown;
  private final List<String> args;
  private final LongAdder redisFailures = new LongAdder();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final RateLimitedLog log =
      new RateLimitedLog(LoggerFactory.getLogger(RedisRateLimiter.class), 10_000);
  private final @Nullable Counter allowed;
  private final @Nullable Counter denied;
  private final @Nullable Counter banned;
  private final @Nullable Counter downAllowed;
  private final @Nullable Counter downDenied;

  RedisRateLimiter(UnifiedJedis client, boolean sliding, int limit, Duration period,
      @Nullable Duration ban, String keyPrefix, RedisDownPolicy whenDown, String name,
      @Nullable MeterRegistry registry, int maxConcurrentCommands) {
    this.client = client;
    this.permits = new CommandPermits(maxConcurrentCommands);
    this.sliding = sliding;
    this.limit = limit;
    this.period = period;
    this.keyPrefix = keyPrefix;
    this.whenDown = whenDown;
    this.args = List.of(Integer.toString(limit), Long.toString(period.toMillis()),
        Long.toString(ban == null ? 0 : ban.toMillis()));
    this.allowed = counter(registry, name, "allowed");
    this.denied = counter(registry, name, "denied");
    this.banned = counter(registry, name, "banned");
    this.downAllowed = counter(registry, name, "redis_down_allowed");
    this.downDenied = counter(registry, name, "redis_down_denied");
  }

  /** Returns a builder of a limiter on {@code client}, which the limiter uses but never closes. */
  public static RedisRateLimiterBuilder newBuilder(UnifiedJedis client) {
    requireNonNull(client, "client must not be null");
    return new RedisRateLimiterBuilder(client);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One round trip to Redis; when Redis fails the {@link RedisDownPolicy} decides, and nothing is
   * thrown.
   */
  @Override
  public RateLimitDecision acquire(String key) {
    requireNonNull(key, "key must not be null");
    if (closed.get()) {
      throw new IllegalStateException("This RedisRateLimiter is closed");
    }
    List<?> reply;
    try {
      reply = (List<?>) (sliding ? SLIDING_WINDOW : FIXED_WINDOW)
          .run(client, permits, List.of(keyPrefix + key), args);
    } catch (JedisException e) {
      return whenRedisDown(key, e);
    }
    if ((Long) reply.get(0) == 1L) {
      increment(allowed);
      return RateLimitDecision.allowed(Math.max(0, (Long) reply.get(1)));
    }
    increment((Long) reply.get(3) == 1L ? banned : denied);
    return RateLimitDecision.denied(Duration.ofMillis(Math.max(0, (Long) reply.get(2))));
  }

  private RateLimitDecision whenRedisDown(String key, JedisException e) {
    redisFailures.increment();
    log.warn("ratelimit", "Redis could not decide for key '" + key + "'; "
        + (whenDown == RedisDownPolicy.FAIL_OPEN ? "allowing" : "denying") + " (" + whenDown + ")", e);
    if (whenDown == RedisDownPolicy.FAIL_OPEN) {
      increment(downAllowed);
      return RateLimitDecision.allowed(0);
    }
    increment(downDenied);
    return RateLimitDecision.denied(period.compareTo(FAIL_CLOSED_RETRY) < 0 ? period : FAIL_CLOSED_RETRY);
  }

  /** The decisions made without Redis (by the {@link RedisDownPolicy}) so far. */
  public long redisFailureCount() {
    return redisFailures.sum();
  }

  /** What this limiter decides when Redis cannot be asked. */
  public RedisDownPolicy redisDownPolicy() {
    return whenDown;
  }

  @Override
  public int limit() {
    return limit;
  }

  @Override
  public Duration period() {
    return period;
  }

  /** Marks the limiter closed; the client is the caller's and stays open. Idempotent. */
  @Override
  public void close() {
    closed.set(true);
  }

  private static void increment(@Nullable Counter counter) {
    if (counter != null) {
      counter.increment();
    }
  }

  private static @Nullable Counter counter(
      @Nullable MeterRegistry registry, String name, String result) {
    return registry == null ? null : Counter.builder("ratelimit.decisions")
        .tag("limiter", name).tag("result", result)
        .description("Rate-limit decisions, by result").register(registry);
  }

  @Override
  public String toString() {
    return "RedisRateLimiter[" + (sliding ? "slidingWindow(" : "fixedWindow(") + limit + ", "
        + period + "), keyPrefix=" + keyPrefix + ", " + whenDown + "]";
  }
}
