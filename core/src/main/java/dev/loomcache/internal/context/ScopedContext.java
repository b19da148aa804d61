package dev.loomcache.internal.context;

import org.jspecify.annotations.Nullable;

/**
 * A value bound to the calling thread for the duration of a call, and seen by the threads forked
 * inside that call: the part of {@code ScopedValue} the library needs, behind a seam so that the
 * jars run on Java 21.
 *
 * <p>Two implementations share this contract. On Java 25 and later, {@code ScopedValueContext}
 * (compiled with release 25 into {@code META-INF/versions/25} of the multi-release jar) is a {@code
 * ScopedValue}: the binding follows {@code StructuredTaskScope} forks and nothing else. On Java 21
 * to 24, {@link InheritableContext} is an inheritable thread-local: the binding follows every
 * thread <em>started</em> inside the call (forks, {@code Thread.start}, a new
 * virtual-thread-per-task executor's threads) for as long as the call runs; a thread that outlives
 * the call stops seeing it when the call returns. {@link ScopedContexts} picks one once per JVM.
 *
 * @param <T> the type of the bound value
 */
public abstract class ScopedContext<T> {

  /** Package-private: only the two implementations extend it. */
  ScopedContext() {}

  /** Returns a new, unbound context of the implementation this JVM uses. */
  public static <T> ScopedContext<T> newInstance() {
    return ScopedContexts.selected().create();
  }

  /** Whether a value is bound for the calling thread; never blocks. */
  public abstract boolean isBound();

  /** Returns the value bound for the calling thread, or {@code null}; never blocks. */
  public abstract @Nullable T orNull();

  /**
   * Runs {@code op} with {@code value} bound, and returns its result; the previous binding (if any)
   * is back when this returns or throws. Blocks for as long as {@code op} runs.
   *
   * @throws X whatever {@code op} throws, unchanged
   */
  public abstract <R, X extends Throwable> R call(T value, Op<R, X> op) throws X;

  /** Runs {@code task} with {@code value} bound, as {@link #call}. */
  @SuppressWarnings("NullAway") // the block's result is a null nobody reads
  public final void run(T value, Runnable task) {
    call(
        value,
        () -> {
          task.run();
          return null;
        });
  }

  /** A call that may throw {@code X}; what {@link #call} runs. */
  @FunctionalInterface
  public interface Op<R, X extends Throwable> {
    /** Runs the operation. */
    R call() throws X;
  }

  /** Makes contexts of one implementation. */
  public interface Factory {
    /** Returns a new, unbound context. */
    <T> ScopedContext<T> create();

    /** {@code "scoped-value"} or {@code "inheritable-thread-local"}: for logs and tests. */
    String name();
  }
}
