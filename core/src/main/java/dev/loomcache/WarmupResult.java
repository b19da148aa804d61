package dev.loomcache;

import java.util.Map;
import java.util.Set;

/**
 * What {@link Cache#warmup} did with each key: loaded it, skipped it (already present, or loaded by
 * another caller meanwhile), or failed to load it.
 *
 * @param <K> the key type
 */
public final class WarmupResult<K> {
  private final Set<K> loaded;
  private final Set<K> skipped;
  private final Map<K, Throwable> failed;

  WarmupResult(Set<K> loaded, Set<K> skipped, Map<K, Throwable> failed) {
    this.loaded = Set.copyOf(loaded);
    this.skipped = Set.copyOf(skipped);
    this.failed = Map.copyOf(failed);
  }

  /** Keys whose loader ran and returned (a {@code null} result is returned here but not stored). */
  public Set<K> loaded() {
    return loaded;
  }

  /** Keys that were already present, or that another caller loaded meanwhile: not reloaded. */
  public Set<K> skipped() {
    return skipped;
  }

  /** Keys whose load failed, with the loader's own exception (never wrapped). */
  public Map<K, Throwable> failed() {
    return failed;
  }

  @Override
  public String toString() {
    return "WarmupResult{loaded="
        + loaded.size()
        + ", skipped="
        + skipped.size()
        + ", failed="
        + failed.keySet()
        + '}';
  }
}
