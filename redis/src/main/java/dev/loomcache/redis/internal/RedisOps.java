package dev.loomcache.redis.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.loomcache.redis.RedisTierException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
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
 * both or neither, and a reader woken by the message finds the new value. The scripts touch only
 * the key they declare, so they run unchanged on Redis Cluster ({@code PUBLISH} reaches every
 * node). With sharded pub/sub on a Redis 7+ Cluster the channel lives in one slot (its hash tag),
 * which is not the key's, so there the write and the {@code SPUBLISH} are two commands, in that
 * order.
 *
 * <p>Every change message takes a sequence number before it is sent and releases it when its
 * command has ended ({@link Messages}), so heartbeats can tell receivers what they should have
 * seen.
 */
public final class RedisOps {
  private static final int SCAN_BATCH = 1_000;
  private static final byte[] NO_EXPIRY = {'0'};

  private static final Script WRITE_AND_PUBLISH =
      new Script(
          """
          if ARGV[2] == '0' then
            redis.call('SET', KEYS[1], ARGV[1])
          else
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          end
          redis.call('PUBLISH', ARGV[3], ARGV[4])
          return 1\
          """);
  private static final Script DELETE_AND_PUBLISH =
      new Script(
          """
          redis.call('UNLINK', KEYS[1])
          redis.call('PUBLISH', ARGV[1], ARGV[2])
          return 1\
          """);

  /**
   * Adds ARGV[1] (a cache key) to the tag set KEYS[i] with score ARGV[3] (its absolute expiry,
   * {@code +inf} for none), first dropping members whose expiry passed before ARGV[2] (now), and
   * makes the set expire with its last member. So a set never outlives its entries and never holds
   * members that expired more than one write ago.
   */
  private static final String ADD_TO_TAG_SETS =
      """
      for i = FIRST_TAG_KEY, #KEYS do
        local tk = KEYS[i]
        redis.call('ZREMRANGEBYSCORE', tk, '-inf', '(' .. ARGV[2])
        redis.call('ZADD', tk, ARGV[3], ARGV[1])
        local top = redis.call('ZRANGE', tk, -1, -1, 'WITHSCORES')
        if top[2] == 'inf' then
          redis.call('PERSIST', tk)
        else
          redis.call('PEXPIREAT', tk, top[2])
        end
      end
      """;

  private static final Script ADD_TO_TAGS =
      new Script(ADD_TO_TAG_SETS.replace("FIRST_TAG_KEY", "1") + "return 1");

  /** The tagged write: the value, its tag sets and the message in one script (standalone only). */
  private static final Script WRITE_TAGGED_AND_PUBLISH =
      new Script(
          """
          if ARGV[5] == '0' then
            redis.call('SET', KEYS[1], ARGV[4])
          else
            redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
          end
          """
              + ADD_TO_TAG_SETS.replace("FIRST_TAG_KEY", "2")
              + """
              if ARGV[6] ~= '' then
                redis.call('PUBLISH', ARGV[6], ARGV[7])
              end
              return 1\
              """);

  /**
   * Pops up to ARGV[2] members of the tag set KEYS[1] and unlinks their values (ARGV[1] is the key
   * prefix); returns how many it popped. The value keys are not declared: standalone only.
   */
  private static final Script POP_TAG_AND_UNLINK =
      new Script(
          """
          local popped = redis.call('ZPOPMIN', KEYS[1], ARGV[2])
          for i = 1, #popped, 2 do
            redis.call('UNLINK', ARGV[1] .. popped[i])
          end
          return #popped / 2\
          """);

  private static final Script RELEASE_LEASE =
      new Script(
          """
          if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('DEL', KEYS[1])
          end
          return 0\
          """);

  private final Commands commands;
  // The replies of GET, SET, UNLINK and EVALSHA read the same in RESP2 and RESP3.
  private final CommandObjects objects = new CommandObjects(RedisProtocol.RESP3);
  private final String keyPrefix;
  private final String leasePrefix;
  private final String tagPrefix;
  private final @Nullable Messages messages;
  private final TierCounters counters;
  private volatile boolean sharded;

  /**
   * Commands on the keys under {@code keyPrefix}.
   *
   * @param messages how to publish invalidations, or null if other instances are not told
   */
  public RedisOps(
      Commands commands, String keyPrefix, @Nullable Messages messages, TierCounters counters) {
    this.commands = commands;
    this.keyPrefix = keyPrefix;
    this.leasePrefix = keyPrefix + "__lease:";
    this.tagPrefix = keyPrefix + "__tag:";
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
        commands.call(
            "SET",
            redisKey,
            objects.set(redisKey, value, params),
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
      runScript(
          "SET",
          WRITE_AND_PUBLISH,
          redisKey,
          List.of(value, px, messages.channel(), messages.keyChanged(key, seq)));
    } finally {
      messages.release(seq);
    }
    counters.publishedInvalidations.increment();
  }

  /**
   * Sets {@code key} carrying {@code tags}, with absolute expiry {@code expiresAtMillis} ({@link
   * dev.loomcache.spi.StoredValue#NEVER_EXPIRES} for none), adds it to each tag's set and tells
   * other instances. Standalone: one script, so Redis applies all of it or none. Cluster (the tag
   * sets live in other slots): the tag sets first, one script per tag, then the value; a failure in
   * between leaves a tag member without its value, which costs nothing.
   */
  public void set(String key, byte[] value, long pxMillis, long expiresAtMillis, Set<String> tags) {
    if (tags.isEmpty()) {
      set(key, value, pxMillis);
      return;
    }
    byte[] member = key.getBytes(UTF_8);
    byte[] now = Long.toString(System.currentTimeMillis()).getBytes(UTF_8);
    byte[] score =
        (expiresAtMillis == dev.loomcache.spi.StoredValue.NEVER_EXPIRES
                ? "+inf"
                : Long.toString(expiresAtMillis))
            .getBytes(UTF_8);
    if (commands.isCluster()) {
      for (String tag : tags) {
        runScript("ZADD", ADD_TO_TAGS, List.of(tagKey(tag)), List.of(member, now, score));
      }
      set(key, value, pxMillis);
      return;
    }
    var keys = new ArrayList<byte[]>(tags.size() + 1);
    keys.add(dataKey(key));
    for (String tag : tags) {
      keys.add(tagKey(tag));
    }
    byte[] px = pxMillis == 0 ? NO_EXPIRY : Long.toString(pxMillis).getBytes(UTF_8);
    byte[] channel = messages == null ? new byte[0] : messages.channel();
    long seq = messages == null ? 0 : messages.take();
    try {
      byte[] message = messages == null ? new byte[0] : messages.keyChanged(key, seq);
      runScript(
          "SET",
          WRITE_TAGGED_AND_PUBLISH,
          keys,
          List.of(member, now, score, value, px, channel, message));
    } finally {
      if (messages != null) {
        messages.release(seq);
      }
    }
    if (messages != null) {
      counters.publishedInvalidations.increment();
    }
  }

  /** The Redis key of {@code tag}'s set of keys. */
  byte[] tagKey(String tag) {
    return (tagPrefix + tag).getBytes(UTF_8);
  }

  /**
   * Removes every key in {@code tag}'s set and the set itself, {@value #SCAN_BATCH} keys per round
   * trip, then tells other instances. Standalone: each batch is one script (members leave the set
   * only with their values). Cluster: a {@code ZPOPMIN} then an {@code UNLINK} per batch. Keys
   * tagged while it runs may be removed too. Returns the number of keys removed (some may have
   * expired or been deleted already).
   */
  public long invalidateTag(String tag) {
    byte[] tagKey = tagKey(tag);
    String tagKeyText = tagPrefix + tag;
    byte[] batch = Integer.toString(SCAN_BATCH).getBytes(UTF_8);
    byte[] prefix = keyPrefix.getBytes(UTF_8);
    long removed = 0;
    while (true) {
      long popped;
      if (commands.isCluster()) {
        List<redis.clients.jedis.resps.Tuple> members =
            commands.call("ZPOPMIN", c -> c.zpopmin(tagKeyText, SCAN_BATCH));
        if (!members.isEmpty()) {
          String[] keys =
              members.stream().map(t -> keyPrefix + t.getElement()).toArray(String[]::new);
          commands.call("UNLINK", c -> c.unlink(keys));
        }
        popped = members.size();
      } else {
        Object reply =
            runScript("ZPOPMIN", POP_TAG_AND_UNLINK, List.of(tagKey), List.of(prefix, batch));
        popped = reply instanceof Long count ? count : 0;
      }
      removed += popped;
      if (popped < SCAN_BATCH) {
        break;
      }
    }
    if (messages != null) {
      long seq = messages.take();
      try {
        publish(messages.tagChanged(tag, seq));
      } finally {
        messages.release(seq);
      }
    }
    return removed;
  }

  /**
   * Removes every value whose key (after the prefix) matches {@code glob}: {@code SCAN MATCH}
   * within the prefix, {@value #SCAN_BATCH} keys per call, {@code UNLINK} per batch, every node of
   * a cluster; never {@code KEYS}. The tier's own keys (tag sets, leases) are left alone. Then
   * tells other instances. Not atomic: keys written while it runs may survive. Returns the number
   * removed.
   */
  public long invalidateMatching(String glob) {
    String pattern = globEscape(keyPrefix) + redisGlob(glob);
    ScanIteration scan = commands.call("SCAN", c -> c.scanIteration(SCAN_BATCH, pattern));
    long removed = 0;
    while (!scan.isIterationCompleted()) {
      Collection<String> keys = commands.call("SCAN", c -> scan.nextBatchList());
      String[] batch =
          keys.stream()
              .filter(k -> !k.startsWith(tagPrefix) && !k.startsWith(leasePrefix))
              .toArray(String[]::new);
      if (batch.length > 0) {
        commands.call("UNLINK", c -> c.unlink(batch));
        removed += batch.length;
      }
    }
    if (messages != null) {
      long seq = messages.take();
      try {
        publish(messages.matchingChanged(glob, seq));
      } finally {
        messages.release(seq);
      }
    }
    return removed;
  }

  /**
   * A glob of {@code *} and {@code ?} as a Redis pattern: Redis's other specials stand for
   * themselves.
   */
  static String redisGlob(String glob) {
    var escaped = new StringBuilder(glob.length() + 8);
    for (int i = 0; i < glob.length(); i++) {
      char ch = glob.charAt(i);
      if (ch == '[' || ch == ']' || ch == '\\') {
        escaped.append('\\');
      }
      escaped.append(ch);
    }
    return escaped.toString();
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
      runScript(
          "UNLINK",
          DELETE_AND_PUBLISH,
          redisKey,
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
      return commands.call(
          "SPUBLISH",
          channel,
          objects.spublish(channel, message),
          c -> ((RedisClusterClient) c).spublish(channel, message));
    }
    return commands.call("PUBLISH", c -> c.publish(channel, message));
  }

  /** Tries to take {@code key}'s lease for {@code leaseMillis}; true if this call got it. */
  boolean tryLease(String key, String token, long leaseMillis) {
    byte[] redisKey = leaseKey(key);
    byte[] value = token.getBytes(UTF_8);
    SetParams params = SetParams.setParams().nx().px(leaseMillis);
    String reply =
        commands.call(
            "SET NX",
            redisKey,
            objects.set(redisKey, value, params),
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
    runScript(operation, script, List.of(key), args);
  }

  /** As {@link #runScript(String, Script, byte[], List)}, routed by the first of {@code keys}. */
  private Object runScript(String operation, Script script, List<byte[]> keys, List<byte[]> args) {
    byte[] key = keys.getFirst();
    try {
      return commands.call(
          operation,
          key,
          objects.evalsha(script.sha(), keys, args),
          c -> c.evalsha(script.sha(), keys, args));
    } catch (RedisTierException e) {
      if (!(e.getCause() instanceof JedisNoScriptException)) {
        throw e;
      }
      return commands.call(
          operation,
          key,
          objects.eval(script.source(), keys, args),
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
