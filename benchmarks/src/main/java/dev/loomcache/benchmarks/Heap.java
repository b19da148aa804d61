package dev.loomcache.benchmarks;

/** What the JMH hit-path benchmarks do to the heap between filling a cache and reading it. */
final class Heap {
  private Heap() {}

  /**
   * Runs two full collections, so that every subject is read through the layout a long-lived cache
   * has in a running service (its entries compacted, the fill's short-lived objects gone) rather
   * than through the order the fill happened to allocate in.
   *
   * <p>Why it matters: a hit allocates nothing, so no collection runs during a measurement and the
   * fill's layout persists to its end. A fill through {@code Caffeine.put} allocates only the entry
   * (key, map node, cache node, next to each other); a fill through a cache whose write path also
   * allocates short-lived objects leaves them between the entries, and the Zipf-hot entries then
   * spread over several times more cache lines and pages. Measured on the project's machine (JMH,
   * 65,536 keys, 6 forks, {@code Gap} scratch benchmark of 2026-12-02 recorded in issue 22's note):
   * Caffeine 57 ns/op without, 67 with; Loomcache 100 without, 75 with. The same two collections
   * run for every subject, rival or not.
   */
  static void settle() {
    System.gc();
    System.gc();
  }
}
