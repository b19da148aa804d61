package dev.loomcache.redis.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a receiver knows of each other instance's invalidation sequence, and the verdict on each
 * message: in order, or evidence that changes were lost (and L1 must be dropped).
 *
 * <p>Design note. Redis delivers one subscriber's messages in the order it executed the PUBLISH
 * commands, but a sender runs the commands of different keys concurrently, so its numbers may
 * arrive out of order; a number missing now may still come. Gaps are therefore judged by the
 * sender's watermark (carried by its heartbeats and its goodbye): the watermark is published after
 * every change numbered up to it, so by the time it arrives here, those changes must have arrived
 * too; any that did not were lost. Other evidence of loss: a sender seen again with a new epoch (it
 * restarted: what it sent before may be lost), a sender first seen with numbers already used more
 * than a warm-up after our subscription (it was talking and we did not hear it), a sender whose
 * heartbeats stopped (three of its intervals and a second of silence, without a goodbye), and too
 * many numbers waiting for their predecessors. Each is counted once per occurrence by the caller.
 *
 * <p>Thread-safe: the subscriber thread reports messages, the heartbeat thread sweeps for silence;
 * a short lock with no I/O guards the table.
 */
public final class SenderSequences {
  /** Past this many numbers waiting for a predecessor, the predecessor is taken as lost. */
  static final int MAX_PENDING = 10_000;

  /** Why L1 must be dropped, or {@link #NONE}. */
  public enum Verdict {
    NONE,
    GAP,
    RESTART
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Sender> senders = new HashMap<>(); // guarded by lock
  private final long warmupNanos;
  private long subscribedAt; // guarded by lock

  /**
   * @param warmupNanos how long after a subscription every sender has heard from us once
   */
  public SenderSequences(long warmupNanos) {
    this.warmupNanos = warmupNanos;
    this.subscribedAt = System.nanoTime();
  }

  private static final class Sender {
    long epoch;
    long contiguous; // every number up to this one was seen
    final TreeSet<Long> ahead = new TreeSet<>(); // seen, above contiguous
    long lastHeard;
    long silenceNanos; // 0 until a heartbeat announced the sender's interval

    Sender(long epoch, long baseline, long now) {
      this.epoch = epoch;
      this.contiguous = baseline;
      this.lastHeard = now;
    }

    void seen(long seq) {
      if (seq <= contiguous) {
        return;
      }
      if (seq == contiguous + 1) {
        contiguous = seq;
        while (!ahead.isEmpty() && ahead.first() == contiguous + 1) {
          contiguous = ahead.pollFirst();
        }
      } else {
        ahead.add(seq);
      }
    }

    /** Moves past {@code watermark}: whatever was missing up to it is given up on. */
    void skipTo(long watermark) {
      contiguous = Math.max(contiguous, watermark);
      ahead.headSet(contiguous, true).clear();
      while (!ahead.isEmpty() && ahead.first() == contiguous + 1) {
        contiguous = ahead.pollFirst();
      }
    }
  }

  /** Forgets every sender: the subscription was (re)confirmed and L1 cleared. */
  public void reset() {
    lock.lock();
    try {
      senders.clear();
      subscribedAt = System.nanoTime();
    } finally {
      lock.unlock();
    }
  }

  /** A change ({@code k} or {@code *}) numbered {@code seq}. */
  public Verdict change(String sender, long epoch, long seq) {
    long now = System.nanoTime();
    lock.lock();
    try {
      Sender known = senders.get(sender);
      if (known == null) {
        // Numbers before seq were sent before we first heard this sender: lost to us if we were
        // listening long enough to have heard its heartbeats.
        boolean warm = now - subscribedAt > warmupNanos;
        senders.put(sender, new Sender(epoch, seq, now));
        return warm && seq > 1 ? Verdict.GAP : Verdict.NONE;
      }
      known.lastHeard = now;
      if (known.epoch != epoch) {
        restart(known, epoch, seq);
        return Verdict.RESTART;
      }
      known.seen(seq);
      if (known.ahead.size() > MAX_PENDING) {
        known.skipTo(known.ahead.last());
        return Verdict.GAP;
      }
      return Verdict.NONE;
    } finally {
      lock.unlock();
    }
  }

  /** A heartbeat with the sender's {@code watermark}, sent every {@code intervalMillis}. */
  public Verdict heartbeat(String sender, long epoch, long watermark, long intervalMillis) {
    long now = System.nanoTime();
    lock.lock();
    try {
      Sender known = senders.get(sender);
      if (known == null) {
        boolean warm = now - subscribedAt > warmupNanos;
        Sender added = new Sender(epoch, watermark, now);
        added.silenceNanos = silenceNanos(intervalMillis);
        senders.put(sender, added);
        // A talking sender we never heard: lost, unless we only just subscribed.
        return warm && watermark > 0 ? Verdict.GAP : Verdict.NONE;
      }
      known.lastHeard = now;
      known.silenceNanos = silenceNanos(intervalMillis);
      if (known.epoch != epoch) {
        restart(known, epoch, watermark);
        return Verdict.RESTART;
      }
      return watermarkVerdict(known, watermark);
    } finally {
      lock.unlock();
    }
  }

  /** The sender is closing: checks its final watermark and forgets it. */
  public Verdict goodbye(String sender, long epoch, long watermark) {
    lock.lock();
    try {
      Sender known = senders.remove(sender);
      if (known == null || known.epoch != epoch) {
        return Verdict.NONE;
      }
      return watermarkVerdict(known, watermark);
    } finally {
      lock.unlock();
    }
  }

  /**
   * How long a sender heartbeating every {@code intervalMillis} may stay silent: three intervals,
   * plus a second for a stalled JVM or machine (a GC pause, an overloaded host) on either side.
   */
  static long silenceNanos(long intervalMillis) {
    return (3 * Math.max(1, intervalMillis) + SILENCE_SLACK_MILLIS) * 1_000_000;
  }

  static final long SILENCE_SLACK_MILLIS = 1_000;

  private static Verdict watermarkVerdict(Sender known, long watermark) {
    if (watermark <= known.contiguous) {
      return Verdict.NONE;
    }
    known.skipTo(watermark);
    return Verdict.GAP;
  }

  private static void restart(Sender known, long epoch, long seq) {
    known.epoch = epoch;
    known.contiguous = seq;
    known.ahead.clear();
    known.silenceNanos = 0;
  }

  /**
   * Forgets the senders whose heartbeats stopped (silent for three of their intervals) and returns
   * how many there were: each may have sent changes we did not hear.
   */
  public int sweepSilent() {
    long now = System.nanoTime();
    int silent = 0;
    lock.lock();
    try {
      for (Iterator<Sender> it = senders.values().iterator(); it.hasNext(); ) {
        Sender sender = it.next();
        if (sender.silenceNanos > 0 && now - sender.lastHeard > sender.silenceNanos) {
          it.remove();
          silent++;
        }
      }
    } finally {
      lock.unlock();
    }
    return silent;
  }

  /** How many senders are known now; for tests. */
  public int size() {
    lock.lock();
    try {
      return senders.size();
    } finally {
      lock.unlock();
    }
  }
}
