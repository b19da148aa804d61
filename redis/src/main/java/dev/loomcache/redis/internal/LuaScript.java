package dev.loomcache.redis.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}, one round trip), sent in full ({@code EVAL}) only
 * when the node answers {@code NOSCRIPT}: the first time on each node, or after a restart. On Redis
 * Cluster the client routes it by its first key, so a script must touch only keys of one hash slot.
 */
public final class LuaScript {
  private final String source;
  private final String sha;

  /** A script with this source. */
  public LuaScript(String source) {
    this.source = source;
    this.sha = sha1Hex(source);
  }

  /**
   * Runs the script on {@code client} within {@code permits}; parks the calling thread for the
   * round trip (and for a permit).
   *
   * @throws redis.clients.jedis.exceptions.JedisException if Redis fails or cannot be reached
   */
  public Object run(
      UnifiedJedis client, CommandPermits permits, List<String> keys, List<String> args) {
    return permits.call(() -> {
      try {
        return client.evalsha(sha, keys, args);
      } catch (JedisNoScriptException e) {
        return client.eval(source, keys, args);
      }
    });
  }

  /** The script's SHA-1, as {@code SCRIPT LOAD} reports it. */
  public String sha() {
    return sha;
  }

  private static String sha1Hex(String source) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available in this JVM", e);
    }
  }
}
