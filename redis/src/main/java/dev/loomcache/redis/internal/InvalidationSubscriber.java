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
 * after it, the subscriber is interrupted, which closes its socket and makes it reconnect. (A PING on
 * the subscription would be simpler, but Jedis cannot read its reply on a RESP3 connection.)
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
   */
  public InvalidationSubscriber(UnifiedJedis client, Messages messages, TierListener listener,
      Consumer<String> remoteChange, Runnable publishHeartbeat, Duration heartbeat,
      TierCounters counters, RateLimitedLog log) {
    this.client = client;
    this.messages = messages;
    this.listener = listener;
    this.remoteChange = remoteChange;
    this.publishHeartbeat = publishHeartbeat;
    this.heartbeatNanos = heartbeat.toNanos();
    this.counters = counters;
    this.log = log;
    this.subscriber = Thread.ofVirtual().name("loomcache-redis-subscriber").start(this::subscribeLoop);
    this.heartbeat = Thread.ofVirtual().name("loomcache-redis-heartbeat").start(this::heartbeatLoop);
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
        client.subscribe(handler, messages.channelName()); // returns on unsubscribe
      } catch (RuntimeException e) {
        firstAttempt.countDown(); // no use making build() wait for a Redis that refused us
        if (!closed) {
          log.warn("subscriber", "Lost the invalidation subscription on '"
              + messages.channelName() + "'; reconnecting", e);
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
      boolean silent = subscribed
          ? !answered && now - heartbeatSent > 2 * heartbeatNanos
          : now - attemptStarted > 3 * heartbeatNanos;
      if (silent) {
        log.warn("heartbeat", "The invalidation subscription on '" + messages.channelName()
            + "' shows no sign of life; reconnecting", new IllegalStateException("silent"));
        attemptStarted = now;
        answered = true;
        subscriber.interrupt();
      } else if (subscribed && answered) {
        heartbeatSent = now;
        answered = false; // before publishing: the message may arrive before publish returns
        try {
          publishHeartbeat.run();
        } catch (RuntimeException e) {
          answered = true; // nothing to wait for; Redis failures are handled elsewhere
          logger.debug("Could not publish a heartbeat", e);
        }
      }
    }
  }

  /**
   * Unsubscribes and stops both threads; parks the calling thread until they have stopped.
   */
  @Override
  public void close() {
    closed = true;
    Handler handler = current;
    if (subscribed && handler != null) {
      try {
        handler.unsubscribe();
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
  private void onGroupChange(Messages.GroupChange group) {
    counters.receivedInvalidations.increment();
    try {
      if (group.tag()) {
        listener.invalidatedTag(group.text());
      } else {
        listener.invalidatedMatching(KeyGlob.of(group.text()));
      }
    } catch (RuntimeException e) {
      log.warn("listener", "The cache failed to handle a group invalidation", e);
    }
  }

  private final class Handler extends JedisPubSub {
    volatile boolean confirmed;

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      if (everConfirmed || startupOver) {
        listener.invalidatedAll(); // messages published while we were not subscribed are lost
      }
      everConfirmed = true;
      confirmed = true;
      subscribed = true;
      counters.subscriptions.increment();
      firstAttempt.countDown();
    }

    @Override
    public void onMessage(String channel, String message) {
      answered = true; // any message, a heartbeat of ours included, shows the line is alive
      Messages.GroupChange group = messages.parseGroup(message);
      if (group != null) {
        onGroupChange(group);
        return;
      }
      Messages.Change change = messages.parse(message);
      if (change == null) {
        return;
      }
      counters.receivedInvalidations.increment();
      try {
        String key = change.key();
        if (key == null) {
          listener.invalidatedAll();
        } else {
          listener.invalidated(key);
          remoteChange.accept(key);
        }
      } catch (RuntimeException e) {
        log.warn("listener", "The cache failed to handle an invalidation", e);
      }
    }
  }
}
