package dev.loomcache.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * An exact counter whose common increment is a plain load and store: no atomic instruction.
 *
 * <h2>Why</h2>
 *
 * The hit counter runs on every cache hit. A {@link LongAdder} increment is a compare-and-swap, and
 * on x86 every locked instruction is a full fence: the loads of the next hit cannot start until it
 * completes. A hit is memory-bound (a hash-table probe, a node, its value), so the fence costs more
 * than its own cycles: it stops the processor from overlapping one hit's cache misses with the next
 * one's. Measured on the hit-path benchmark, that was 15&ndash;35% of a hit.
 *
 * <h2>How</h2>
 *
 * A small, fixed array of cells, indexed by {@link Thread#threadId()}. A thread that finds its cell
 * free, or owned by a thread that has terminated, claims it with one compare-and-swap; from then on
 * it is the cell's only writer, so it increments with a plain read and an opaque write. Everything
 * else &mdash; a cell owned by another live thread, a lost claim &mdash; falls back to a shared
 * {@link LongAdder}. Nothing is ever lost:
 *
 * <ul>
 *   <li>A cell has one writer at a time: its owner. Ownership changes only by compare-and-swap and
 *       only away from a thread that {@link Thread#isAlive() is no longer alive}, so the old owner
 *       will never write again.
 *   <li>The new owner continues from the old owner's count: a thread's termination
 *       synchronizes-with another thread's detecting it through {@code isAlive()} (JLS 17.4.4), so
 *       the new owner reads the old owner's last write.
 *   <li>{@link #sum()} adds every cell and the adder, like {@link LongAdder#sum()}: exact when no
 *       increment is running, and never below a count that completed before it began.
 * </ul>
 *
 * A cell holds its owner, so a terminated thread's {@code Thread} object (and its task) stays
 * reachable until the next {@link #sum()} or until its cell is claimed again: at most {@link
 * #cells} of them per counter. A cell is about 270 bytes (padded to keep cells off each other's
 * cache lines), allocated when a thread first claims it. Threads beyond the cells (a platform pool
 * larger than the cells, for example) count in the shared adder: a compare-and-swap per hit, as a
 * plain {@code LongAdder} would, plus two reads.
 */
final class OwnedCounter {
  private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(Cell[].class);
  private static final int CELL_COUNT =
      Math.min(
          64, Integer.highestOneBit(Math.max(2, Runtime.getRuntime().availableProcessors()) * 4));

  private final Cell[] cells = new Cell[CELL_COUNT];
  private final LongAdder shared = new LongAdder();

  /** Adds one. */
  void increment() {
    Thread current = Thread.currentThread();
    int index = (int) current.threadId() & (CELL_COUNT - 1);
    Cell cell = cells[index];
    if (cell != null && cell.owner == current) {
      cell.increment();
    } else {
      incrementSlowly(current, index);
    }
  }

  private void incrementSlowly(Thread current, int index) {
    // Read again with acquire: the fast path's plain read may have seen a cell published by another
    // thread without seeing its fields.
    Cell cell = (Cell) CELLS.getAcquire(cells, index);
    if (cell == null) {
      var claimed = new Cell(current);
      if (CELLS.compareAndSet(cells, index, null, claimed)) {
        claimed.increment();
        return;
      }
      cell = (Cell) CELLS.getVolatile(cells, index);
    }
    if (cell.claim(current)) {
      cell.increment();
    } else {
      shared.increment();
    }
  }

  /**
   * The count: every cell plus the shared adder. Also lets go of terminated owners, so that a dead
   * thread (and all its task captured) is not kept reachable by its cell.
   *
   * <p>A count never moves between cells or into the adder: the adder is read first, so a count
   * moved into it during a sum would be missed, and the sum would go backwards.
   */
  long sum() {
    long sum = shared.sum();
    for (int i = 0; i < CELL_COUNT; i++) {
      Cell cell = (Cell) CELLS.getVolatile(cells, i);
      if (cell != null) {
        sum += cell.count();
        cell.releaseIfDead();
      }
    }
    return sum;
  }

  /** What the shared adder counted: the increments no cell took (for tests). */
  long sharedCount() {
    return shared.sum();
  }

  /** How many cells a counter has: four per processor rounded down to a power of two, 8 to 64. */
  static int cells() {
    return CELL_COUNT;
  }

  /** Keeps a cell's hot fields off the cache lines of the cells allocated beside it. */
  @SuppressWarnings("unused")
  private static class LeftPadding {
    // fills the 4 bytes after a 12-byte header, where HotSpot would otherwise put Fields.owner (it
    // fills gaps in superclasses), a cache line away from the count
    int p00;
    long p01, p02, p03, p04, p05, p06, p07, p08;
    long p09, p10, p11, p12, p13, p14, p15;
  }

  /** The owner and its count; the owner writes the count, anyone reads it. */
  private static class Fields extends LeftPadding {
    static final VarHandle OWNER;
    static final VarHandle COUNT;

    static {
      try {
        var lookup = MethodHandles.lookup();
        OWNER = lookup.findVarHandle(Fields.class, "owner", Thread.class);
        COUNT = lookup.findVarHandle(Fields.class, "count", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    /**
     * Written by compare-and-swap only: null while free. A plain read by the owner itself is always
     * current.
     */
    @Nullable Thread owner;

    /** Written by the owner only (opaque), read by {@link OwnedCounter#sum()} (opaque). */
    long count;

    Fields(@Nullable Thread owner) {
      this.owner = owner;
    }
  }

  @SuppressWarnings("unused")
  private static final class Cell extends Fields {
    long q01, q02, q03, q04, q05, q06, q07, q08;
    long q09, q10, q11, q12, q13, q14, q15;

    Cell(Thread owner) {
      super(owner);
    }

    /** Called by the owner only. */
    void increment() {
      COUNT.setOpaque(this, count + 1);
    }

    long count() {
      return (long) COUNT.getOpaque(this);
    }

    /**
     * Makes {@code current} the owner if the owner has terminated (its last count is then visible
     * here: termination synchronizes-with {@code isAlive()} returning false).
     */
    boolean claim(Thread current) {
      Thread owner = (Thread) OWNER.getVolatile(this);
      return owner == current
          || ((owner == null || !owner.isAlive()) && OWNER.compareAndSet(this, owner, current));
    }

    /**
     * Frees the cell if its owner has terminated. The count stays; the next claimer reads it after
     * termination, this thread's {@code isAlive()}, this compare-and-swap and its own read of the
     * null owner, each ordered before the next.
     */
    void releaseIfDead() {
      Thread owner = (Thread) OWNER.getVolatile(this);
      if (owner != null && !owner.isAlive()) {
        OWNER.compareAndSet(this, owner, null);
      }
    }
  }
}
