package dev.loomcache;

import static java.util.Objects.requireNonNull;

import dev.loomcache.internal.Bypass;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * A block of code in which caches are bypassed: {@link #noCache} (skip lookups, load fresh, store
 * the result), {@link #noStore} (look up as usual, do not store what is loaded) or {@link
 * #disabled} (neither), for every cache or only the caches with the given {@linkplain
 * Loomcache#name names}.
 *
 * <pre>{@code
 * CacheScope.noCache("users").run(() -> users.get(id, () -> db.loadUser(id)));
 * }</pre>
 *
 * <p>The scope is bound to the calling thread for the duration of {@link #run}/{@link #call}. On
 * Java 25 and later it is a {@code ScopedValue}: it follows {@code StructuredTaskScope} subtasks
 * forked inside the block, and no other thread. On Java 21 to 24 it is an inheritable thread-local
 * that follows every thread started inside the block while the block runs (forks, new threads, a
 * virtual-thread-per-task executor's threads), and stops applying to such a thread once the block
 * has returned. Either way threads outside the block never see it. Scopes nest and add up: inside
 * {@code noCache()} a nested {@code noStore()} means {@code disabled()}; a scope cannot switch
 * caching back on.
 *
 * <p>What each operation does inside a scope that applies to its cache (each such call counts one
 * {@link CacheStats#bypassCount()} instead of a hit or a miss):
 *
 * <ul>
 *   <li>{@link Cache#get}: without lookups it neither reads L1 nor the tiers, and joins the load in
 *       flight for the key or loads it itself (single flight still applies); without stores the
 *       loaded value is returned and shared with the callers waiting for that load, but not stored,
 *       as with a zero TTL.
 *   <li>{@link Cache#getIfPresent}: without lookups it returns {@code null}.
 *   <li>{@link Cache#getAll}: without lookups, the batch loader is called once with every key (no
 *       flight is claimed, so a load of the same key elsewhere may run at the same time), and what
 *       it returns is stored as by {@link Cache#put} unless stores are skipped too; without stores
 *       only, the missing keys load as usual and are not stored.
 * </ul>
 *
 * <p>{@link Cache#put}, invalidations, batchers and warmup are not affected. Immutable and
 * thread-safe; a scope may be reused.
 */
public final class CacheScope {
  private final int mode;
  private final Set<String> cacheNames;

  private CacheScope(int mode, String[] cacheNames) {
    requireNonNull(cacheNames, "cacheNames must not be null");
    for (int i = 0; i < cacheNames.length; i++) {
      requireNonNull(cacheNames[i], "cacheNames[" + i + "] must not be null");
    }
    this.mode = mode;
    this.cacheNames = Set.copyOf(Arrays.asList(cacheNames));
  }

  /**
   * Returns a scope in which gets skip L1 and the tiers and load fresh; the results are stored.
   * Applies to the caches named (none: every cache).
   *
   * @throws NullPointerException if a name is null
   */
  public static CacheScope noCache(String... cacheNames) {
    return new CacheScope(Bypass.SKIP_LOOKUP, cacheNames);
  }

  /**
   * Returns a scope in which gets look up as usual but loaded values are not stored. Applies to the
   * caches named (none: every cache).
   *
   * @throws NullPointerException if a name is null
   */
  public static CacheScope noStore(String... cacheNames) {
    return new CacheScope(Bypass.SKIP_STORE, cacheNames);
  }

  /**
   * Returns a scope in which gets neither look up nor store: every get calls its loader (single
   * flight still applies). Applies to the caches named (none: every cache).
   *
   * @throws NullPointerException if a name is null
   */
  public static CacheScope disabled(String... cacheNames) {
    return new CacheScope(Bypass.SKIP_LOOKUP | Bypass.SKIP_STORE, cacheNames);
  }

  /** The names of the caches this scope applies to; empty means every cache. */
  public Set<String> cacheNames() {
    return cacheNames;
  }

  /**
   * Runs {@code task} inside this scope, on the calling thread. Blocks for as long as the task
   * runs; the scope ends when it returns or throws.
   *
   * @throws NullPointerException if {@code task} is null
   */
  @SuppressWarnings("NullAway") // the block's result is a null nobody reads
  public void run(Runnable task) {
    requireNonNull(task, "task must not be null");
    Bypass.call(
        mode,
        cacheNames,
        () -> {
          task.run();
          return null;
        });
  }

  /**
   * Calls {@code task} inside this scope, as {@link #run}, and returns its result.
   *
   * @throws Exception whatever {@code task} throws, unchanged
   * @throws NullPointerException if {@code task} is null
   */
  public <T> T call(Callable<T> task) throws Exception {
    requireNonNull(task, "task must not be null");
    return Bypass.call(mode, cacheNames, task::call);
  }

  @Override
  public String toString() {
    String kind =
        switch (mode) {
          case Bypass.SKIP_LOOKUP -> "noCache";
          case Bypass.SKIP_STORE -> "noStore";
          default -> "disabled";
        };
    return "CacheScope." + kind + (cacheNames.isEmpty() ? "()" : cacheNames.toString());
  }
}
