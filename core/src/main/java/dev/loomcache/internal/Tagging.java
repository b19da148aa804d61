package dev.loomcache.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The tags of the entries in L1: the builder's tagger, and an index from each tag to the keys whose
 * L1 entry carries it, so that {@code invalidateTag} finds them without a pass over L1.
 *
 * <p>Design note. The index is a superset of the truth: for every key in L1, the index holds the
 * tags of its value. {@link WritePath} keeps it so by updating a key's entry in the same critical
 * section (the flight table's bin lock for the key) as the key's L1 write. Entries that leave L1 on
 * their own (size eviction, expiry) are not reported by Caffeine here, since any listener slows
 * every hit; they stay in the index until a sweep, run by the writer that finds the index larger
 * than twice L1's bound (plus some slack), drops the keys L1 no longer holds. So the index holds at
 * most about {@code 2 × maximumSize + 1024} keys, and a write costs O(1) amortized. A stale index
 * entry costs only a look at a key that is gone.
 *
 * <p>The tagger is user code: it runs on the writing thread, outside every lock, before the write.
 */
public final class Tagging<K, V> {
  private static final int SWEEP_SLACK = 1_024;
  private static final Tagging<?, ?> NONE = new Tagging<>(null, 0);

  private final @Nullable BiFunction<? super K, ? super V, ? extends @Nullable Collection<String>>
      tagger;
  private final ConcurrentHashMap<K, Set<String>> tagsByKey = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<K>> keysByTag = new ConcurrentHashMap<>();
  private final long sweepAbove;
  private final AtomicBoolean sweeping = new AtomicBoolean();

  /**
   * @param tagger the builder's tagger, or null for a cache without tags
   * @param maximumSize L1's bound, which sizes the index
   */
  public Tagging(
      @Nullable BiFunction<? super K, ? super V, ? extends @Nullable Collection<String>> tagger,
      long maximumSize) {
    this.tagger = tagger;
    this.sweepAbove = Math.min(Long.MAX_VALUE / 4, maximumSize) * 2 + SWEEP_SLACK;
  }

  /** No tagger: every entry has no tags, and the index stays empty. */
  @SuppressWarnings("unchecked")
  public static <K, V> Tagging<K, V> none() {
    return (Tagging<K, V>) NONE;
  }

  /** Whether the cache has a tagger. */
  public boolean isEnabled() {
    return tagger != null;
  }

  /**
   * The tags of {@code value} stored under {@code key}: the tagger's answer, copied; empty without
   * a tagger or when the tagger returns null or an empty collection.
   *
   * @throws IllegalStateException if the tagger returns a null or empty tag (the tagger's own
   *     exceptions reach the caller as they are)
   */
  Set<String> tagsOf(K key, V value) {
    if (tagger == null) {
      return Set.of();
    }
    Collection<String> tags = tagger.apply(key, value);
    if (tags == null || tags.isEmpty()) {
      return Set.of();
    }
    for (String tag : tags) {
      if (tag == null || tag.isEmpty()) {
        throw new IllegalStateException(
            "The tagger returned "
                + (tag == null ? "a null" : "an empty")
                + " tag for key '"
                + key
                + "' (tags "
                + tags
                + "); return only non-empty tags");
      }
    }
    return Set.copyOf(tags);
  }

  /** Records that {@code key}'s L1 entry now carries {@code tags}; under the key's lock. */
  void indexed(K key, Set<String> tags) {
    if (tagger == null) {
      return;
    }
    Set<String> before = tags.isEmpty() ? tagsByKey.remove(key) : tagsByKey.put(key, tags);
    if (before != null) {
      for (String tag : before) {
        if (!tags.contains(tag)) {
          unlink(tag, key);
        }
      }
    }
    for (String tag : tags) {
      if (before == null || !before.contains(tag)) {
        keysByTag.compute(
            tag,
            (t, keys) -> {
              Set<K> present = keys == null ? ConcurrentHashMap.newKeySet() : keys;
              present.add(key);
              return present;
            });
      }
    }
  }

  /** Records that {@code key} left L1; under the key's lock. */
  void unindexed(K key) {
    if (tagger == null) {
      return;
    }
    Set<String> before = tagsByKey.remove(key);
    if (before != null) {
      for (String tag : before) {
        unlink(tag, key);
      }
    }
  }

  private void unlink(String tag, K key) {
    // Inside compute, so that an empty set is never dropped while another key is being added.
    keysByTag.computeIfPresent(
        tag,
        (t, keys) -> {
          keys.remove(key);
          return keys.isEmpty() ? null : keys;
        });
  }

  /** Whether {@code key}'s indexed entry carries any of {@code tags}. */
  boolean carriesAny(K key, Collection<String> tags) {
    Set<String> carried = tagsByKey.get(key);
    if (carried == null) {
      return false;
    }
    for (String tag : tags) {
      if (carried.contains(tag)) {
        return true;
      }
    }
    return false;
  }

  /** A snapshot of the keys indexed under any of {@code tags}. */
  List<K> keysOf(Collection<String> tags) {
    var keys = new ArrayList<K>();
    for (String tag : tags) {
      Set<K> tagged = keysByTag.get(tag);
      if (tagged != null) {
        keys.addAll(tagged);
      }
    }
    return keys;
  }

  /** Forgets every key; called before L1 is cleared, so the index stays a superset. */
  void clear() {
    if (tagger != null) {
      tagsByKey.clear();
      keysByTag.clear();
    }
  }

  /**
   * If the index has outgrown its bound and no sweep runs, drops (through {@code dropIfGone}, which
   * checks L1 under each key's lock) every indexed key L1 no longer holds. Runs on the calling
   * writer's thread, outside every lock.
   */
  void sweepIfNeeded(Predicate<K> dropIfGone) {
    if (tagger == null || tagsByKey.size() <= sweepAbove || !sweeping.compareAndSet(false, true)) {
      return;
    }
    try {
      for (K key : tagsByKey.keySet()) {
        boolean unused = dropIfGone.test(key); // drops the key's index entry if L1 lost it
      }
    } finally {
      sweeping.set(false);
    }
  }

  /** For tests: the number of keys indexed. */
  public int indexedKeyCount() {
    return tagsByKey.size();
  }

  /** For tests: the number of tags indexed. */
  public int indexedTagCount() {
    return keysByTag.size();
  }
}
