package dev.loomcache.spring;

import dev.loomcache.spi.CacheTier;
import dev.loomcache.spi.StoredValue;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Test support: a tier over a map that several caches (standing for several instances) may share,
 * whose reads can be held at a gate to show who waits for tier I/O.
 */
final class SharedMapTier implements CacheTier {
  private final Map<String, StoredValue> entries;
  private final String prefix;
  private volatile @Nullable CountDownLatch gate;
  final AtomicInteger reads = new AtomicInteger();

  SharedMapTier(Map<String, StoredValue> entries, String prefix) {
    this.entries = entries;
    this.prefix = prefix;
  }

  static Map<String, StoredValue> newStore() {
    return new ConcurrentHashMap<>();
  }

  /** Holds every read until {@code gate} opens. */
  void holdReadsUntil(CountDownLatch gate) {
    this.gate = gate;
  }

  @Override
  public String name() {
    return "map";
  }

  @Override
  public @Nullable StoredValue read(String key) {
    reads.incrementAndGet();
    CountDownLatch current = gate;
    if (current != null) {
      try {
        current.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return entries.get(prefix + key);
  }

  @Override
  public void write(String key, StoredValue value) {
    entries.put(prefix + key, value);
  }

  @Override
  public void delete(String key) {
    entries.remove(prefix + key);
  }

  @Override
  public void clear() {
    entries.keySet().removeIf(key -> key.startsWith(prefix));
  }

  @Override
  public void close() {}
}
