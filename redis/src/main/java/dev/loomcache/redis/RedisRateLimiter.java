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
 * <p>Design note. Each decision is one Lua script on one Redis key ({@code keyPrefix + key}), run
 * with {@code EVALSHA}: one round trip, atomic in Redis whatever the number of instances, and on
 * Redis Cluster it runs on the node that owns the key's slot (the script touches no other key).
 * Time is Redis's own, so instances with skewed clocks still agree on windows. The semantics are
 * those of the in-process limiters: a fixed window starts at a key's first call and lasts the
 * period; a sliding window is the two-window estimate of {@link RateLimiter#slidingWindow} on
 * windows aligned to multiples of the period; a ban starts at the first denied call. The scripts
 * are kept to the fewest Redis commands, since each costs about a microsecond inside the script: a
 * fixed window is a counter that expires at the window's end (one {@code INCR}, or {@code HINCRBY}
 * in a hash that also holds the ban, per call; only a call over the limit reads {@code TIME}); a
 * sliding window reads {@code TIME} and its hash and does one {@code HINCRBY} per allowed call
 * within a window; the reply is one integer. The key expires when nothing in it matters any more,
 * so idle keys cost no memory. Instances sharing a key prefix must share the configuration (a fixed
 * window without a ban stores a string, the others a hash). Needs Redis 7 or later (scripts that
 * read {@code TIME} and then write).
 *
 * <p>When Redis cannot be asked, the decision follows the {@link RedisDownPolicy} (default {@link
 * RedisDownPolicy#FAIL_OPEN}) and is counted; the failure is logged at warn level at most once
 * every 10 seconds. How long a decision can wait for a Redis that does not answer is the client's
 * socket timeout. At most {@code maxConcurrentCommands} decisions (default 8, Jedis's default pool
 * size) talk to Redis at once; the others queue in order before borrowing a connection.
 */
public final class RedisRateLimiter implements RateLimiter {
  // Replies are one integer: the allowance left (>= 0) if allowed; otherwise -(2 * retryMillis) - 1
  // when denied by the limit and -(2 * retryMillis) - 2 when banned (see decode). Every script
  // touches KEYS[1] only. Numbers are passed back to Redis as Lua numbers, which Redis formats
  // with 17 significant digits: exact for millisecond times.

  /**
   * Fixed window without a ban: a counter whose expiry is the window's end (Redis's clock), one
   * {@code INCR} per call; calls past the limit are counted too, harmlessly (they are denied).
   */
  private static final LuaScript FIXED_WINDOW =
      new LuaScript(
          """
          local c = redis.call('INCR', KEYS[1])
          if c == 1 then
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
          elseif c > tonumber(ARGV[1]) then
            local left = redis.call('PTTL', KEYS[1])
            if left < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              left = tonumber(ARGV[2])
            end
            return -2 * left - 1
          end
          return ARGV[1] - c\
          """);

  /**
   * Fixed window with a ban: a hash of the count {@code c} and the ban's end {@code b} (Redis's
   * clock, ms) whose expiry is the window's end, or the ban's if that is later; one {@code HINCRBY}
   * per allowed call. Only a call over the limit reads the clock: a ban in force answers with its
   * rest, otherwise the call starts one.
   */
  private static final LuaScript FIXED_WINDOW_BAN =
      new LuaScript(
          """
          local c = redis.call('HINCRBY', KEYS[1], 'c', 1)
          local limit = tonumber(ARGV[1])
          if c == 1 then
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return limit - 1
          end
          if c <= limit then return limit - c end
          local t = redis.call('TIME')
          local now = t[1] * 1000 + math.floor(t[2] / 1000)
          local b = tonumber(redis.call('HGET', KEYS[1], 'b'))
          if b and b > now then return -2 * (b - now) - 2 end
          local ban = tonumber(ARGV[3])
          redis.call('HSET', KEYS[1], 'b', now + ban)
          if redis.call('PTTL', KEYS[1]) < ban then redis.call('PEXPIRE', KEYS[1], ban) end
          return -2 * ban - 2\
          """);

  /**
   * Sliding window: a hash of the current window's number {@code w} and count {@code c}, the
   * previous window's count {@code p} and the ban's end {@code b}; one {@code HINCRBY} per allowed
   * call within a window.
   */
  private static final LuaScript SLIDING_WINDOW =
      new LuaScript(
          """
          local t = redis.call('TIME')
          local now = t[1] * 1000 + math.floor(t[2] / 1000)
          local s = redis.call('HMGET', KEYS[1], 'w', 'c', 'p', 'b')
          local b = tonumber(s[4])
          if b and b > now then return -2 * (b - now) - 2 end
          local limit, period, ban = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
          local w = math.floor(now / period)
          local elapsed = now - w * period
          local sw, c, p = tonumber(s[1]), tonumber(s[2]) or 0, tonumber(s[3]) or 0
          local same = sw == w
          if not same then
            if sw == w - 1 then p = c else p = 0 end
            c = 0
          end
          local carried = p * (period - elapsed) / period
          if carried + c + 1 <= limit then
            if same then
              c = redis.call('HINCRBY', KEYS[1], 'c', 1)
            else
              c = 1
              redis.call('HSET', KEYS[1], 'w', w, 'c', 1, 'p', p)
              redis.call('PEXPIREAT', KEYS[1], math.max((w + 2) * period, b or 0))
            end
            return math.floor(limit - carried - c)
          end
          if ban > 0 then
            redis.call('HSET', KEYS[1], 'w', w, 'c', c, 'p', p, 'b', now + ban)
            redis.call('PEXPIREAT', KEYS[1], math.max((w + 2) * period, now + ban))
            return -2 * ban - 2
          end
          local wait
          if c + 1 > limit then
            wait = period - elapsed + math.ceil((1 - (limit - 1) / c) * period)
          else
            wait = math.max(0, math.ceil((1 - (limit - 1 - c) / p) * period) - elapsed)
          end
          return -2 * wait - 1\
          """);

  private static final Duration FAIL_CLOSED_RETRY = Duration.ofSeconds(1);

  private final UnifiedJedis client;
  private final CommandPermits permits;
  private final boolean sliding;
  private final int limit;
  private final Duration period;
  private final String keyPrefix;
  private final RedisDownPolicy whenDown;
  private final LuaScript script;
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

  RedisRateLimiter(
      UnifiedJedis client,
      boolean sliding,
      int limit,
      Duration period,
      @Nullable Duration ban,
      String keyPrefix,
      RedisDownPolicy whenDown,
      String name,
      @Nullable MeterRegistry registry,
      int maxConcurrentCommands) {
    this.client = client;
    this.permits = new CommandPermits(maxConcurrentCommands);
    this.sliding = sliding;
    this.limit = limit;
    this.period = period;
    this.keyPrefix = keyPrefix;
    this.whenDown = whenDown;
    this.script = sliding ? SLIDING_WINDOW : ban == null ? FIXED_WINDOW : FIXED_WINDOW_BAN;
    this.args =
        List.of(
            Integer.toString(limit),
            Long.toString(period.toMillis()),
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
   * <p>One round trip to Redis; when Redis fails the {@link RedisDownPolicy} decides, and nothing
   * is thrown.
   */
  @Override
  public RateLimitDecision acquire(String key) {
    requireNonNull(key, "key must not be null");
    if (closed.get()) {
      throw new IllegalStateException("This RedisRateLimiter is closed");
    }
    long reply;
    try {
      reply = (Long) script.run(client, permits, List.of(keyPrefix + key), args);
    } catch (JedisException e) {
      return whenRedisDown(key, e);
    }
    if (reply >= 0) {
      increment(allowed);
      return RateLimitDecision.allowed(reply);
    }
    long denial = -reply - 1; // 2 * retryMillis, plus 1 if banned
    increment((denial & 1) == 1 ? banned : denied);
    return RateLimitDecision.denied(Duration.ofMillis(Math.max(0, denial >> 1)));
  }

  private RateLimitDecision whenRedisDown(String key, JedisException e) {
    redisFailures.increment();
    log.warn(
        "ratelimit",
        "Redis could not decide for key '"
            + key
            + "'; "
            + (whenDown == RedisDownPolicy.FAIL_OPEN ? "allowing" : "denying")
            + " ("
            + whenDown
            + ")",
        e);
    if (whenDown == RedisDownPolicy.FAIL_OPEN) {
      increment(downAllowed);
      return RateLimitDecision.allowed(0);
    }
    increment(downDenied);
    return RateLimitDecision.denied(
        period.compareTo(FAIL_CLOSED_RETRY) < 0 ? period : FAIL_CLOSED_RETRY);
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
    return registry == null
        ? null
        : Counter.builder("ratelimit.decisions")
            .tag("limiter", name)
            .tag("result", result)
            .description("Rate-limit decisions, by result")
            .register(registry);
  }

  @Override
  public String toString() {
    return "RedisRateLimiter["
        + (sliding ? "slidingWindow(" : "fixedWindow(")
        + limit
        + ", "
        + period
        + "), keyPrefix="
        + keyPrefix
        + ", "
        + whenDown
        + "]";
  }
}
