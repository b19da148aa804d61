package dev.loomcache.redis.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.jspecify.annotations.Nullable;

/**
 * Invalidation messages on a cache's channel: the sender's instance id, a newline, then {@code k}
 * and the key that changed, {@code *} for "everything", {@code h} for a heartbeat (which changes
 * nothing), {@code t} and a tag whose entries were invalidated, or {@code g} and a glob whose
 * matching keys were invalidated (the last two are {@linkplain #parseGroup group changes}). The id lets an instance ignore its own
 * messages (its L1 is already right).
 */
public final class Messages {
  private final byte[] channel;
  private final String channelName;
  private final String instanceId;

  /** A change another instance made: one key, or (key null) every key. */
  public record Change(@Nullable String key) {}

  /**
   * Messages on {@code channel}, sent as {@code instanceId}.
   *
   * @throws IllegalArgumentException if {@code instanceId} contains a newline
   */
  public Messages(String channel, String instanceId) {
    if (instanceId.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("instanceId must not contain a newline");
    }
    this.channelName = channel;
    this.channel = channel.getBytes(UTF_8);
    this.instanceId = instanceId;
  }

  /** The channel, as bytes for PUBLISH. */
  public byte[] channel() {
    return channel;
  }

  /** The channel, as a string for SUBSCRIBE and messages. */
  public String channelName() {
    return channelName;
  }

  byte[] keyChanged(String key) {
    return (instanceId + "\nk" + key).getBytes(UTF_8);
  }

  byte[] allChanged() {
    return (instanceId + "\n*").getBytes(UTF_8);
  }

  byte[] tagChanged(String tag) {
    return (instanceId + "\nt" + tag).getBytes(UTF_8);
  }

  byte[] matchingChanged(String glob) {
    return (instanceId + "\ng" + glob).getBytes(UTF_8);
  }

  /** A change to a group of keys another instance made: every entry of a tag, or of a glob. */
  public record GroupChange(boolean tag, String text) {}

  /**
   * Returns the group change {@code message} announces (a tag or a glob), or null if it is this
   * instance's own or any other kind of message (see {@link #parse}).
   */
  public @Nullable GroupChange parseGroup(String message) {
    int newline = message.indexOf('\n');
    if (newline < 0 || newline >= message.length() - 2
        || message.regionMatches(0, instanceId, 0, newline) && newline == instanceId.length()) {
      return null;
    }
    return switch (message.charAt(newline + 1)) {
      case 't' -> new GroupChange(true, message.substring(newline + 2));
      case 'g' -> new GroupChange(false, message.substring(newline + 2));
      default -> null;
    };
  }

  byte[] heartbeat() {
    return (instanceId + "\nh").getBytes(UTF_8);
  }

  /**
   * Returns the change {@code message} announces, or null if it is this instance's own, a
   * heartbeat, or malformed.
   */
  public @Nullable Change parse(String message) {
    int newline = message.indexOf('\n');
    if (newline < 0 || newline == message.length() - 1
        || message.regionMatches(0, instanceId, 0, newline) && newline == instanceId.length()) {
      return null;
    }
    return switch (message.charAt(newline + 1)) {
      case 'k' -> new Change(message.substring(newline + 2));
      case '*' -> new Change(null);
      default -> null;
    };
  }
}
