package dev.loomcache.redis.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Invalidation messages on a cache's channel, and this instance's sequence numbers for them.
 *
 * <p>Format: a header {@code <instanceId> <epoch> <seq>}, a newline, then one kind letter and its
 * payload: {@code k<key>} (one key changed), {@code t<tag>} (every entry of a tag), {@code g<glob>}
 * (every key matching a glob), {@code *<requestId>} (everything changed; a non-empty request id
 * asks receivers to acknowledge), {@code h<intervalMillis>} (a heartbeat, changing nothing), {@code
 * x} (the sender is closing), {@code a<requestId>} (an acknowledgement of a {@code *}). Changes
 * ({@code k}, {@code t}, {@code g}, {@code *}) carry the next number of the sender's sequence;
 * heartbeats and {@code x} carry the sender's <em>watermark</em> instead: every change numbered up
 * to it has been published (or given up on), so a receiver that has not seen one of them lost it.
 * Acknowledgements carry 0 and are not sequenced. The instance id lets an instance ignore its own
 * messages; the epoch (the sender's start time) tells a restarted sender that kept its id. Messages
 * of earlier versions ({@code <instanceId>\n<kind><payload>}) still parse, without a sequence.
 *
 * <p>Sequence numbers are taken before a change is sent and released when its command has ended,
 * whatever its outcome; commands of different keys run concurrently and may reach Redis out of
 * order, which is why receivers judge gaps by watermarks rather than by the next number alone.
 */
public final class Messages {
  private final byte[] channel;
  private final String channelName;
  private final String instanceId;
  private final long epoch;
  private final String header; // "<id> <epoch> "

  // Sequence numbers in flight: a short CPU-only section under one lock guards both fields (taking
  // a number and marking it in flight must be one step, or a watermark read between the two would
  // claim an unsent change). A ReentrantLock, not synchronized: no published main code has a
  // monitor.
  private final ReentrantLock sequence = new ReentrantLock();
  private long lastTaken; // guarded by sequence
  private final TreeSet<Long> inFlight = new TreeSet<>(); // guarded by sequence

  /** The epoch and sequence number of a message from an earlier version, which has neither. */
  public static final long UNSEQUENCED = -1;

  /** A parsed message; {@code seq} is a change's number, or a heartbeat's watermark. */
  public record Message(String sender, long epoch, long seq, char kind, String payload) {}

  /**
   * Messages on {@code channel}, sent as {@code instanceId} started at {@code epoch}.
   *
   * @throws IllegalArgumentException if {@code instanceId} contains a space or a newline
   */
  public Messages(String channel, String instanceId, long epoch) {
    if (instanceId.isEmpty() || instanceId.indexOf('\n') >= 0 || instanceId.indexOf(' ') >= 0) {
      throw new IllegalArgumentException(
          "instanceId must be non-empty without spaces or newlines, but was '" + instanceId + "'");
    }
    this.channelName = channel;
    this.channel = channel.getBytes(UTF_8);
    this.instanceId = instanceId;
    this.epoch = epoch;
    this.header = instanceId + " " + epoch + " ";
  }

  /** The channel, as bytes for PUBLISH. */
  public byte[] channel() {
    return channel;
  }

  /** The channel, as a string for SUBSCRIBE and messages. */
  public String channelName() {
    return channelName;
  }

  public String instanceId() {
    return instanceId;
  }

  /** Takes the next sequence number; the caller must {@link #release} it once its command ended. */
  public long take() {
    sequence.lock();
    try {
      long seq = ++lastTaken;
      inFlight.add(seq);
      return seq;
    } finally {
      sequence.unlock();
    }
  }

  /** Releases {@code seq}: its message was published, or never will be. */
  public void release(long seq) {
    sequence.lock();
    try {
      inFlight.remove(seq);
    } finally {
      sequence.unlock();
    }
  }

  /** Every change numbered up to this has been published or given up on. */
  public long watermark() {
    sequence.lock();
    try {
      return inFlight.isEmpty() ? lastTaken : inFlight.first() - 1;
    } finally {
      sequence.unlock();
    }
  }

  byte[] keyChanged(String key, long seq) {
    return (header + seq + "\nk" + key).getBytes(UTF_8);
  }

  byte[] tagChanged(String tag, long seq) {
    return (header + seq + "\nt" + tag).getBytes(UTF_8);
  }

  byte[] matchingChanged(String glob, long seq) {
    return (header + seq + "\ng" + glob).getBytes(UTF_8);
  }

  byte[] allChanged(long seq, String requestId) {
    return (header + seq + "\n*" + requestId).getBytes(UTF_8);
  }

  byte[] heartbeat(long intervalMillis) {
    return (header + watermark() + "\nh" + intervalMillis).getBytes(UTF_8);
  }

  byte[] goodbye() {
    return (header + watermark() + "\nx").getBytes(UTF_8);
  }

  byte[] acknowledgement(String requestId) {
    return (header + "0\na" + requestId).getBytes(UTF_8);
  }

  /** Returns the message {@code text} holds, or null if it is malformed. */
  public static @Nullable Message parse(String text) {
    int newline = text.indexOf('\n');
    if (newline < 0 || newline == text.length() - 1) {
      return null;
    }
    int first = text.indexOf(' ');
    if (first < 0 || first > newline) { // an instance of an earlier version: no sequence numbers
      return newline == 0
          ? null
          : new Message(
              text.substring(0, newline),
              UNSEQUENCED,
              UNSEQUENCED,
              text.charAt(newline + 1),
              text.substring(newline + 2));
    }
    int second = text.indexOf(' ', first + 1);
    if (first == 0 || second < 0 || second > newline) {
      return null;
    }
    try {
      long epoch = Long.parseLong(text, first + 1, second, 10);
      long seq = Long.parseLong(text, second + 1, newline, 10);
      return new Message(
          text.substring(0, first),
          epoch,
          seq,
          text.charAt(newline + 1),
          text.substring(newline + 2));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Whether {@code message} is this instance's own (this incarnation's). */
  public boolean isOwn(Message message) {
    return message.sender().equals(instanceId) && message.epoch() == epoch;
  }
}
