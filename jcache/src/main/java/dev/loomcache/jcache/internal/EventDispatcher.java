package dev.loomcache.jcache.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import org.jspecify.annotations.Nullable;

/**
 * Delivers a cache's entry events to its registered listeners.
 *
 * <p>Design note. The cache publishes an event while it holds the key's lock, right after the
 * change. A synchronous listener (and its filter) runs there and then, on the calling thread: the
 * operation does not return before it has seen the change, and the events of one key reach it in
 * order because the key's changes are serialized. Its failure is collected and thrown to the caller
 * as a {@link CacheEntryListenerException} once the operation is done. An asynchronous listener
 * gets the event through its own {@link SerialQueue} on the cache's virtual threads, in publication
 * order, filter included; its failures are logged.
 */
final class EventDispatcher<K, V> {
  private final List<Registration<K, V>> registrations = new CopyOnWriteArrayList<>();
  private final Executor executor;

  EventDispatcher(Executor executor) {
    this.executor = executor;
  }

  /**
   * Registers a listener, creating it and its filter with their factories.
   *
   * @throws IllegalArgumentException if a listener with an equal configuration is registered
   */
  void register(CacheEntryListenerConfiguration<K, V> configuration) {
    for (Registration<K, V> registration : registrations) {
      if (registration.configuration.equals(configuration)) {
        throw new IllegalArgumentException("A listener with this configuration is registered");
      }
    }
    registrations.add(new Registration<>(configuration, executor));
  }

  /** Removes the listener registered with {@code configuration}, if any, and closes it. */
  void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
    for (Registration<K, V> registration : registrations) {
      if (registration.configuration.equals(configuration)) {
        registrations.remove(registration);
        registration.close();
      }
    }
  }

  /** Returns whether some listener wants events of {@code type}; lets callers skip building one. */
  boolean hasListenerFor(EventType type) {
    for (Registration<K, V> registration : registrations) {
      if (registration.accepts(type)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Publishes an event: runs the synchronous listeners that want it (adding their failures to
   * {@code failures}) and queues it for the asynchronous ones. Called with the key's lock held.
   */
  void publish(EntryEvent<K, V> event, Failures failures) {
    for (Registration<K, V> registration : registrations) {
      if (!registration.accepts(event.getEventType())) {
        continue;
      }
      if (registration.synchronous) {
        try {
          registration.deliver(event);
        } catch (CacheEntryListenerException e) {
          failures.add(e);
        } catch (RuntimeException e) {
          failures.add(new CacheEntryListenerException(e));
        }
      } else {
        registration.queue.add(() -> registration.deliver(event));
      }
    }
  }

  /** Closes every listener and filter that is {@link AutoCloseable}. */
  void closeAll() {
    for (Registration<K, V> registration : registrations) {
      registration.close();
    }
    registrations.clear();
  }

  /** One registered listener, its filter and, if asynchronous, its queue. */
  private static final class Registration<K, V> {
    final CacheEntryListenerConfiguration<K, V> configuration;
    final CacheEntryListener<? super K, ? super V> listener;
    final @Nullable CacheEntryEventFilter<? super K, ? super V> filter;
    final boolean synchronous;
    final boolean oldValueRequired;
    final SerialQueue queue;

    Registration(CacheEntryListenerConfiguration<K, V> configuration, Executor executor) {
      this.configuration = configuration;
      this.listener = configuration.getCacheEntryListenerFactory().create();
      Factory<CacheEntryEventFilter<? super K, ? super V>> filterFactory =
          configuration.getCacheEntryEventFilterFactory();
      this.filter = filterFactory == null ? null : filterFactory.create();
      this.synchronous = configuration.isSynchronous();
      this.oldValueRequired = configuration.isOldValueRequired();
      this.queue = new SerialQueue(executor);
    }

    boolean accepts(EventType type) {
      return switch (type) {
        case CREATED -> listener instanceof CacheEntryCreatedListener;
        case UPDATED -> listener instanceof CacheEntryUpdatedListener;
        case REMOVED -> listener instanceof CacheEntryRemovedListener;
        case EXPIRED -> listener instanceof CacheEntryExpiredListener;
      };
    }

    @SuppressWarnings("unchecked")
    void deliver(EntryEvent<K, V> event) {
      if (filter != null && !filter.evaluate(event)) {
        return;
      }
      List<EntryEvent<K, V>> events = List.of(event);
      switch (event.getEventType()) {
        case CREATED -> ((CacheEntryCreatedListener<K, V>) listener).onCreated(upcast(events));
        case UPDATED -> ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(upcast(events));
        case REMOVED -> ((CacheEntryRemovedListener<K, V>) listener).onRemoved(upcast(events));
        case EXPIRED -> ((CacheEntryExpiredListener<K, V>) listener).onExpired(upcast(events));
      }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <K, V>
        Iterable<javax.cache.event.CacheEntryEvent<? extends K, ? extends V>> upcast(
            List<EntryEvent<K, V>> events) {
      return (Iterable) events;
    }

    void close() {
      Closing.closeQuietly(listener, "a cache entry listener");
      Closing.closeQuietly(filter, "a cache entry event filter");
    }
  }
}
