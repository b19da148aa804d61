package dev.loomcache.redis.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.loomcache.redis.RedisTierException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.ScanIteration;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.SetParams;

/**
 * The tier's Redis commands, each one round trip through {@link Commands}: where keys live, how a
 * write and its invalidation message go together, how the namespace is cleared.
 *
 * <p>A write and the message telling other instances about it are one Lua script, so Redis applies
 * both or neither, and a reader woken by the message finds the new value. The scripts touch only the
 * key they declare, so they run unchanged on Redis Cluster ({@code PUBLISH} reaches every node).
 * With sharded pub/sub on a Redis 7+ Cluster the channel lives in one slot (its hash tag), which is
 * not the key's, so there the write and the {@code SPUBLISH} are two commands, in that order.
 *
 * <p>Every change message takes a sequence number before it is sent and releases it when its
 * command has ended ({@link Messages}), so heartbeats can tell receivers what they should have seen.
 */
public final class RedisOps {
  private static final int SCAN_BATCH = 1_000;
  private static final byte[] NO_EXPIRY = {'0'};

  private static final Script WRITE_AND_PUBLISH = new Script("""
      if ARGV[2] == '0' then
        redis.call('SET', KEYS[1], ARGV[1])
      else
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      end
      redis.call('PUBLISH', ARGV[3], ARGV[4])
      return 1""");
  private static final Script DELETE_AND_PUBLISH = new Script("""
      redis.call('UNLINK', KEYS[1])
      redis.call('PUBLISH', ARGV[1], ARGV[2])
      return 1""");
  private static final Script RELEASE_LEASE = new Script("""
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('DEL', KEYS[1])
      end
      return 0""");

  private final Commands commands;
  // The replies of GET, SET, UNLINK and EVALSHA read the same in RESP2 and RESP3.
  private final CommandObjects objects = new CommandObjects(RedisProtocol.RESP3);
  private final String keyPrefix;
  private final String leasePrefix;
  private final @Nullable Messages messages;
  private final TierCounters counters;
  private volatile boolean sharded;

  /**
   * Commands on the keys under {@code keyPrefix}.
   *
   * @param messages how to publish invalidations, or null if other instances are not told
   */
  public RedisOps(Commands commands, String keyPrefix, @Nullable Messages messages,
      TierCounters counters) {
    this.commands = commands;
    this.keyPrefix = keyPrefix;
    this.leasePrefix = keyPrefix + "__lease:";
    this.messages = messages;
    this.counters = counters;
  }

  /** The Redis key of {@code key}'s value. */
  public byte[] dataKey(String key) {
    return (keyPrefix + key).getBytes(UTF_8);
  }

  /** The Redis key of {@code key}'s load lease (distributed single-flight). */
  byte[] leaseKey(String key) {
    return (leasePrefix + key).getBytes(UTF_8);
  }

  /** The command runner, for recovery's probes. */
  public Commands commands() {
    return commands;
  }

  /** Returns the raw bytes stored for {@code key}, or null. */
  public byte @Nullable [] get(String key) {
    byte[] redisKey = dataKey(key);
    return commands.call("GET", redisKey, objects.get(redisKey), c -> c.get(redisKey));
  }

  /**
   * Whether invalidations go by sharded pub/sub (SPUBLISH, Redis 7+ Cluster): then a write and its
   * message are two commands (the channel's slot is not the key's), the message sent once the write
   * succeeded.
   */
  public void useShardedPubSub(boolean sharded) {
    this.sharded = sharded;
  }

  public boolean shardedPubSub() {
    return sharded;
  }

  /** Sets {@code key}, expiring after {@code pxMillis} (0: never), and tells other instances. */
  public void set(String key, byte[] value, long pxMillis) {
    byte[] redisKey = dataKey(key);
    if (messages == null || sharded) {
      SetParams params = pxMillis == 0 ? SetParams.setParams() : SetParams.setParams().px(pxMillis);
      long seq = messages == null ? 0 : messages.take();
      try {
        commands.call("SET", redisKey, objects.set(redisKey, value, params),
            c -> c.set(redisKey, value, params));
        if (messages != null) {
          publish(messages.keyChanged(key, seq));
        }
      } finally {
        if (messages != null) {
          messages.release(seq);
        }
      }
      return;
    }
    byte[] px = pxMillis == 0 ? NO_EXPIRY : Long.toString(pxMillis).getBytes(UTF_8);
    long seq = messages.take();
    try {
      runScript("SET", WRITE_AND_PUBLISH, redisKey,
          List.of(value, px, messages.channel(), messages.keyChanged(key, seq)));
    } finally {
      messages.release(seq);
    }
    counters.publishedInvalidations.increment();
  }

  /** Removes {@code key} and tells other instances. */
  public void delete(String key) {
    byte[] redisKey = dataKey(key);
    if (messages == null || sharded) {
      long seq = messages == null ? 0 : messages.take();
      try {
        commands.call("UNLINK", redisKey, objects.unlink(redisKey), c -> c.unlink(redisKey));
        if (messages != null) {
          publish(messages.keyChanged(key, seq));
        }
      } finally {
        if (messages != null) {
          messages.release(seq);
        }
      }
      return;
    }
    long seq = messages.take();
    try {
      runScript("UNLINK", DELETE_AND_PUBLISH, redisKey,
          List.of(messages.channel(), messages.keyChanged(key, seq)));
    } finally {
      messages.release(seq);
    }
    counters.publishedInvalidations.increment();
  }

  /**
   * Removes every key under the prefix (SCAN + UNLINK in batches; on Redis Cluster, every node is
   * scanned), then tells other instances to drop everything. Never FLUSHDB: other data in the same
   * database stays. Not atomic: keys written while it runs may survive.
   */
  public void clearNamespace() {
    clearNamespace("");
  }

  /**
   * As {@link #clearNamespace()}, asking receivers to acknowledge {@code requestId} (none if
   * empty); returns how many subscribers the message reached (this instance's own included).
   */
  public long clearNamespace(String requestId) {
    String pattern = globEscape(keyPrefix) + "*";
    ScanIteration scan = commands.call("SCAN", c -> c.scanIteration(SCAN_BATCH, pattern));
    while (!scan.isIterationCompleted()) {
      Collection<String> keys = commands.call("SCAN", c -> scan.nextBatchList());
      if (!keys.isEmpty()) {
        String[] batch = keys.toArray(String[]::new);
        commands.call("UNLINK", c -> c.unlink(batch)); // on a cluster, split by slot by Jedis
      }
    }
    if (messages == null) {
      return 0;
    }
    long seq = messages.take();
    try {
      return publish(messages.allChanged(seq, requestId));
    } finally {
      messages.release(seq);
    }
  }

  /** Publishes a heartbeat (with this sender's watermark) on the invalidation channel. */
  public void publishHeartbeat(long intervalMillis) {
    if (messages != null) {
      publishUncounted(messages.heartbeat(intervalMillis));
    }
  }

  /** Tells other instances this one is closing (so that its silence is not taken as a loss). */
  public void publishGoodbye() {
    if (messages != null) {
      publishUncounted(messages.goodbye());
    }
  }

  /** Acknowledges another instance's {@code invalidateAll} request {@code requestId}. */
  public void publishAcknowledgement(String requestId) {
    if (messages != null) {
      publishUncounted(messages.acknowledgement(requestId));
    }
  }

  private long publish(byte[] message) {
    long reached = publishUncounted(message);
    counters.publishedInvalidations.increment();
    return reached;
  }

  private long publishUncounted(byte[] message) {
    byte[] channel = Objects.requireNonNull(messages).channel();
    if (sharded) {
      return commands.call("SPUBLISH", channel, objects.spublish(channel, message),
          c -> ((RedisClusterClient) c).spublish(channel, message));
    }
    return commands.call("PUBLISH", c -> c.publish(channel, message));
  }

  /** Tries to take {@code key}'s lease for {@code leaseMillis}; true if this call got it. */
  boolean tryLease(String key, String token, long leaseMillis) {
    byte[] redisKey = leaseKey(key);
    byte[] value = token.getBytes(UTF_8);
    SetParams params = SetParams.setParams().nx().px(leaseMillis);
    String reply = commands.call("SET NX", redisKey, objects.set(redisKey, value, params),
        c -> c.set(redisKey, value, params));
    return "OK".equals(reply);
  }

  /** Deletes {@code key}'s lease if it still holds {@code token} (an owner-checked release). */
  void releaseLease(String key, String token) {
    byte[] redisKey = leaseKey(key);
    byte[] value = token.getBytes(UTF_8);
    runScript("release lease", RELEASE_LEASE, redisKey, List.of(value));
  }

  /** Redis's glob special characters in a prefix stand for themselves in a SCAN pattern. */
  static String globEscape(String prefix) {
    var escaped = new StringBuilder(prefix.length() + 8);
    for (int i = 0; i < prefix.length(); i++) {
      char ch = prefix.charAt(i);
      if (ch == '*' || ch == '?' || ch == '[' || ch == ']' || ch == '\\') {
        escaped.append('\\');
      }
      escaped.append(ch);
    }
    return escaped.toString();
  }

  /**
   * Runs {@code script} on {@code key} by SHA, and in full only when the node has not seen it yet
   * (after a restart, or on another cluster node): one round trip almost always.
   */
  private void runScript(String operation, Script script, byte[] key, List<byte[]> args) {
    List<byte[]> keys = List.of(key);
    try {
      commands.call(operation, key, objects.evalsha(script.sha(), keys, args),
          c -> c.evalsha(script.sha(), keys, args));
    } catch (RedisTierException e) {
      if (!(e.getCause() instanceof JedisNoScriptException)) {
        throw e;
      }
      commands.call(operation, key, objects.eval(script.source(), keys, args),
          c -> c.eval(script.source(), keys, args));
    }
  }

  /** A Lua script and its SHA-1 (hex), as EVALSHA wants it. */
  private record Script(byte[] source, byte[] sha) {
    Script(String source) {
      this(source.getBytes(UTF_8), sha1Hex(source));
    }

    private static byte[] sha1Hex(String source) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(UTF_8));
        return HexFormat.of().formatHex(digest).getBytes(UTF_8);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-1 is not available in this JVM", e);
      }
    }
  }
}
