package dev.loomcache.agent;

import static java.util.Objects.requireNonNull;

import dev.loomcache.Cache;
import dev.loomcache.agent.AgentCache.EntryKey;
import dev.loomcache.agent.internal.AgentCounters;
import dev.loomcache.agent.internal.Detection;
import dev.loomcache.agent.internal.LoopDetector;
import dev.loomcache.agent.internal.ResourceGenerations;
import dev.loomcache.internal.context.ScopedContext;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's run: the entries of its {@link Scope#SESSION} tools, its loop detector and its
 * statistics. Open one with {@link AgentCache#openSession}, bind it with {@link #run} or {@link
 * #call}, close it when the agent is done.
 *
 * <p>On Java 25 and later the binding is a {@code ScopedValue}: tool calls made inside {@code
 * run}/{@code call} on the same thread, and inside {@code StructuredTaskScope} subtasks forked
 * there, see this session; other threads do not. On Java 21 to 24 it is an inheritable thread-local
 * that also follows any other thread started inside {@code run}/{@code call} while it runs (a new
 * thread, a virtual-thread-per-task executor's threads), and is not seen by such a thread once the
 * call has returned. Frameworks that run tools on their own executors lose the binding: hand them
 * {@link #wrap(Runnable)} or {@link #wrap(Callable)} instead of the bare task. Thread-safe: a
 * session may be used from several threads at once, and its history then records calls in the order
 * they reach the detector.
 */
public final class AgentSession implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(AgentSession.class);
  private static final ScopedContext<AgentSession> CURRENT = ScopedContext.newInstance();

  private final AgentCache owner;
  private final String id;
  private final LoopPolicy policy;
  final AgentCounters counters = new AgentCounters();
  final ResourceGenerations generations = new ResourceGenerations();
  private final @Nullable LoopDetector detector;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile @Nullable Cache<EntryKey, Object>
      entries; // written under lock; made on first use
  private volatile boolean closed;

  AgentSession(AgentCache owner, String id, LoopPolicy policy) {
    this.owner = owner;
    this.id = id;
    this.policy = policy;
    this.detector = policy.isEnabled() ? new LoopDetector(policy) : null;
  }

  /** Returns the session bound to the calling thread, if any; never blocks. */
  public static Optional<AgentSession> current() {
    return Optional.ofNullable(bound());
  }

  /** The session's id, unique among the open sessions of its {@link AgentCache}. */
  public String id() {
    return id;
  }

  /** The session's loop policy. */
  public LoopPolicy policy() {
    return policy;
  }

  /**
   * Runs {@code task} with this session bound to the calling thread, and to any {@code
   * StructuredTaskScope} subtask it forks. Blocks for as long as the task runs.
   *
   * @throws IllegalStateException if the session is closed
   */
  public void run(Runnable task) {
    requireNonNull(task, "task must not be null");
    checkOpen();
    CURRENT.run(this, task);
  }

  /**
   * Calls {@code task} with this session bound, as {@link #run}, and returns its result.
   *
   * @throws Exception whatever {@code task} throws, unchanged
   * @throws IllegalStateException if the session is closed
   */
  public <T> T call(Callable<T> task) throws Exception {
    requireNonNull(task, "task must not be null");
    checkOpen();
    return CURRENT.call(this, task::call);
  }

  /**
   * Returns a task that runs {@code task} with this session bound, on whatever thread runs it; for
   * frameworks that run tools on their own executors.
   */
  public Runnable wrap(Runnable task) {
    requireNonNull(task, "task must not be null");
    return () -> run(task);
  }

  /** Returns a task that calls {@code task} with this session bound; as {@link #wrap(Runnable)}. */
  public <T> Callable<T> wrap(Callable<T> task) {
    requireNonNull(task, "task must not be null");
    return () -> call(task);
  }

  /**
   * Returns a snapshot of the statistics of the calls made inside this session; never blocks, also
   * after close.
   */
  public AgentStats stats() {
    return AgentCache.snapshot(counters);
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes the session: its {@link Scope#SESSION} entries are dropped and its id may be opened
   * again. Idempotent. Calls already running finish; later calls with this session bound throw
   * {@link IllegalStateException}.
   */
  @Override
  public void close() {
    Cache<EntryKey, Object> dropped;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      dropped = entries;
      entries = null;
    } finally {
      lock.unlock();
    }
    owner.sessionClosed(this);
    if (dropped != null) {
      dropped.close();
    }
  }

  @Override
  public String toString() {
    return "AgentSession{id=" + id + ", closed=" + closed + '}';
  }

  static @Nullable AgentSession bound() {
    return CURRENT.orNull();
  }

  /** Checks that a tool of {@code cache} may run in this session. */
  void checkUsableBy(AgentCache cache) {
    if (cache != owner) {
      throw new IllegalStateException(
          "Session '" + id + "' belongs to another AgentCache than the tool called in it");
    }
    checkOpen();
  }

  /**
   * Appends {@code call} to the history and reacts to a loop it completes: throws for {@link
   * OnLoop#RAISE}, logs for {@link OnLoop#WARN}. Returns the detected loop kind, or {@code null}.
   */
  @Nullable LoopKind screen(ToolCall call, String[] readResources) {
    if (detector == null) {
      return null;
    }
    Detection detection = detector.onCall(call, readResources);
    if (detection == null) {
      return null;
    }
    LoopKind kind = detection.kind();
    counters.recordLoop(kind);
    owner.counters.recordLoop(kind);
    switch (policy.onLoop()) {
      case RAISE ->
          throw new AgentLoopDetectedException(
              kind, id, call.toolName(), detection.calls(), detection.observedCount());
      case WARN ->
          logger.warn(
              "{}; the call runs (onLoop=WARN)",
              AgentLoopDetectedException.describe(
                  kind, id, detection.calls(), detection.observedCount()));
      case SHORT_CIRCUIT -> {
        counters.recordShortCircuit();
        owner.counters.recordShortCircuit();
      }
    }
    return kind;
  }

  boolean shortCircuits() {
    return policy.onLoop() == OnLoop.SHORT_CIRCUIT;
  }

  @Nullable Object lastResult(ToolCall call) {
    return detector == null ? null : detector.lastResult(call);
  }

  void onWrite(String[] resources) {
    if (detector != null) {
      detector.onWrite(resources);
    }
  }

  void onSuccess(ToolCall call, @Nullable Object result) {
    if (detector != null) {
      detector.onSuccess(call, result);
    }
  }

  void onFailure(ToolCall call) {
    if (detector != null) {
      detector.onFailure(call);
    }
  }

  /** The entries of this session's {@link Scope#SESSION} read tools. */
  Cache<EntryKey, Object> entries() {
    Cache<EntryKey, Object> current = entries;
    if (current != null) {
      return current;
    }
    lock.lock();
    try {
      checkOpen();
      current = entries;
      if (current == null) {
        current = owner.newSessionEntries(id);
        entries = current;
      }
      return current;
    } finally {
      lock.unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Session '" + id + "' is closed");
    }
  }
}
