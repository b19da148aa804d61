package dev.loomcache.redis.internal;

import dev.loomcache.spi.KeyGlob;
import dev.loomcache.spi.TierListener;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.JedisShardedPubSub;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Listens to the cache's invalidation channel on a virtual thread of its own and tells the cache
 * which keys other instances changed.
 *
 * <p>Messages published while this instance is not subscribed are lost (Redis pub/sub does not keep
 * them). So when a subscription is confirmed after the cache may have stored values (a reconnect,
 * or a first subscription that came too late), the listener hears {@code invalidatedAll()}: L1 may
 * hold values changed in the meantime. The first subscription confirmed while the cache is still
 * being built must not do that: it would supersede the loads of the first callers, which would then
 * store nothing in L1 or Redis. So {@link #awaitFirstSubscription} lets the cache's {@code build()}
 * wait (briefly) for it; a confirmation before that wait ends needs no clearing, as nothing can
 * have been stored yet.
 *
 * <p>A connection can also die silently (a network partition), which would leave L1 stale without
 * anyone noticing. So a heartbeat thread publishes a heartbeat message on the channel every
 * interval; if one was published and nothing at all arrived on the subscription for two intervals
 * after it, the subscriber is interrupted, which closes its socket and makes it reconnect. (A PING
 * on the subscription would be simpler, but Jedis cannot read its reply on a RESP3 connection.)
 *
 * <p>Losses that leave our connection up (a cluster bus that dropped messages, a sender whose
 * messages stopped reaching us, a sender that restarted) are found by {@link SenderSequences}: each
 * change carries its sender's sequence number and each heartbeat its watermark; on evidence of a
 * loss the listener hears {@code invalidatedAll()}, counted by cause in {@link TierCounters}.
 *
 * <p>On a Redis 7+ Cluster the subscription is sharded ({@code SSUBSCRIBE}, one connection to the
 * node owning the channel's slot); otherwise it is a classic {@code SUBSCRIBE}.
 */
public final class InvalidationSubscriber implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger("dev.loomcache.redis");
  private static final long MIN_BACKOFF_MILLIS = 20;
  private static final long MAX_BACKOFF_MILLIS = 1_000;

  private final UnifiedJedis client;
  private final Messages messages;
  private final TierListener listener;
  private final Consumer<String> remoteChange;
  private final TierCounters counters;
  private final RateLimitedLog log;
  private final long heartbeatNanos;
  private final Runnable publishHeartbeat;
  private final SenderSequences sequences;
  private final Acknowledgements acknowledgements;
  private final Consumer<String> acknowledge;
  private final boolean sharded;
  private volatile @Nullable Handler current;
  private volatile boolean subscribed;
  private volatile long attemptStarted = System.nanoTime();
  private volatile long heartbeatSent; // when the last heartbeat was published
  private volatile boolean answered = true; // whether anything arrived since it was published
  private volatile boolean closed;
  private final CountDownLatch firstAttempt = new CountDownLatch(1); // confirmed or failed
  private volatile boolean startupOver; // the cache may have stored values from now on
  private boolean everConfirmed; // read and written by the subscriber thread only
  private final Thread subscriber;
  private final Thread heartbeat;

  /**
   * Starts subscribing at once.
   *
   * @param remoteChange also told of every key another instance changed (wakes lease waiters)
   * @param publishHeartbeat publishes a heartbeat message on the channel; may throw
   * @param acknowledgements where acknowledgements of this instance's requests are counted
   * @param acknowledge publishes an acknowledgement of another instance's request; may throw
   * @param sharded whether to subscribe with SSUBSCRIBE (the client is a cluster client)
   */
  public InvalidationSubscriber(
      UnifiedJedis client,
      Messages messages,
      TierListener listener,
      Consumer<String> remoteChange,
      Runnable publishHeartbeat,
      Duration heartbeat,
      Acknowledgements acknowledgements,
      Consumer<String> acknowledge,
      boolean sharded,
      TierCounters counters,
      RateLimitedLog log) {
    this.client = client;
    this.acknowledgements = acknowledgements;
    this.acknowledge = acknowledge;
    this.sharded = sharded;
    this.sequences = new SenderSequences(SenderSequences.silenceNanos(heartbeat.toMillis()));
    this.messages = messages;
    this.listener = listener;
    this.remoteChange = remoteChange;
    this.publishHeartbeat = publishHeartbeat;
    this.heartbeatNanos = heartbeat.toNanos();
    this.counters = counters;
    this.log = log;
    this.subscriber =
        Thread.ofVirtual().name("loomcache-redis-subscriber").start(this::subscribeLoop);
    this.heartbeat =
        Thread.ofVirtual().name("loomcache-redis-heartbeat").start(this::heartbeatLoop);
  }

  /**
   * Parks the calling thread until the first subscription is confirmed, the first attempt fails, or
   * {@code timeout} passes, whichever comes first. From then on a confirmed subscription clears L1.
   * Called once, before the cache can store anything. If interrupted, returns at once with the
   * interrupt status set.
   *
   * @return whether the subscription is confirmed
   */
  public boolean awaitFirstSubscription(Duration timeout) {
    try {
      firstAttempt.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      startupOver = true;
    }
    return subscribed;
  }

  /** Whether the subscription is confirmed right now. */
  public boolean isSubscribed() {
    return subscribed;
  }

  private void subscribeLoop() {
    long backoff = MIN_BACKOFF_MILLIS;
    while (!closed) {
      var handler = new Handler();
      current = handler;
      answered = true;
      attemptStarted = System.nanoTime();
      try {
        if (sharded) {
          ((RedisClusterClient) client).ssubscribe(handler.sharded, messages.channelName());
        } else {
          client.subscribe(handler, messages.channelName()); // returns on unsubscribe
        }
      } catch (RuntimeException e) {
        firstAttempt.countDown(); // no use making build() wait for a Redis that refused us
        if (!closed) {
          log.warn(
              "subscriber",
              "Lost the invalidation subscription on '"
                  + messages.channelName()
                  + "'; reconnecting",
              e);
        }
      }
      subscribed = false;
      Thread.interrupted(); // an interrupt from the heartbeat only asked for a reconnect
      if (closed) {
        return;
      }
      backoff = handler.confirmed ? MIN_BACKOFF_MILLIS : Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        // close() or the heartbeat: the loop condition decides
      }
    }
  }

  private void heartbeatLoop() {
    while (!closed) {
      try {
        Thread.sleep(Duration.ofNanos(heartbeatNanos));
      } catch (InterruptedException e) {
        return; // close()
      }
      long now = System.nanoTime();
      boolean silent =
          subscribed
              ? !answered && now - heartbeatSent > 2 * heartbeatNanos
              : now - attemptStarted > 3 * heartbeatNanos;
      if (silent) {
        log.warn(
            "heartbeat",
            "The invalidation subscription on '"
                + messages.channelName()
                + "' shows no sign of life; reconnecting",
            new IllegalStateException("silent"));
        attemptStarted = now;
        answered = true;
        subscriber.interrupt();
      } else {
        // Published every interval, subscribed or not: other instances judge gaps by its watermark.
        boolean probe = subscribed && answered;
        if (probe) {
          heartbeatSent = now;
          answered = false; // before publishing: the message may arrive before publish returns
        }
        try {
          publishHeartbeat.run();
        } catch (RuntimeException e) {
          if (probe) {
            answered = true; // nothing to wait for; Redis failures are handled elsewhere
          }
          logger.debug("Could not publish a heartbeat", e);
        }
      }
      int silentSenders = sequences.sweepSilent();
      if (silentSenders > 0 && subscribed) {
        log.warn(
            "silent-sender",
            silentSenders
                + " instance(s) publishing on '"
                + messages.channelName()
                + "' went silent without a goodbye; dropping L1, since their changes may be lost",
            new IllegalStateException("silent sender"));
        dropAll();
        counters.silentSenderClears.add(
            silentSenders); // after the clear: a reader of it sees it done
      }
    }
  }

  private void dropAll() {
    try {
      listener.invalidatedAll();
    } catch (RuntimeException e) {
      log.warn("listener", "The cache failed to handle an invalidation", e);
    }
  }

  /** Unsubscribes and stops both threads; parks the calling thread until they have stopped. */
  @Override
  public void close() {
    closed = true;
    Handler handler = current;
    if (subscribed && handler != null) {
      try {
        if (sharded) {
          handler.sharded.sunsubscribe();
        } else {
          handler.unsubscribe();
        }
      } catch (RuntimeException e) {
        logger.debug("Could not unsubscribe; closing the connection instead", e);
      }
    }
    subscriber.interrupt(); // closes the socket if the unsubscribe did not get through
    heartbeat.interrupt();
    boolean interrupted = false;
    for (Thread thread : new Thread[] {subscriber, heartbeat}) {
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** A tag's or a glob's entries changed in another instance: drop the local copies. */
  private final class Handler extends JedisPubSub {
    volatile boolean confirmed;
    final JedisShardedPubSub sharded =
        new JedisShardedPubSub() {
          @Override
          public void onSSubscribe(String channel, int subscribedChannels) {
            confirmed();
          }

          @Override
          public void onSMessage(String channel, String message) {
            received(message);
          }
        };

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      confirmed();
    }

    @Override
    public void onMessage(String channel, String message) {
      received(message);
    }

    private void confirmed() {
      sequences.reset();
      if (everConfirmed || startupOver) {
        listener.invalidatedAll(); // messages published while we were not subscribed are lost
        counters.resubscribeClears.increment();
      }
      everConfirmed = true;
      confirmed = true;
      subscribed = true;
      counters.subscriptions.increment();
      firstAttempt.countDown();
    }

    private void received(String text) {
      answered = true; // any message, a heartbeat of ours included, shows the line is alive
      Messages.Message message = Messages.parse(text);
      if (message == null || messages.isOwn(message)) {
        return;
      }
      boolean sequenced = message.seq() != Messages.UNSEQUENCED;
      try {
        switch (message.kind()) {
          case 'k' -> {
            listener.invalidated(message.payload());
            remoteChange.accept(message.payload());
            // Counted after the L1 change, so that whoever sees the count finds L1 changed.
            counters.receivedInvalidations.increment();
            if (sequenced) {
              judge(sequences.change(message.sender(), message.epoch(), message.seq()));
            }
          }
          case 't', 'g' -> {
            if (message.kind() == 't') {
              listener.invalidatedTag(message.payload());
            } else {
              listener.invalidatedMatching(KeyGlob.of(message.payload()));
            }
            counters.receivedInvalidations.increment(); // after the L1 change, as for 'k'

            if (sequenced) {
              judge(sequences.change(message.sender(), message.epoch(), message.seq()));
            }
          }
          case '*' -> {
            listener.invalidatedAll();
            counters.receivedInvalidations.increment(); // after the L1 change, as for 'k'
            if (sequenced) {
              sequences.change(message.sender(), message.epoch(), message.seq()); // L1 is empty
            }
            if (!message.payload().isEmpty()) {
              acknowledge(message.payload());
            }
          }
          case 'h' -> {
            if (sequenced) {
              judge(
                  sequences.heartbeat(
                      message.sender(),
                      message.epoch(),
                      message.seq(),
                      parseInterval(message.payload())));
            }
          }
          case 'x' -> {
            if (sequenced) {
              judge(sequences.goodbye(message.sender(), message.epoch(), message.seq()));
            }
          }
          case 'a' -> acknowledgements.received(message.payload(), message.sender());
          default -> {}
        }
      } catch (RuntimeException e) {
        log.warn("listener", "The cache failed to handle an invalidation", e);
      }
    }

    private void judge(SenderSequences.Verdict verdict) {
      if (verdict == SenderSequences.Verdict.NONE) {
        return;
      }
      log.warn(
          "lost-invalidation",
          "Invalidations on '"
              + messages.channelName()
              + "' were lost ("
              + verdict
              + "); dropping L1",
          new IllegalStateException(verdict.name()));
      listener.invalidatedAll();
      // Counted after the clear, so that whoever sees the count finds L1 already cleared.
      (verdict == SenderSequences.Verdict.GAP ? counters.gapClears : counters.restartClears)
          .increment();
    }

    private void acknowledge(String requestId) {
      try {
        acknowledge.accept(requestId);
        counters.acknowledgementsSent.increment();
      } catch (RuntimeException e) {
        logger.debug("Could not acknowledge request {}", requestId, e);
      }
    }
  }

  private static long parseInterval(String payload) {
    try {
      return Long.parseLong(payload);
    } catch (NumberFormatException e) {
      return 1_000;
    }
  }
}
