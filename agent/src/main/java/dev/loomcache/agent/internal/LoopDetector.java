package dev.loomcache.agent.internal;

import dev.loomcache.agent.LoopKind;
import dev.loomcache.agent.LoopPolicy;
import dev.loomcache.agent.OnLoop;
import dev.loomcache.agent.ToolCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One session's call history and the four loop detectors over it.
 *
 * <p>Design note. Every call is appended, then checked, before it runs; the first detector that
 * matches is reported, in the order of {@link LoopKind}. Per call the work is O(1) amortised for
 * repeats, failures and depth (one hash lookup of the call's record) and O({@code maxCyclePeriod})
 * for cycles, independent of {@code cycleRepetitions}:
 *
 * <ul>
 *   <li>Each distinct call has one {@link CallRecord}: its repeat count, failure count and (only
 *       when the reaction is {@link OnLoop#SHORT_CIRCUIT}) its last result. Records are canonical,
 *       so the history compares them by reference.
 *   <li>Repeat counts of read tools reset when a write of this session invalidates one of their
 *       resources. Rather than visit the records, each write advances a per-resource epoch; a
 *       record remembers the sum of its resources' epochs and restarts its count when the sum
 *       moved.
 *   <li>Cycles: for each period {@code p} the detector keeps {@code runs[p]}, the number of
 *       consecutive latest calls equal to the call {@code p} before them. The latest {@code p × r}
 *       calls are {@code r} repetitions of one block exactly when {@code runs[p] ≥ p × (r − 1)}, so
 *       only the last {@code maxCyclePeriod + 1} calls need keeping, in a ring. A block whose calls
 *       are all the same is a repeat, not a cycle.
 * </ul>
 *
 * All state is guarded by {@code lock}, held only for this CPU-only bookkeeping, never while a tool
 * runs. Calls made concurrently in one session (subtasks) are appended in the order they take the
 * lock. A {@code ReentrantLock} rather than a monitor: on Java 21 to 23 a virtual thread blocked on
 * a contended monitor pins its carrier thread.
 */
public final class LoopDetector {
  private final long maxToolRepeats;
  private final long maxExecutionDepth;
  private final int maxCyclePeriod;
  private final long cycleRepetitions;
  private final long maxFailures;
  private final boolean keepResults;

  private final HashMap<ToolCall, CallRecord> records = new HashMap<>();
  private final HashMap<String, long[]> writeEpochs = new HashMap<>();
  private final CallRecord[] ring;
  private final long[] runs;
  private long callCount;
  private final ReentrantLock lock = new ReentrantLock();

  /** Creates the detector of one session; {@code policy} must have a detector on. */
  public LoopDetector(LoopPolicy policy) {
    this.maxToolRepeats = limit(policy.maxToolRepeats());
    this.maxExecutionDepth = limit(policy.maxExecutionDepth());
    this.maxCyclePeriod = policy.maxCyclePeriod();
    this.cycleRepetitions = policy.cycleRepetitions();
    this.maxFailures = limit(policy.maxFailures());
    this.keepResults = policy.onLoop() == OnLoop.SHORT_CIRCUIT;
    boolean cycles = maxCyclePeriod >= 2;
    this.ring = new CallRecord[cycles ? maxCyclePeriod + 1 : 0];
    this.runs = new long[cycles ? maxCyclePeriod + 1 : 0];
  }

  /** {@link Integer#MAX_VALUE} means "off": a limit no count can pass. */
  private static long limit(int value) {
    return value == Integer.MAX_VALUE ? Long.MAX_VALUE : value;
  }

  /**
   * Appends {@code call} to the history and returns the loop it completes, or {@code null}.
   *
   * @param readResources the resources of the call's tool if it is a read tool (whose repeat count
   *     a write of one of them resets), else empty
   */
  public @Nullable Detection onCall(ToolCall call, String[] readResources) {
    lock.lock();
    try {
      long position = callCount++;
      CallRecord record = records.computeIfAbsent(call, CallRecord::new);
      if (readResources.length > 0) {
        long epoch = epochSum(readResources);
        if (record.epoch != epoch) {
          record.epoch = epoch;
          record.repeats = 0;
        }
      }
      record.repeats++;
      if (ring.length > 0) {
        appendToRing(record, position);
      }

      if (record.repeats > maxToolRepeats) {
        return new Detection(LoopKind.REPEAT, List.of(call), record.repeats);
      }
      if (ring.length > 0) {
        Detection cycle = findCycle(position);
        if (cycle != null) {
          return cycle;
        }
      }
      if (record.failures >= maxFailures) {
        return new Detection(LoopKind.RETRY_STORM, List.of(call), record.failures);
      }
      if (callCount > maxExecutionDepth) {
        return new Detection(LoopKind.DEPTH, List.of(call), callCount);
      }
      return null;

    } finally {
      lock.unlock();
    }
  }

  /** Records that a write of this session invalidated {@code resources}: their reads count anew. */
  public void onWrite(String[] resources) {
    lock.lock();
    try {
      for (String resource : resources) {
        writeEpochs.computeIfAbsent(resource, r -> new long[1])[0]++;
      }

    } finally {
      lock.unlock();
    }
  }

  /**
   * Records that {@code call} returned {@code result}; a no-op unless the reaction short-circuits.
   */
  public void onSuccess(ToolCall call, @Nullable Object result) {
    if (keepResults) {
      keepResult(call, result);
    }
  }

  private void keepResult(ToolCall call, @Nullable Object result) {
    lock.lock();
    try {
      CallRecord record = records.get(call);
      if (record != null) {
        record.lastResult = result;
      }

    } finally {
      lock.unlock();
    }
  }

  /** Records that {@code call} failed. */
  public void onFailure(ToolCall call) {
    lock.lock();
    try {
      CallRecord record = records.get(call);
      if (record != null) {
        record.failures++;
      }

    } finally {
      lock.unlock();
    }
  }

  /** Returns the last result this session got for {@code call}, or {@code null}. */
  public @Nullable Object lastResult(ToolCall call) {
    lock.lock();
    try {
      CallRecord record = records.get(call);
      return record == null ? null : record.lastResult;

    } finally {
      lock.unlock();
    }
  }

  private long epochSum(String[] resources) {
    long sum = 0;
    for (String resource : resources) {
      long[] epoch = writeEpochs.get(resource);
      if (epoch != null) {
        sum += epoch[0];
      }
    }
    return sum;
  }

  private void appendToRing(CallRecord record, long position) {
    for (int p = 2; p <= maxCyclePeriod; p++) {
      runs[p] = position >= p && ring[slot(position - p)] == record ? runs[p] + 1 : 0;
    }
    ring[slot(position)] = record;
  }

  private @Nullable Detection findCycle(long position) {
    for (int p = 2; p <= maxCyclePeriod; p++) {
      if (runs[p] >= p * (cycleRepetitions - 1) && !isConstant(position, p)) {
        var block = new ArrayList<ToolCall>(p);
        for (long i = position - p + 1; i <= position; i++) {
          block.add(ring[slot(i)].call);
        }
        return new Detection(LoopKind.CYCLE, List.copyOf(block), runs[p] / p + 1);
      }
    }
    return null;
  }

  /** Whether the latest {@code p} calls are all the same call. */
  private boolean isConstant(long position, int p) {
    CallRecord latest = ring[slot(position)];
    for (int i = 1; i < p; i++) {
      if (ring[slot(position - i)] != latest) {
        return false;
      }
    }
    return true;
  }

  private int slot(long position) {
    return (int) (position % ring.length);
  }

  /** What the session knows about one distinct call. */
  private static final class CallRecord {
    final ToolCall call;
    long repeats;
    long epoch;
    long failures;
    @Nullable Object lastResult;

    CallRecord(ToolCall call) {
      this.call = call;
    }
  }
}
