package dev.loomcache;

import dev.loomcache.spi.CacheTier;
import dev.loomcache.spi.StoredValue;
import dev.loomcache.spi.TierListener;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Test support: a tier over an in-memory map that can fail on demand. Several {@code MapTier}s may
 * share one {@link Store}, like instances sharing one Redis: a write or delete through one tells
 * the listeners of the others, as a shared tier's pub/sub would.
 */
public final class MapTier implements CacheTier {
  /** The shared storage and the instances subscribed to it. */
  public static final class Store {
    final ConcurrentHashMap<String, StoredValue> entries = new ConcurrentHashMap<>();
    final List<MapTier> members = new CopyOnWriteArrayList<>();

    public Store() {}

    public @Nullable StoredValue get(String key) {
      return entries.get(key);
    }

    public void put(String key, StoredValue value) {
      entries.put(key, value);
    }

    public int size() {
      return entries.size();
    }
  }

  private final String name;
  private final Store store;
  private volatile @Nullable TierListener listener;
  public final AtomicBoolean failing = new AtomicBoolean();
  public final AtomicBoolean closed = new AtomicBoolean();
  public final AtomicInteger reads = new AtomicInteger();

  /** What {@link #keepsFreshness()} answers; set before the cache is built. */
  public final AtomicBoolean keepsFreshness = new AtomicBoolean();

  public MapTier(String name) {
    this(name, new Store());
  }

  public MapTier(String name, Store store) {
    this.name = name;
    this.store = store;
    store.members.add(this);
  }

  public Store store() {
    return store;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public @Nullable StoredValue read(String key) {
    reads.incrementAndGet();
    failIfAsked("read");
    return store.entries.get(key);
  }

  @Override
  public boolean keepsFreshness() {
    return keepsFreshness.get();
  }

  @Override
  public void write(String key, StoredValue value) {
    failIfAsked("write");
    store.entries.put(key, value);
    tellOthers(key);
  }

  @Override
  public void delete(String key) {
    failIfAsked("delete");
    store.entries.remove(key);
    tellOthers(key);
  }

  @Override
  public void clear() {
    failIfAsked("clear");
    store.entries.clear();
    for (MapTier other : store.members) {
      TierListener l = other.listener;
      if (other != this && l != null) {
        l.invalidatedAll();
      }
    }
  }

  @Override
  public void subscribe(TierListener listener) {
    this.listener = listener;
  }

  @Override
  public void close() {
    closed.set(true);
    store.members.remove(this);
  }

  private void tellOthers(String key) {
    for (MapTier other : store.members) {
      TierListener l = other.listener;
      if (other != this && l != null) {
        l.invalidated(key);
      }
    }
  }

  private void failIfAsked(String operation) {
    if (failing.get()) {
      throw new IllegalStateException("tier " + name + " is down (" + operation + ")");
    }
  }
}
